"""Forms of the shelter pages; they only parse input, services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.forms import DateInput
from setu.directory.selectors import Language
from setu.shelters.models import BedKind


class BedGroupForm(forms.Form):
    """A group of beds: what kind, how many, and for whom it is accessible."""

    kind = forms.ChoiceField(label=_("Beds for"), choices=BedKind.choices)
    label = forms.CharField(label=_("Label (optional)"), max_length=60, required=False)
    total = forms.IntegerField(label=_("Beds in total"), min_value=0, max_value=2000)
    occupied = forms.IntegerField(label=_("Occupied now"), min_value=0, initial=0)
    out_of_service = forms.IntegerField(label=_("Out of service"), min_value=0, initial=0)
    languages = forms.MultipleChoiceField(
        label=_("Languages staff speak"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disability_access = forms.BooleanField(
        label=_("Accessible for disabled persons"), required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)


class BedGroupDetailsForm(forms.Form):
    """What a group offers (not its counts)."""

    label = forms.CharField(label=_("Label (optional)"), max_length=60, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages staff speak"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disability_access = forms.BooleanField(
        label=_("Accessible for disabled persons"), required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class CountsForm(forms.Form):
    """The plain fallback for the +/- buttons: set all counts at once."""

    total = forms.IntegerField(label=_("Beds in total"), min_value=0, max_value=2000)
    occupied = forms.IntegerField(label=_("Occupied"), min_value=0)
    out_of_service = forms.IntegerField(label=_("Out of service"), min_value=0)


class AdjustForm(forms.Form):
    """One tap on a +/- button."""

    counter = forms.ChoiceField(
        choices=[("total", "total"), ("occupied", "occupied"), ("out_of_service", "oos")]
    )
    delta = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1")], coerce=int)


class BoardFilterForm(forms.Form):
    """Non-identifying filters of the capacity board (safe in a query string)."""

    state = forms.TypedChoiceField(label=_("State"), required=False, coerce=int, empty_value=None)
    district = forms.TypedChoiceField(
        label=_("District"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Beds for"), required=False, choices=[("", _("Any")), *BedKind.choices]
    )
    only_free = forms.BooleanField(label=_("Only with free beds"), required=False)

    def __init__(self, *args: object, states: object = (), districts: object = (), **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["state"].choices = [("", _("Any"))] + [(s.pk, s.name) for s in states]
        self.fields["district"].choices = [("", _("Any"))] + [(d.pk, str(d)) for d in districts]


class HoldForm(forms.Form):
    """Which bed group to hold a bed in."""

    bed_group = forms.UUIDField(widget=forms.HiddenInput)
    # Set by the "Hold anyway" button, shown under the warning of a bed that does not fit.
    confirm_misfit = forms.BooleanField(required=False, widget=forms.HiddenInput)


class UnmetDemandForm(forms.Form):
    """Record that no bed was found in a district."""

    district = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *BedKind.choices])


class AdmitForm(forms.Form):
    """Admit a survivor of one of the shelter's own cases into a bed of a kind."""

    case_person = forms.ChoiceField(label=_("Who (case — person)"))
    bed_kind = forms.ChoiceField(label=_("Bed"))
    occurred_on = forms.DateField(
        label=_("Admitted on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args: Any, people: Any = (), kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_person"].choices = [("", _("Choose"))] + [
            (c.value, c.label) for c in people
        ]
        self.fields["bed_kind"].choices = list(kinds)

    def clean_occurred_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("occurred_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The admission cannot be dated in the future."))
        return day
