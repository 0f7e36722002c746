"""API shapes of the legal context. No survivor's name: cases by id."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from setu.legal.models import (
    Accused,
    AdjournmentReason,
    Appeal,
    AppealCourt,
    AppealStatus,
    Appellant,
    Custody,
    Hearing,
    HearingOutcome,
    Judgment,
    MeasureKind,
    Proceeding,
    ProtectionMeasure,
    Track,
    TravelMode,
    Verdict,
    WitnessPlan,
    WitnessPlanStatus,
)
from setu.legal.services import PROCEEDING_SHOWN_FIELDS, WITNESS_PLAN_FIELDS


class JudgmentOut(serializers.ModelSerializer):
    class Meta:
        model = Judgment
        fields = ["id", "section", "verdict", "decided_on", "sentence"]


class AccusedOut(serializers.ModelSerializer):
    judgments = JudgmentOut(many=True, read_only=True)

    class Meta:
        model = Accused
        fields = ["id", "name", "custody", "arrested_on", "bail_on", "judgments"]


class MeasureOut(serializers.ModelSerializer):
    class Meta:
        model = ProtectionMeasure
        fields = ["id", "kind", "on", "detail"]


class HearingOut(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = [
            "id",
            "proceeding",
            "on",
            "court",
            "purpose",
            "outcome",
            "adjournment_reason",
            "survivor_needed",
        ]


class AppealWindowOut(serializers.Serializer):
    """The statutory appeal period an appeal was filed in, with its legal source."""

    title = serializers.CharField()
    due_on = serializers.DateField()
    source = serializers.CharField()
    late_by_days = serializers.IntegerField(help_text="0: filed in time.")


class AppealOut(serializers.ModelSerializer):
    """An appeal: court and CNR, who appealed, the verdicts appealed (ids), filing, outcome."""

    window = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "proceeding",
            "judgments",
            "appellant",
            "court_level",
            "court",
            "state",
            "district",
            "cnr_number",
            "filed_on",
            "status",
            "decided_on",
            "appeal_from",
            "window",
        ]
        extra_kwargs = {
            "appeal_from": {"help_text": "The earlier appeal whose decision this one is against."}
        }

    @extend_schema_field(AppealWindowOut(allow_null=True))
    def get_window(self, appeal: Appeal) -> dict[str, Any] | None:
        from setu.legal import selectors

        window = selectors.appeal_window(appeal, appeal.proceeding)
        if window is None:
            return None
        period = window.period
        return {
            "title": period.title,
            "due_on": period.due_on,
            "source": period.source,
            "late_by_days": window.late_by,
        }


class AppealIn(serializers.Serializer):
    """An appeal as given; on PATCH only the fields sent change."""

    judgments = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="Ids of the verdicts appealed."
    )
    appellant = serializers.ChoiceField(choices=Appellant.choices)
    court_level = serializers.ChoiceField(choices=AppealCourt.choices)
    court = serializers.CharField(max_length=200)
    state = serializers.IntegerField(required=False, allow_null=True, help_text="LGD code.")
    district = serializers.IntegerField(required=False, allow_null=True, help_text="LGD code.")
    cnr_number = serializers.CharField(required=False, allow_blank=True, max_length=16)
    filed_on = serializers.DateField()
    status = serializers.ChoiceField(choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_on = serializers.DateField(required=False, allow_null=True)
    appeal_from = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A further appeal: the id of the earlier, decided appeal it is against.",
    )


# One list of a proceeding's fields (services.PROCEEDING_FIELDS), less what the API keeps out.
PROCEEDING_OUT_FIELDS = [
    "id",
    "case",
    *PROCEEDING_SHOWN_FIELDS,
    "appeal_filed_on",
    "compensation_claim",
]


class ProceedingOut(serializers.ModelSerializer):
    """A proceeding as listed."""

    class Meta:
        model = Proceeding
        fields = PROCEEDING_OUT_FIELDS


class ProceedingDetailOut(serializers.ModelSerializer):
    """A proceeding with its accused, verdicts, protection measures and hearings."""

    accused = AccusedOut(many=True, read_only=True)
    measures = MeasureOut(many=True, read_only=True)
    hearings = HearingOut(many=True, read_only=True)
    appeals = AppealOut(many=True, read_only=True)

    class Meta:
        model = Proceeding
        fields = [*PROCEEDING_OUT_FIELDS, "accused", "measures", "hearings", "appeals"]


class ProceedingIn(serializers.Serializer):
    """Facts of a proceeding; on update only the fields sent change."""

    track = serializers.ChoiceField(choices=Track.choices, required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=150)
    police_station = serializers.CharField(required=False, allow_blank=True, max_length=150)
    district = serializers.IntegerField(required=False, allow_null=True)
    fir_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    fir_date = serializers.DateField(required=False, allow_null=True)
    sections = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    chargesheet_on = serializers.DateField(required=False, allow_null=True)
    cognisance_on = serializers.DateField(required=False, allow_null=True)
    charges_framed_on = serializers.DateField(required=False, allow_null=True)
    trial_started_on = serializers.DateField(required=False, allow_null=True)
    judgment_on = serializers.DateField(required=False, allow_null=True)
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)
    cnr_number = serializers.CharField(required=False, allow_blank=True, max_length=16)
    # Her agreement to SMS (reminders and her case's status), the number and the language.
    reminder_consent_on = serializers.DateField(required=False, allow_null=True)
    reminder_phone = serializers.CharField(required=False, allow_blank=True, max_length=15)
    reminder_language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True
    )


class ProceedingCreateIn(ProceedingIn):
    case = serializers.UUIDField()
    track = serializers.ChoiceField(choices=Track.choices)


class AccusedIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    custody = serializers.ChoiceField(choices=Custody.choices, default=Custody.AT_LARGE)
    arrested_on = serializers.DateField(required=False, allow_null=True)
    bail_on = serializers.DateField(required=False, allow_null=True)


class JudgmentIn(serializers.Serializer):
    section = serializers.CharField(max_length=20)
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    decided_on = serializers.DateField()
    sentence = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class MeasureIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    on = serializers.DateField()
    detail = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class HearingIn(serializers.Serializer):
    on = serializers.DateField()
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=150)
    survivor_needed = serializers.BooleanField(required=False, default=False)


class HearingPatchIn(HearingIn):
    outcome = serializers.ChoiceField(choices=HearingOutcome.choices, required=False)
    adjournment_reason = serializers.ChoiceField(
        choices=AdjournmentReason.choices, required=False, allow_blank=True
    )


class HearingOutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=HearingOutcome.choices)
    adjournment_reason = serializers.ChoiceField(
        choices=AdjournmentReason.choices, required=False, allow_blank=True, default=""
    )
    next_on = serializers.DateField(required=False, allow_null=True, default=None)


class DeadlineOut(serializers.Serializer):
    proceeding = serializers.UUIDField(source="proceeding.pk")
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    starts_on = serializers.DateField()
    due_on = serializers.DateField()
    days_left = serializers.IntegerField()
    status = serializers.CharField()


class PlainStatusOut(serializers.Serializer):
    """Where her case stands in plain words (no names): in the request's language, and in hers
    when one is recorded; whether it may be sent to her by SMS."""

    status = serializers.CharField()
    language = serializers.CharField(help_text="Her language for messages; empty if none.")
    status_in_her_language = serializers.CharField(allow_null=True)
    can_send = serializers.BooleanField()


class PlainStatusSentOut(serializers.Serializer):
    language = serializers.CharField()


class CalendarHearingOut(serializers.Serializer):
    """A hearing in the calendar: the fields of a hearing, and the proceeding by id."""

    id = serializers.UUIDField()
    proceeding = serializers.UUIDField(source="proceeding_id")
    on = serializers.DateField()
    court = serializers.CharField()
    purpose = serializers.CharField()
    outcome = serializers.ChoiceField(choices=HearingOutcome.choices)
    adjournment_reason = serializers.CharField()
    survivor_needed = serializers.BooleanField()
    witness_unready = serializers.BooleanField()


class WitnessPlanOut(serializers.ModelSerializer):
    """A hearing's inter-state witness plan; the allowance in whole rupees."""

    class Meta:
        model = WitnessPlan
        fields = ["id", "hearing", *WITNESS_PLAN_FIELDS, "carried_from"]


