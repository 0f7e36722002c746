"""Forms of referrals: send one, and the receiving and sending sides' responses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from setu.consent.selectors import ConsentScope
from setu.core.forms import DateInput
from setu.directory.selectors import ServiceType
from setu.orgs.selectors import organisation_label
from setu.referrals.models import ReferralKind, Urgency
from setu.referrals.selectors import REFERRAL_SCOPES


class ReferralForm(forms.Form):
    """Refer a person of a case to a service in the directory."""

    person = forms.ChoiceField(label=_("Person"))
    to_service = forms.ChoiceField(label=_("Service"))
    need = forms.ChoiceField(
        label=_("Need"),
        required=False,
        choices=[("", _("Same as the service")), *ServiceType.choices],
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ReferralKind.choices)
    scopes = forms.MultipleChoiceField(
        label=_("Share"),
        choices=[(s.value, s.label) for s in (ConsentScope(v) for v in REFERRAL_SCOPES)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only what the person consented to share with this organisation can be sent. "
            "Share the least the service needs."
        ),
    )
    message = forms.CharField(
        label=_("What is needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what the person needs and by when; do not retell the case."),
    )

    def __init__(
        self,
        *args: Any,
        persons: Any = (),
        services: Any = (),
        free_beds: dict[Any, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(p.pk), p.display_name) for p in persons]
        free_beds = free_beds or {}

        def label(s: Any) -> str:
            org = organisation_label(s.organisation, with_type=False)
            text = f"{s.get_service_type_display()} — {s.name} · {org}"
            # A shelter's free beds right now, so nobody is referred to a full home unknowingly.
            if s.service_type == ServiceType.SHELTER and s.organisation_id in free_beds:
                n = free_beds[s.organisation_id]
                text += " · " + ngettext("%(n)d free bed", "%(n)d free beds", n) % {"n": n}
            return text

        self.fields["to_service"].choices = [("", _("Choose a service"))] + [
            (str(s.pk), label(s)) for s in services
        ]


class ReasonForm(forms.Form):
    """A reason, required to decline or close."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# Reasons a receiving organisation gives most often; "no bed" counts as unmet demand.
DECLINE_REASONS = (
    ("no_bed", _("No bed available")),
    ("area", _("We do not serve this area")),
    ("eligibility", _("The person is not eligible for this service")),
    ("capacity", _("We cannot take anyone on now")),
    ("other", _("Other reason")),
)


class DeclineForm(forms.Form):
    """Why a referral is declined: a common reason, with details (required for "other")."""

    why = forms.ChoiceField(label=_("Why"), choices=DECLINE_REASONS)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, shelter: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not shelter:
            self.fields["why"].choices = [c for c in DECLINE_REASONS if c[0] != "no_bed"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("why") == "other" and not (data.get("details") or "").strip():
            self.add_error("details", _("Say why the referral is declined."))
        return data

    def decline_data(self) -> dict[str, Any]:
        """The service's arguments: the reason as text, and whether it is for lack of beds."""
        why = self.cleaned_data["why"]
        label = str(dict(DECLINE_REASONS)[why])
        details = self.cleaned_data["details"].strip()
        reason = details if why == "other" else (f"{label}: {details}" if details else label)
        return {"reason": reason, "no_bed": why == "no_bed"}


class NoteForm(forms.Form):
    """An optional note on accepting, starting or completing."""

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoverForm(forms.Form):
    """The handover checklist of a transfer or repatriation."""

    escort_arranged = forms.BooleanField(label=_("Escort arranged"), required=False)
    escort_details = forms.CharField(label=_("Escort (who, from which office)"), required=False)
    documents_handed_over = forms.CharField(
        label=_("Documents handed over (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    receiving_authority = forms.CharField(
        label=_("Receiving CWC or shelter"), required=False, max_length=200
    )
    travel_date = forms.DateField(label=_("Travel date"), required=False, widget=DateInput)

    def handover_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["documents_handed_over"] = [
            line.strip() for line in data["documents_handed_over"].splitlines() if line.strip()
        ]
        return data
