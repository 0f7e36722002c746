"""Forms of the matching context."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.matching.models import PairStatus, QueueUrgency


class ReasonForm(forms.Form):
    """Why a match is dismissed or a link undone; kept inside the organisation that wrote it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by your organisation. Do not write the person's details here."),
    )


class PairFilterForm(forms.Form):
    """Non-identifying filters of the review queue (GET)."""

    urgency = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *list(QueueUrgency.choices)],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Waiting for us")), *list(PairStatus.choices)],
        required=False,
    )


class QueueSearchForm(forms.Form):
    """A search of the queue by our own person's name, phone or case reference (POST only:
    names never travel in URLs)."""

    q = forms.CharField(
        label=_("Your record's name, phone or case reference"), max_length=100, required=True
    )