class WitnessPlanIn(serializers.Serializer):
    """A witness plan as given (PUT): fields left out keep their value, or their default."""

    status = serializers.ChoiceField(choices=WitnessPlanStatus.choices, required=False)
    travel_from = serializers.CharField(required=False, allow_blank=True, max_length=150)
    travel_to = serializers.CharField(required=False, allow_blank=True, max_length=150)
    travel_mode = serializers.ChoiceField(
        choices=TravelMode.choices, required=False, allow_blank=True
    )
    travel_on = serializers.DateField(required=False, allow_null=True)
    escort_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    escort_org = serializers.CharField(required=False, allow_blank=True, max_length=200)
    allowance_rupees = serializers.IntegerField(required=False, min_value=0, max_value=10_000_000)
    allowance_paid = serializers.BooleanField(required=False)
    video_requested = serializers.BooleanField(required=False)
    video_granted = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=300)


# --- Outcome statistics (counts only; None: fewer than 11, hidden) ---------------------------


def _count(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text or "None: hidden.")


class OutcomesQuery(serializers.Serializer):
    """What the outcome statistics are asked for: a grouping and, optionally, one year."""

    by = serializers.ChoiceField(
        choices=["state", "district", "police_station", "court"], default="state"
    )
    year = serializers.IntegerField(
        required=False, allow_null=True, min_value=2000, help_text="All years when left out."
    )
    year_of = serializers.ChoiceField(
        choices=["fir", "judgment"],
        default="fir",
        help_text="Whether `year` is the year of the FIR or of the judgment.",
    )


