"""Forms of the service directory: the finder's filters and the service editor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.directory.models import Language, Service, ServiceType, Sex
from setu.orgs import selectors as places


class FinderForm(forms.Form):
    """Filters for finding services; non-identifying, so they may travel in the URL (GET)."""

    need = forms.ChoiceField(
        label=_("Need"), required=False, choices=[("", _("Any need")), *ServiceType.choices]
    )
    state = forms.TypedChoiceField(label=_("State"), required=False, coerce=int, empty_value=None)
    district = forms.TypedChoiceField(
        label=_("District"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states"))] + [
            (s.code, s.name) for s in places.state_list()
        ]
        state_code = self.data.get("state") if self.is_bound else None
        state = places.state_get(code=int(state_code)) if str(state_code).isdigit() else None
        districts = places.district_list(state_code=state.code if state else None)
        label = (lambda d: d.name) if state else (lambda d: f"{d.name}, {d.state.name}")
        self.fields["district"].choices = [("", _("All districts"))] + [
            (d.code, label(d)) for d in districts
        ]


class ServiceForm(forms.ModelForm):
    """Add or edit one of the organisation's services."""

    sexes = forms.MultipleChoiceField(
        label=_("For"),
        required=False,
        choices=Sex.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the service takes everyone."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "service_type", "name", "description", "districts", "states", "age_min", "age_max",
            "sexes", "languages", "disability_access", "eligibility_notes", "phone", "email",
            "hours", "is_active",
        ]  # fmt: skip
        widgets = {
            "districts": forms.SelectMultiple(attrs={"size": 8}),
            "states": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Leave empty to use the type of service.")
        self.fields["districts"].queryset = places.district_list()
        self.fields["states"].queryset = places.state_list()

    def service_data(self) -> dict[str, Any]:
        """Cleaned plain fields for the service layer (places are passed separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("districts", "states")}
