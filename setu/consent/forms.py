"""Forms of the consent pages: record and withdraw a person's consent, share a case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.consent.models import ConsentGiver, ConsentScope
from setu.core.forms import DateInput
from setu.orgs.selectors import OrganisationChoiceField

SHAREABLE = [
    (value, label)
    for value, label in ConsentScope.choices
    if value not in (ConsentScope.MATCHING, ConsentScope.STATISTICS)
]


class ConsentForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What the person agreed may be shared"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_org = OrganisationChoiceField(
        label=_("With whom"),
        queryset=None,
        required=False,
        empty_label=_("Every organisation in the network"),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    given_by_name = forms.CharField(
        label=_("Name of the guardian, committee or court"), max_length=150, required=False
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_org"].queryset = organisations


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput)
    reason = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseShareForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Share with"), queryset=None)
    scopes = forms.MultipleChoiceField(
        label=_("What to share"), choices=SHAREABLE, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Why"), max_length=300)
    expires_on = forms.DateField(label=_("Share until"), required=False, widget=DateInput)
    recipients = forms.MultipleChoiceField(
        label=_("Only these people at that organisation may see it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required for a restricted case. Shown after the preview."),
    )

    def __init__(
        self, *args: Any, organisations: Any, people: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        choices = [(str(u.pk), u.get_full_name() or u.username) for u in people]
        self.fields["recipients"].choices = choices
        if not choices:
            self.fields["recipients"].widget = forms.MultipleHiddenInput()
