"""Forms of the intel pages; they parse input, services decide (and normalise values)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.core.forms import DateInput
from setu.intel.models import (
    NAME_KIND,
    IdentifierKind,
    PerpetratorKind,
    PerpetratorRole,
    Source,
)

PLATFORM_CHOICES = [
    ("", _("Not a handle")),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("telegram", "Telegram"),
    ("x", "X (Twitter)"),
    ("youtube", "YouTube"),
    ("sharechat", "ShareChat"),
    ("snapchat", "Snapchat"),
    ("linkedin", "LinkedIn"),
    ("other", _("Other platform")),
]


class PerpetratorForm(forms.Form):
    """A perpetrator: person or organisation, names, role, where we know it from."""

    kind = forms.ChoiceField(label=_("Person or organisation"), choices=PerpetratorKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        max_length=1600,
        help_text=_("Nicknames and other spellings, separated by commas."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PerpetratorRole.choices)
    source = forms.ChoiceField(label=_("Known from"), choices=Source.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PerpetratorMergeForm(forms.Form):
    """Which other record of the case is the same person or agency."""

    into = forms.ChoiceField(label=_("The same person or agency as"))

    def __init__(self, *args: Any, others: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = others


class AgencyNumbersForm(PerpetratorForm):
    """A new perpetrator, with an agency's GST and registration numbers."""

    gstin = forms.CharField(label=_("GST number (agencies)"), required=False, max_length=20)
    registration = forms.CharField(
        label=_("Registration or licence number (agencies)"), required=False, max_length=100
    )


class IdentifierForm(forms.Form):
    """An identifier as written; the service normalises it."""

    kind = forms.ChoiceField(label=_("Kind"), choices=IdentifierKind.choices)
    raw = forms.CharField(label=_("Value"), max_length=300)
    platform = forms.ChoiceField(
        label=_("Platform (handles)"), choices=PLATFORM_CHOICES, required=False
    )
    perpetrator_id = forms.ChoiceField(label=_("Whose"), required=False)
    source = forms.ChoiceField(label=_("Known from"), choices=Source.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    first_seen = forms.DateField(label=_("First seen"), required=False, widget=DateInput)
    last_seen = forms.DateField(label=_("Last seen"), required=False, widget=DateInput)

    def __init__(self, *args: Any, perpetrators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perpetrator_id"].choices = [("", _("Not known")), *perpetrators]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["perpetrator_id"] = data.get("perpetrator_id") or ""
        return data


class IdentifierEditForm(IdentifierForm):
    """The same, without the kind (a phone stays a phone; remove it and add another)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


SEARCH_KINDS = [*IdentifierKind.choices, (NAME_KIND, _("Perpetrator's name"))]


class SearchForm(forms.Form):
    """Search by identifier: sent by POST, so the value never appears in a URL or a log."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SEARCH_KINDS)
    raw = forms.CharField(label=_("Value"), max_length=300)
    platform = forms.ChoiceField(
        label=_("Platform (handles)"), choices=PLATFORM_CHOICES, required=False
    )


class AgreementForm(forms.Form):
    """Propose an intelligence-sharing agreement to another organisation."""

    partner_org = forms.ChoiceField(label=_("Partner organisation"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=300)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_org"].choices = [("", "—"), *partners]


GRAPH_KINDS = [*IdentifierKind.choices, (NAME_KIND, _("Names"))]


class GraphFilterForm(forms.Form):
    """Which kinds of value and which period the graph shows (no personal data: GET is fine)."""

    kind = forms.MultipleChoiceField(
        label=_("Kinds"), choices=GRAPH_KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(label=_("Recorded from"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Recorded until"), required=False, widget=DateInput)
