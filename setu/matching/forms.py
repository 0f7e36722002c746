"""Forms of the matching context."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.matching.models import PairKind, PairStatus


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

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Waiting for us")), *list(PairStatus.choices)],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *list(PairKind.choices)], required=False
    )
