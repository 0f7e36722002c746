"""Forms of the field operations pages. Validation of substance is in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.fieldops.models import Operation, Phase, Resolution, TeamRole

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OperationForm(forms.ModelForm):
    """The plan: kind, code name, place, times, vehicles, shelter, authority, timers."""

    class Meta:
        model = Operation
        fields = [
            "kind",
            "code_name",
            "target_place",
            "district",
            "planned_start",
            "expected_end",
            "vehicles",
            "receiving_shelter",
            "authority_org",
            "authority_name",
            "partner_orgs",
            "is_drill",
            "checkin_minutes",
            "grace_minutes",
            "step_minutes",
        ]
        widgets = {
            "planned_start": DATETIME,
            "expected_end": DATETIME,
            "target_place": forms.Textarea(attrs={"rows": 2}),
            "vehicles": forms.Textarea(attrs={"rows": 2}),
            "partner_orgs": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "code_name": _("Shown in notices; never the place or a name."),
            "target_place": _("Seen only by the team; never sent in a notice or SMS."),
            "is_drill": _("Alerts say it is a drill and the police liaison is not paged."),
        }

    def __init__(self, *args: Any, organisations: Any = None, districts: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            for name in ("receiving_shelter", "authority_org", "partner_orgs"):
                self.fields[name].queryset = organisations
        if districts is not None:
            self.fields["district"].queryset = districts
        for name in ("planned_start", "expected_end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class MemberForm(forms.Form):
    user = forms.ChoiceField(label=_("Staff member"))
    role = forms.ChoiceField(label=_("Role in the operation"), choices=TeamRole.choices)
    buddy = forms.ChoiceField(label=_("Buddy"), required=False)
    phone = forms.CharField(
        label=_("Phone for check-ins"),
        required=False,
        max_length=20,
        help_text=_("For SMS prompts and check-ins from a feature phone."),
    )

    def __init__(
        self, *args: Any, users: Any = (), buddies: Any = (), roles: Any = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = list(users)
        self.fields["buddy"].choices = [("", _("No buddy")), *buddies]
        if roles is not None:
            self.fields["role"].choices = list(roles)


class SeatForm(forms.Form):
    pin = forms.CharField(
        label=_("Check-in PIN"),
        required=False,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("4 to 6 digits, for CHECKIN by SMS."),
    )
    duress_pin = forms.CharField(
        label=_("Duress PIN"),
        required=False,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Use it when someone forces you to check in: it looks like a normal check-in but "
            "calls for help silently."
        ),
    )
    phone = forms.CharField(label=_("Phone for check-ins"), required=False, max_length=20)
    shares_location = forms.BooleanField(
        label=_("Share my rough location with each check-in during this operation"),
        required=False,
    )


class CheckInForm(forms.Form):
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    pin = forms.CharField(
        label=_("PIN (if you use one)"),
        required=False,
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    share_location = forms.BooleanField(label=_("Send my rough location"), required=False)
    latitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    distress = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[
            (Resolution.SAFE, Resolution.SAFE.label),
            (Resolution.FALSE_ALARM, Resolution.FALSE_ALARM.label),
            (Resolution.EMERGENCY, Resolution.EMERGENCY.label),
        ],
        widget=forms.RadioSelect,
    )


class SkipForm(forms.Form):
    skip_reason = forms.CharField(label=_("Why is it skipped?"), required=False, max_length=300)


class DebriefForm(forms.Form):
    went_well = forms.CharField(label=_("What went well"), widget=forms.Textarea(attrs={"rows": 4}))
    went_wrong = forms.CharField(
        label=_("What went wrong"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lesson = forms.CharField(
        label=_("Lesson for the network"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every organisation reads it: no names, no places."),
    )


class RescuedForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    gender = forms.ChoiceField(label=_("Gender"))
    estimated_age = forms.IntegerField(
        label=_("Age (estimated)"), required=False, min_value=0, max_value=120
    )
    create_reason = forms.CharField(
        label=_("Why create another record"),
        required=False,
        max_length=300,
        help_text=_("Only if Setu names a record that may be hers."),
    )

    def __init__(self, *args: Any, genders: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = list(genders)


class SopForm(forms.Form):
    omitted = forms.MultipleChoiceField(
        label=_("Steps your organisation leaves out"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    before = forms.CharField(
        label=_("Own steps before"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One step a line."),
    )
    during = forms.CharField(
        label=_("Own steps during"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One step a line."),
    )
    after = forms.CharField(
        label=_("Own steps after"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One step a line."),
    )

    def __init__(self, *args: Any, steps: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The network's titles in the admin's language (``sop_texts``).
        self.fields["omitted"].choices = [(s["code"], gettext(s["title"])) for s in steps]

    def added(self) -> list[dict[str, str]]:
        return [
            {"phase": phase, "title": line.strip()}
            for phase in Phase.values
            for line in (self.cleaned_data.get(phase) or "").splitlines()
            if line.strip()
        ]


class BedForm(forms.Form):
    bed_group = forms.ChoiceField(label=_("Beds at the receiving shelter"))

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["bed_group"].choices = list(groups)


class HoldForm(forms.Form):
    hold = forms.ChoiceField(label=_("Bed held by your organisation"))

    def __init__(self, *args: Any, holds: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["hold"].choices = list(holds)
