"""Forms of the organisation administration pages. They parse input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.orgs import selectors
from setu.orgs.models import OrganisationType, Role
from setu.orgs.selectors import OrganisationChoiceField as OrganisationChoiceField
from setu.orgs.selectors import organisation_label as organisation_label


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.state.name})"


class DistrictMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.state.name})"


class OrganisationForm(forms.Form):
    """An organisation's profile as its admin (or a platform admin) edits it."""

    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    states = forms.ModelMultipleChoiceField(
        label=_("States served"),
        queryset=selectors.state_list(),
        required=False,
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    districts = DistrictMultipleChoiceField(
        label=_("Districts served"),
        queryset=selectors.district_list(),
        required=False,
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    base_district = DistrictChoiceField(
        label=_("Based in (district)"),
        queryset=selectors.district_list(),
        required=False,
        to_field_name="code",
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea, required=False)
    address_is_confidential = forms.BooleanField(
        label=_("Address is confidential"),
        required=False,
        help_text=_(
            "Only your own members see the address (e.g. a shelter that must not be found)."
        ),
    )
    mfa_required = forms.BooleanField(
        label=_("Require two-factor authentication for every member"), required=False
    )

    @classmethod
    def initial_for(cls, org: Any) -> dict[str, Any]:
        data = {f: getattr(org, f) for f in cls.base_fields if f not in ("states", "districts")}
        data["states"] = list(org.states.all())
        data["districts"] = list(org.districts.all())
        data["base_district"] = org.base_district
        return data


class MemberNewForm(forms.Form):
    """A new account for someone joining the organisation."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Needed to reset a forgotten password by email."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_designated_contact = forms.BooleanField(
        label=_("Designated contact (receives notices and referrals)"), required=False
    )


class MemberExistingForm(forms.Form):
    """An existing Setu account, invited by username (it joins when its holder accepts)."""

    username = forms.CharField(label=_("Username of the existing account"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_designated_contact = forms.BooleanField(
        label=_("Designated contact (receives notices and referrals)"), required=False
    )


class MembershipForm(forms.Form):
    """A member's role in the organisation."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_designated_contact = forms.BooleanField(
        label=_("Designated contact (receives notices and referrals)"), required=False
    )
