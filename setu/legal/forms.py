"""Forms of the legal pages; they parse input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from setu.core.forms import DateInput
from setu.legal.models import (
    AdjournmentReason,
    AppealCourt,
    AppealStatus,
    Appellant,
    Custody,
    HearingOutcome,
    MeasureKind,
    Stage,
    Track,
    TravelMode,
    Verdict,
    WitnessPlanStatus,
)
from setu.orgs.selectors import PlaceFieldsMixin


class ProceedingForm(forms.Form):
    """A proceeding's facts: the FIR, sections, court, dates of each step, reminders."""

    track = forms.ChoiceField(label=_("Track"), choices=Track.choices)
    title = forms.CharField(label=_("Short title"), required=False, max_length=150)
    police_station = forms.CharField(label=_("Police station"), required=False, max_length=150)
    district = forms.TypedChoiceField(
        label=_("District"), required=False, coerce=int, empty_value=None
    )
    fir_number = forms.CharField(
        label=_("FIR number"), required=False, help_text=_("number/year, e.g. 0123/2025")
    )
    fir_date = forms.DateField(label=_("FIR date"), required=False, widget=DateInput)
    sections = forms.MultipleChoiceField(
        label=_("Sections invoked"), required=False, widget=forms.CheckboxSelectMultiple
    )
    court = forms.CharField(label=_("Court"), required=False, max_length=200)
    cnr_number = forms.CharField(
        label=_("eCourts CNR number"),
        required=False,
        help_text=_("16 characters, e.g. MHPU010012342025"),
    )
    chargesheet_on = forms.DateField(
        label=_("Chargesheet filed on"), required=False, widget=DateInput
    )
    cognisance_on = forms.DateField(
        label=_("Cognisance taken on"), required=False, widget=DateInput
    )
    charges_framed_on = forms.DateField(
        label=_("Charges framed on"), required=False, widget=DateInput
    )
    trial_started_on = forms.DateField(label=_("Trial began on"), required=False, widget=DateInput)
    judgment_on = forms.DateField(label=_("Judgment on"), required=False, widget=DateInput)
    closed = forms.BooleanField(label=_("Proceeding closed"), required=False)
    reminder_consent_on = forms.DateField(
        label=_("Survivor agreed to SMS hearing reminders on"), required=False, widget=DateInput
    )
    reminder_phone = forms.CharField(label=_("Phone for reminders"), required=False, max_length=15)
    reminder_language = forms.ChoiceField(label=_("Language of reminders"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, sections: Any = (), districts: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = list(sections)
        self.fields["district"].choices = [("", "—"), *((d.code, str(d)) for d in districts)]
        self.fields["reminder_language"].choices = [("", "—"), *settings.LANGUAGES]

    def values(self) -> dict[str, Any]:
        """The cleaned fields as a service takes them."""
        data = dict(self.cleaned_data)
        # Unticking "closed" reopens it; the service then sets the stage from the dates.
        data["stage"] = Stage.CLOSED if data.pop("closed", False) else Stage.COMPLAINT
        data["district_id"] = data.pop("district")
        return data


class AccusedForm(forms.Form):
    """An accused with arrest, bail and custody."""

    name = forms.CharField(label=_("Name or description"), max_length=150)
    custody = forms.ChoiceField(label=_("Custody"), choices=Custody.choices)
    arrested_on = forms.DateField(label=_("Arrested on"), required=False, widget=DateInput)
    bail_on = forms.DateField(label=_("Bail granted on"), required=False, widget=DateInput)


class JudgmentForm(forms.Form):
    """The verdict on one accused for one section."""

    accused = forms.ChoiceField(label=_("Accused"))
    section = forms.ChoiceField(label=_("Section"))
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    sentence = forms.CharField(label=_("Sentence"), required=False, max_length=200)

    def __init__(self, *args: Any, accused: Any = (), sections: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accused"].choices = [(str(a.pk), a.name) for a in accused]
        self.fields["section"].choices = list(sections)


class MeasureForm(forms.Form):
    """A protection step for the survivor."""

    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    detail = forms.CharField(label=_("Detail"), required=False, max_length=300)


class HearingForm(forms.Form):
    """A coming hearing."""

    on = forms.DateField(label=_("Date"), widget=DateInput)
    court = forms.CharField(label=_("Court"), required=False, max_length=200)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=150)
    survivor_needed = forms.BooleanField(label=_("Survivor must attend"), required=False)


class HearingOutcomeForm(forms.Form):
    """What happened at a hearing, and the next date."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=HearingOutcome.choices)
    adjournment_reason = forms.ChoiceField(
        label=_("Adjournment reason"),
        required=False,
        choices=[("", "—"), *AdjournmentReason.choices],
    )
    next_on = forms.DateField(label=_("Next date"), required=False, widget=DateInput)


class ClaimLinkForm(forms.Form):
    """Link a compensation proceeding to one of the case's claims."""

    claim = forms.ChoiceField(label=_("Compensation claim"))

    def __init__(self, *args: Any, claims: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [(str(c.pk), str(c)) for c in claims]


class AccusedEditForm(AccusedForm):
    """An accused with the verdict on each section invoked (empty: no verdict, or remove it)."""

    def __init__(self, *args: Any, sections: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = [code for code, _label in sections]
        # Field names carry the section code: the service names its errors the same way.
        for code, label in sections:
            self.fields[f"verdict:{code}"] = forms.ChoiceField(
                label=_("%(section)s: verdict") % {"section": label},
                required=False,
                choices=[("", _("No verdict")), *Verdict.choices],
            )
            self.fields[f"decided_on:{code}"] = forms.DateField(
                label=_("%(section)s: decided on") % {"section": label},
                required=False,
                widget=DateInput,
            )
            self.fields[f"sentence:{code}"] = forms.CharField(
                label=_("%(section)s: sentence") % {"section": label},
                required=False,
                max_length=200,
            )

    def values(self) -> dict[str, Any]:
        """The cleaned fields as ``accused_correct`` takes them."""
        data = self.cleaned_data
        verdicts: dict[str, dict[str, Any] | None] = {}
        for code in self.sections:
            verdict = data.get(f"verdict:{code}")
            verdicts[code] = (
                {
                    "verdict": verdict,
                    "decided_on": data.get(f"decided_on:{code}"),
                    "sentence": data.get(f"sentence:{code}", ""),
                }
                if verdict
                else None
            )
        fields = {name: data[name] for name in AccusedForm.base_fields}
        return {**fields, "verdicts": verdicts}


class HearingEditForm(HearingForm):
    """A hearing as recorded: date, court, purpose, attendance, outcome and its reason."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=HearingOutcome.choices)
    adjournment_reason = forms.ChoiceField(
        label=_("Adjournment reason"),
        required=False,
        choices=[("", "—"), *AdjournmentReason.choices],
    )


class WitnessPlanForm(forms.Form):
    """How an inter-state witness reaches a hearing: travel, escort, allowance, video link."""

    status = forms.ChoiceField(label=_("Status"), choices=WitnessPlanStatus.choices)
    travel_from = forms.CharField(label=_("Travelling from"), required=False, max_length=150)
    travel_to = forms.CharField(label=_("Travelling to"), required=False, max_length=150)
    travel_mode = forms.ChoiceField(
        label=_("Travel by"), required=False, choices=[("", "—"), *TravelMode.choices]
    )
    travel_on = forms.DateField(label=_("Travel date"), required=False, widget=DateInput)
    escort_name = forms.CharField(label=_("Escort"), required=False, max_length=150)
    escort_org = forms.CharField(
        label=_("Escort's organisation"),
        required=False,
        max_length=200,
        help_text=_("For example the police station or the NGO that sends the escort."),
    )
    allowance_rupees = forms.IntegerField(
        label=_("Allowance (₹)"), required=False, min_value=0, max_value=10_000_000
    )
    allowance_paid = forms.BooleanField(label=_("Allowance paid"), required=False)
    video_requested = forms.BooleanField(label=_("Video link requested"), required=False)
    video_granted = forms.BooleanField(label=_("Video link granted"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)

    def clean_allowance_rupees(self) -> int:
        return self.cleaned_data.get("allowance_rupees") or 0


class AppealForm(PlaceFieldsMixin, forms.Form):
    """An appeal: the appellate court and its CNR number, who appealed, against which verdicts
    (or which earlier appeal's decision), when, and what the higher court decided. The district
    select lists the chosen state's districts (orgs' ``PlaceFieldsMixin``, as every place form)."""

    judgments = forms.MultipleChoiceField(
        label=_("Against the verdicts"), required=False, widget=forms.CheckboxSelectMultiple
    )
    appellant = forms.ChoiceField(label=_("Appealed by"), choices=[("", "—"), *Appellant.choices])
    court_level = forms.ChoiceField(
        label=_("Appellate court"), choices=[("", "—"), *AppealCourt.choices]
    )
    court = forms.CharField(
        label=_("Name of the court"),
        max_length=200,
        help_text=_("For example: High Court of Bombay, or Sessions Court, Pune."),
    )
    appeal_from = forms.ChoiceField(
        label=_("Against the decision in the appeal"),
        required=False,
        help_text=_(
            "For a further appeal, e.g. to the Supreme Court: the earlier appeal, decided."
        ),
    )
    cnr_number = forms.CharField(
        label=_("eCourts CNR number of the appeal"),
        required=False,
        help_text=_("16 characters, e.g. MHPU010012342025"),
    )
    filed_on = forms.DateField(label=_("Appeal filed on"), widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=AppealStatus.choices)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput)

    def __init__(
        self,
        *args: Any,
        judgments: Any = (),
        appeals: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgments"].choices = [
            (str(j.pk), f"{j.accused.name} · {j.section}: {j.get_verdict_display()}")
            for j in judgments
        ]
        # Every appeal of the case is offered; the service refuses one not yet decided, saying so.
        self.fields["appeal_from"].choices = [
            ("", "—"),
            *(
                (
                    str(a.pk),
                    f"{a.court or a.get_court_level_display()} · {a.get_status_display()}",
                )
                for a in appeals
            ),
        ]
        self._setup_places(self.data if self.is_bound else None)
        self.fields["state"].label = _("State")
        self.fields["district"].help_text = _(
            "For a Sessions Court; a High Court needs only the state."
        )
        self.order_fields(APPEAL_FORM_ORDER)

    def values(self) -> dict[str, Any]:
        """The cleaned fields as the appeal services take them."""
        return self.service_values(self.cleaned_data)

    @staticmethod
    def service_values(cleaned: dict[str, Any]) -> dict[str, Any]:
        """Cleaned data as the appeal services take it (the earlier appeal by its id)."""
        data = dict(cleaned)
        data["appeal_from_id"] = data.pop("appeal_from", None) or None
        return data


APPEAL_FORM_ORDER = [
    "judgments",
    "appellant",
    "court_level",
    "appeal_from",
    "court",
    "state",
    "district",
    "cnr_number",
    "filed_on",
    "status",
    "decided_on",
]


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button is the confirmation."""
