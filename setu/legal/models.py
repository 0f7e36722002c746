"""Proceedings of a registry case on three tracks (criminal, protection, compensation), the
accused and their custody, verdicts per accused and section, protection measures and hearings.

A proceeding belongs to a case and to the case's organisation and is scoped by the access
policy (``legal.*`` rules). Dates of the criminal track are kept as fields so impossible
sequences (a judgment before charges, a hearing before the FIR) can be refused in services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setu.core.models import BaseModel


class Track(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal case")
    PROTECTION = "protection", _("Protection of the survivor")
    COMPENSATION = "compensation", _("Compensation")


class Stage(models.TextChoices):
    """Where a proceeding stands; the criminal track moves through them in this order."""

    COMPLAINT = "complaint", _("Complaint")
    FIR = "fir", _("FIR registered")
    CHARGESHEET = "chargesheet", _("Chargesheet filed")
    COGNISANCE = "cognisance", _("Cognisance taken")
    CHARGES = "charges", _("Charges framed")
    TRIAL = "trial", _("Trial")
    JUDGMENT = "judgment", _("Judgment")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", _("Closed")


# Stages after which a proceeding needs no further hearing dates.
FINISHED_STAGES = frozenset({Stage.JUDGMENT, Stage.CLOSED})


class Proceeding(BaseModel):
    """One legal proceeding of a case: a criminal case, a protection track or a compensation
    track (which links the case's compensation claim from entitlements)."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.FIR)
    title = models.CharField(_("short title"), max_length=150, blank=True)
    legal_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal officer"),
    )
    # Criminal track: the FIR.
    police_station = models.CharField(_("police station"), max_length=150, blank=True)
    district = models.ForeignKey(
        "orgs.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    fir_number = models.CharField(_("FIR number"), max_length=20, blank=True)
    fir_date = models.DateField(_("FIR date"), null=True, blank=True)
    # Codes from setu/data/legal/statutes.json, e.g. ["BNS-143", "ITPA-5"].
    sections = models.JSONField(_("sections invoked"), default=list, blank=True)
    chargesheet_on = models.DateField(_("chargesheet filed on"), null=True, blank=True)
    cognisance_on = models.DateField(_("cognisance taken on"), null=True, blank=True)
    charges_framed_on = models.DateField(_("charges framed on"), null=True, blank=True)
    trial_started_on = models.DateField(_("trial began on"), null=True, blank=True)
    judgment_on = models.DateField(_("judgment on"), null=True, blank=True)
    appeal_filed_on = models.DateField(_("appeal filed on"), null=True, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    cnr_number = models.CharField(_("eCourts CNR number"), max_length=16, blank=True)
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True)
    # Compensation track: the claim in entitlements (named by label, no import).
    compensation_claim = models.ForeignKey(
        "entitlements.CompensationClaim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Hearing reminders to the survivor by SMS only with her recorded consent to them.
    reminder_consent_on = models.DateField(
        _("survivor agreed to SMS reminders on"), null=True, blank=True
    )
    reminder_phone = models.CharField(_("phone for reminders"), max_length=15, blank=True)
    reminder_language = models.CharField(_("language of reminders"), max_length=8, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The survivor's phone and free notes about her stay out of the audit trail.
    AUDIT_PERSONAL_FIELDS = ("reminder_phone", "notes")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner_org", "track", "stage"]),
            models.Index(fields=["legal_officer", "next_hearing_on"]),
            # The outcome pages' year filter asks for the year's proceedings (by FIR or by
            # judgment) as a subquery of ids: read from these indexes alone, not a scan of all.
            models.Index(fields=["fir_date", "id"], name="legal_proceeding_fir_year"),
            models.Index(fields=["judgment_on", "id"], name="legal_proceeding_judged_year"),
        ]

    def __str__(self) -> str:
        if self.track == Track.CRIMINAL and self.fir_number:
            return _("FIR %(number)s, %(station)s") % {
                "number": self.fir_number,
                "station": self.police_station,
            }
        return self.title or str(self.get_track_display())


class Custody(models.TextChoices):
    AT_LARGE = "at_large", _("Not arrested")
    IN_CUSTODY = "custody", _("In custody")
    BAIL = "bail", _("On bail")
    ABSCONDING = "absconding", _("Absconding")
    RELEASED = "released", _("Released")


class Accused(BaseModel):
    """A person accused in a criminal proceeding, with arrest, bail and custody."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="accused")
    name = models.CharField(_("name or description"), max_length=150)
    custody = models.CharField(
        _("custody"), max_length=10, choices=Custody.choices, default=Custody.AT_LARGE
    )
    arrested_on = models.DateField(_("arrested on"), null=True, blank=True)
    bail_on = models.DateField(_("bail granted on"), null=True, blank=True)

    # An accused is a person too: the name stays in the record, never in the audit trail.
    AUDIT_PERSONAL_FIELDS = ("name",)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


# The places the outcome statistics group hearings and verdicts by, each with its index
# (Hearing.Meta, Judgment.Meta).
HEARING_PLACE_INDEXES = (
    ("state", "state"),
    ("district", "district"),
    ("station", "police_station"),
    ("court", "place_court"),
)


class ProceedingPlace(BaseModel):
    """A proceeding's organisation, case, track and place, copied onto its hearings and verdicts
    by the services (``services.hearing_placed``, ``services.verdict_placed``; kept in step when
    the proceeding's place changes) so the outcome statistics group and scope 100,000 rows
    without joining each to its proceeding (docs/legal.md, Measured). Appeals carry the same copy
    under other names (``place_state``, ``place_district``): their own state and district are
    the appellate court's."""

    owner_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    case = models.ForeignKey(
        "registry.Case", on_delete=models.PROTECT, related_name="+", editable=False
    )
    track = models.CharField(
        max_length=12, choices=Track.choices, blank=True, default="", editable=False
    )
    state = models.ForeignKey(
        "orgs.State", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    district = models.ForeignKey(
        "orgs.District", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    police_station = models.CharField(max_length=150, blank=True, editable=False)
    # Where the row is counted by court: a hearing's own court, else the proceeding's (the
    # trial court).
    place_court = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISCHARGED = "discharged", _("Discharged")


class Judgment(ProceedingPlace):
    """The verdict on one accused for one section."""

    accused = models.ForeignKey(Accused, on_delete=models.CASCADE, related_name="judgments")
    section = models.CharField(_("section"), max_length=20)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    decided_on = models.DateField(_("decided on"))
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    # The accused's proceeding, copied like the place (``ProceedingPlace``) so the convictions
    # per place are counted without joining each verdict to its accused.
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="+", editable=False
    )

    class Meta:
        ordering = ["decided_on", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["accused", "section"], name="legal_one_verdict_per_section"
            )
        ]
        indexes = [
            # The convictions per place read only these (covering) indexes, in the order they
            # group by (docs/legal.md, Measured).
            *(
                models.Index(
                    fields=["track", "verdict", place, "owner_org", "case", "proceeding"],
                    name=f"legal_verdict_{name}",
                )
                for name, place in HEARING_PLACE_INDEXES
            ),
        ]


class MeasureKind(models.TextChoices):
    STATEMENT_183 = (
        "statement_183",
        _("Statement before a magistrate (s.183 BNSS, formerly s.164 CrPC)"),
    )
    AGE_DETERMINATION = "age", _("Age determination")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection order")
    IN_CAMERA = "in_camera", _("In-camera trial")
    VIDEO_TESTIMONY = "video", _("Testimony by video link")
    INTERSTATE_TRAVEL = "travel", _("Inter-state witness: travel, escort and allowance")


class ProtectionMeasure(BaseModel):
    """A protection step for the survivor as a witness, on a date."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    on = models.DateField(_("date"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    # Free text about the survivor's travel, escort or testimony.
    AUDIT_PERSONAL_FIELDS = ("detail",)

    class Meta:
        ordering = ["on", "created_at"]


class HearingOutcome(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", pgettext_lazy("hearing took place", "Held")
    ADJOURNED = "adjourned", _("Adjourned")
    EVIDENCE = "evidence", _("Evidence recorded")
    RESERVED = "reserved", _("Judgment reserved")
    PRONOUNCED = "pronounced", _("Judgment pronounced")


class AdjournmentReason(models.TextChoices):
    WITNESS_ABSENT = "witness_absent", _("Witness absent")
    ACCUSED_ABSENT = "accused_absent", _("Accused absent or absconding")
    PROSECUTOR_ABSENT = "prosecutor_absent", _("Prosecutor absent")
    NO_ESCORT = "no_escort", _("No police escort")
    COURT_ON_LEAVE = "court_leave", _("Court on leave")
    DEFENCE_REQUEST = "defence", _("Defence asked for time")
    RECORDS_MISSING = "records", _("Records or forensic report not ready")
    OTHER = "other", _("Other")


class Hearing(ProceedingPlace):
    """A date in court: when, which court, what happened, and why it was adjourned if it was."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="hearings")
    on = models.DateField(_("date"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=150, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=HearingOutcome.choices,
        default=HearingOutcome.SCHEDULED,
    )
    adjournment_reason = models.CharField(
        _("adjournment reason"), max_length=20, choices=AdjournmentReason.choices, blank=True
    )
    survivor_needed = models.BooleanField(_("survivor must attend"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["on", "created_at"]
        indexes = [
            models.Index(fields=["on"]),
            # The adjournment statistics per place read only these (covering) indexes, in the
            # order they group by: no table lookups, no sort (docs/legal.md, Measured).
            *(
                models.Index(
                    fields=["track", "adjournment_reason", place, "owner_org", "case"],
                    name=f"legal_hearing_adj_{name}",
                )
                for name, place in HEARING_PLACE_INDEXES
            ),
        ]


class TravelMode(models.TextChoices):
    TRAIN = "train", _("Train")
    BUS = "bus", _("Bus")
    AIR = "air", _("Air")
    CAR = "car", _("Car or jeep")
    OTHER = "other", _("Other")


class WitnessPlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    READY = "ready", _("Ready")


class WitnessPlan(BaseModel):
    """How an inter-state witness reaches one hearing: travel, escort, allowance and video link.

    One plan per hearing; the proceeding is kept beside the hearing so the policy scopes a plan
    exactly as the proceeding's other parts (``legal.witnessplan`` rules)."""

    hearing = models.OneToOneField(Hearing, on_delete=models.CASCADE, related_name="witness_plan")
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="witness_plans"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WitnessPlanStatus.choices,
        default=WitnessPlanStatus.NOT_STARTED,
    )
    travel_from = models.CharField(_("travelling from"), max_length=150, blank=True)
    travel_to = models.CharField(_("travelling to"), max_length=150, blank=True)
    travel_mode = models.CharField(
        _("travel by"), max_length=8, choices=TravelMode.choices, blank=True
    )
    travel_on = models.DateField(_("travel date"), null=True, blank=True)
    escort_name = models.CharField(_("escort"), max_length=150, blank=True)
    escort_org = models.CharField(_("escort's organisation"), max_length=200, blank=True)
    # Whole rupees: the witness allowance courts and DLSAs pay is never in paise.
    allowance_rupees = models.PositiveIntegerField(_("allowance (₹)"), default=0)
    allowance_paid = models.BooleanField(_("allowance paid"), default=False)
    video_requested = models.BooleanField(_("video link requested"), default=False)
    video_granted = models.BooleanField(_("video link granted"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # The plan of the adjourned hearing this one was carried over from (once: one successor).
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )

    # Where she travels from can lead to her; the escort is a person. Neither goes in the trail.
    AUDIT_PERSONAL_FIELDS = ("travel_from", "escort_name", "notes")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["proceeding", "status"])]


class AppealCourt(models.TextChoices):
    HIGH_COURT = "high_court", _("High Court")
    SESSIONS = "sessions", _("Sessions Court")
    SUPREME_COURT = "supreme_court", _("Supreme Court")


class Appellant(models.TextChoices):
    STATE = "state", _("The State (prosecution)")
    ACCUSED = "accused", _("An accused")
    SURVIVOR = "survivor", _("The survivor (victim)")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DISMISSED = "dismissed", _("Dismissed")
    ALLOWED = "allowed", _("Allowed")
    CONVICTION_UPHELD = "upheld", _("Conviction upheld")
    CONVICTION_SET_ASIDE = "set_aside", _("Conviction set aside")
    SENTENCE_MODIFIED = "sentence_modified", _("Sentence modified")
    REMANDED = "remanded", _("Sent back for retrial")


# Outcomes that only an appeal against a conviction can have.
CONVICTION_OUTCOMES = frozenset(
    {
        AppealStatus.CONVICTION_UPHELD,
        AppealStatus.CONVICTION_SET_ASIDE,
        AppealStatus.SENTENCE_MODIFIED,
    }
)


# The places the appeals per place group by, each with its index (Appeal.Meta).
APPEAL_PLACE_INDEXES = (
    ("state", "place_state"),
    ("district", "place_district"),
    ("station", "police_station"),
    ("court", "place_court"),
)


class Appeal(BaseModel):
    """An appeal against the trial court's verdicts: the appellate court with its own CNR
    number, who appealed, against which verdicts (per accused and section), when, and what the
    higher court decided.

    ``Proceeding.appeal_filed_on`` is kept as the first appeal's filing date (set by the appeal
    services only) so the stage and the lists that read it need no join."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="appeals")
    # The verdicts appealed against; none only on appeals carried over from the single date.
    judgments = models.ManyToManyField(
        Judgment, blank=True, related_name="appeals", verbose_name=_("against the verdicts")
    )
    appellant = models.CharField(
        _("appealed by"), max_length=10, choices=Appellant.choices, blank=True
    )
    court_level = models.CharField(
        _("appellate court"), max_length=16, choices=AppealCourt.choices, blank=True
    )
    court = models.CharField(_("name of the court"), max_length=200, blank=True)
    state = models.ForeignKey(
        "orgs.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("state"),
    )
    district = models.ForeignKey(
        "orgs.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    cnr_number = models.CharField(_("eCourts CNR number"), max_length=16, blank=True)
    filed_on = models.DateField(_("appeal filed on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # A second appeal (High Court to Supreme Court, or a Sessions Court's appellate judgment to
    # the High Court) is against the earlier appeal's decision: decided, same proceeding.
    appeal_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_appeals",
        verbose_name=_("against the decision in the appeal"),
    )

    # The proceeding's organisation, case, track and place, copied here by the services
    # (``services.appeal_placed``; kept in step when the proceeding's place changes) so the
    # appeals per place are counted without joining each to its proceeding. ``state``,
    # ``district`` and ``court`` above are the appellate court's; these are where the case was
    # registered and tried.
    owner_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    case = models.ForeignKey(
        "registry.Case", on_delete=models.PROTECT, related_name="+", editable=False
    )
    track = models.CharField(
        max_length=12, choices=Track.choices, blank=True, default="", editable=False
    )
    place_state = models.ForeignKey(
        "orgs.State", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    place_district = models.ForeignKey(
        "orgs.District", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    police_station = models.CharField(max_length=150, blank=True, editable=False)
    place_court = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["filed_on", "created_at"]
        indexes = [
            # The appeals per place read only these (covering) indexes (docs/legal.md, Measured).
            *(
                models.Index(
                    fields=[
                        *("track", place, "status", "owner_org", "case", "proceeding"),
                        *("filed_on", "decided_on"),
                    ],
                    name=f"legal_appeal_{name}",
                )
                for name, place in APPEAL_PLACE_INDEXES
            ),
        ]