class OutcomeCountsOut(serializers.Serializer):
    proceedings = _count("Criminal cases; None: fewer than 11, hidden.")
    chargesheet = _count()
    trial = _count()
    judgment = _count()
    convicted = _count("Judged cases with a conviction.")


class OutcomeRowOut(serializers.Serializer):
    place = serializers.CharField()
    counts = OutcomeCountsOut()
    conviction_rate_percent = serializers.IntegerField(allow_null=True)
    avg_days_fir_to_chargesheet = serializers.IntegerField(allow_null=True)
    avg_days_chargesheet_to_charges = serializers.IntegerField(allow_null=True)
    avg_days_charges_to_judgment = serializers.IntegerField(allow_null=True)
    avg_days_fir_to_judgment = serializers.IntegerField(allow_null=True)
    avg_days_appeal_filed_to_decided = serializers.IntegerField(
        allow_null=True,
        help_text="Decided appeals (first and further), filing to decision; None: none decided,"
        " or fewer than 11 cases behind the average outside the owning organisation.",
    )


class AdjournmentReasonOut(serializers.Serializer):
    reason = serializers.CharField(help_text="The adjournment reason's code, e.g. witness_absent.")
    label = serializers.CharField()
    hearings = _count()


class AdjournmentRowOut(serializers.Serializer):
    place = serializers.CharField()
    adjourned_hearings = _count()
    by_reason = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text="Reason code to count."
    )


class AppealCountsOut(serializers.Serializer):
    filed = _count("Appeals filed (first and further appeals).")
    pending = _count()
    dismissed = _count()
    allowed = _count()
    upheld = _count("Conviction upheld.")
    set_aside = _count("Conviction set aside.")
    sentence_modified = _count()
    remanded = _count("Sent back for retrial.")


class AppealRowOut(serializers.Serializer):
    place = serializers.CharField(help_text="Where the case was tried.")
    counts = AppealCountsOut()


class OutcomesOut(serializers.Serializer):
    """Outcome statistics: the same suppressed counts as the outcome pages and their CSV."""

    by = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    year_of = serializers.CharField()
    suppressed_any = serializers.BooleanField()
    cases = OutcomeRowOut(many=True)
    adjournment_reasons = AdjournmentReasonOut(many=True)
    adjournments = AdjournmentRowOut(many=True)
    appeals = AppealRowOut(many=True)
