"""Forms of the registry pages. They parse and present input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.core.countries import country_choices
from setu.core.forms import DateInput
from setu.orgs.selectors import OrganisationChoiceField, PlaceFieldsMixin
from setu.registry.models import (
    AddressKind,
    AliasKind,
    AttachmentKind,
    CaseRole,
    CaseStatus,
    DatePrecision,
    DocumentType,
    EventKind,
    ExploitationForm,
    Gender,
    MeansOfControl,
    NoteTopic,
    PerpetratorRole,
    PhoneKind,
    RelationshipToTrafficker,
    Script,
    ServiceStatus,
    ServiceType,
    TraffickingStatus,
)
from setu.registry.text import AADHAAR_ERROR


def _blank(choices: list[tuple[str, Any]], label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class PersonSearchForm(forms.Form):
    """A name, alias or phone number; always sent by POST so it never lands in a URL or log."""

    q = forms.CharField(
        label=_("Name, alias, phone or case reference"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class CaseSearchForm(forms.Form):
    """A case reference, old or new spelling; sent by POST like every search."""

    q = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("For example PCMS/2026/0004, or part of it."),
    )


class PersonFilterForm(PlaceFieldsMixin, forms.Form):
    """Non-identifying filters of the person list (GET)."""

    gender = forms.ChoiceField(label=_("Gender"), choices=_blank(Gender.choices), required=False)
    role = forms.ChoiceField(
        label=_("Role in a case"), choices=_blank(CaseRole.choices), required=False
    )
    mine = forms.BooleanField(label=_("Recorded by me"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_places(self.data)


class PersonForm(PlaceFieldsMixin, forms.Form):
    """Identity of a person; on creation also their home place."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    name_native = forms.CharField(
        label=_("Name in native script"),
        max_length=200,
        required=False,
        help_text=_("As the person writes it, e.g. पूजा मंडल or পূজা মণ্ডল."),
    )
    name_native_script = forms.ChoiceField(
        label=_("Script"),
        choices=_blank(Script.choices, _("Detect automatically")),
        required=False,
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    birth_date_precision = forms.ChoiceField(
        label=_("Date of birth known to"), choices=_blank(DatePrecision.choices), required=False
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age (years)"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("Only when the date of birth is not known."),
    )
    age_estimated_on = forms.DateField(
        label=_("Age estimated on"), required=False, widget=DateInput
    )
    father_name = forms.CharField(label=_("Father's name"), max_length=150, required=False)
    mother_name = forms.CharField(label=_("Mother's name"), max_length=150, required=False)
    spouse_name = forms.CharField(label=_("Spouse's name"), max_length=150, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), initial="IN")
    languages = forms.CharField(
        label=_("Languages spoken"),
        required=False,
        help_text=_("Separate with commas, e.g. Bengali, Hindi."),
    )
    disability = forms.CharField(
        label=_("Disability or access needs"), max_length=200, required=False
    )
    village = forms.CharField(label=_("Village / locality (home)"), max_length=150, required=False)

    create_reason = forms.CharField(
        label=_("Why create another record?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when your organisation may already have this person, "
            'e.g. "A different girl: other father and village". Kept in the audit trail.'
        ),
    )

    PLACE_FIELDS = ("state", "district", "village")
    # Shown beside the check before creating, which runs on them.
    NAME_FIELDS = ("given_name", "family_name", "name_native", "name_native_script")

    def __init__(self, *args: Any, with_home: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = country_choices(self.initial.get("nationality"))
        if with_home:
            self._setup_places(self.data)
            others = [
                name
                for name in self.fields
                if name not in self.PLACE_FIELDS and name != "create_reason"
            ]
            self.order_fields([*others, *self.PLACE_FIELDS, "create_reason"])
        else:
            del self.fields["village"]
            del self.fields["create_reason"]

    def name_fields(self) -> list[Any]:
        """The bound name fields (the new-person page puts the check beside them)."""
        return [self[name] for name in self.NAME_FIELDS]

    def other_fields(self) -> list[Any]:
        """The remaining visible fields but the reason, in order."""
        skip = {*self.NAME_FIELDS, "create_reason"}
        return [f for f in self.visible_fields() if f.name not in skip]

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [part.strip() for part in raw.split(",") if part.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("birth_date") and data.get("estimated_age") is not None:
            self.add_error(
                "estimated_age", _("Give either a date of birth or an estimated age, not both.")
            )
        return data

    def person_fields(self) -> dict[str, Any]:
        """Cleaned data for ``person_create``/``person_update``."""
        data = dict(self.cleaned_data)
        for name in ("state", "district", "village", "create_reason"):
            data.pop(name, None)
        return data

    def home_fields(self) -> dict[str, Any] | None:
        """Cleaned data for the home address, when one was given."""
        data = self.cleaned_data
        if not (data.get("village") or data.get("district") or data.get("state")):
            return None
        return {
            "kind": AddressKind.HOME,
            "village": data.get("village") or "",
            "district": data.get("district"),
            "state": data.get("state"),
        }


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=AliasKind.choices, initial=AliasKind.ALIAS)


class PhoneForm(forms.Form):
    number = forms.CharField(
        label=_("Phone number"),
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("10-digit Indian numbers get +91; others need + and the country code."),
    )
    kind = forms.ChoiceField(label=_("Whose phone"), choices=PhoneKind.choices)
    note = forms.CharField(label=_("Note"), max_length=100, required=False)


class AddressForm(PlaceFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    village = forms.CharField(label=_("Village / locality"), max_length=150, required=False)
    line = forms.CharField(label=_("Address"), max_length=300, required=False)
    pincode = forms.CharField(label=_("PIN code"), max_length=6, required=False)
    country = forms.ChoiceField(label=_("Country"), initial="IN")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(self.initial.get("country"))
        self._setup_places(self.data)
        self.order_fields(["kind", "state", "district", "village", "line", "pincode", "country"])


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document"), choices=DocumentType.choices)
    number = forms.CharField(
        label=_("Number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("For Aadhaar, only the last four digits."),
    )
    issued_by = forms.CharField(label=_("Issued by"), max_length=100, required=False)
    is_held_by_person = forms.BooleanField(
        label=_("The person holds the document"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number = data.get("number") or ""
        if data.get("doc_type") == DocumentType.AADHAAR and sum(c.isdigit() for c in number) > 4:
            self.add_error("number", str(AADHAAR_ERROR))
            # Never send a full Aadhaar number back to the browser in the re-rendered form.
            self.data = self.data.copy()
            self.data[self.add_prefix("number")] = ""
        return data


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        required=False,
        help_text=_("Leave blank to number it automatically."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)
    trafficking_status = forms.ChoiceField(
        label=_("Identification"), choices=TraffickingStatus.choices
    )
    identified_by = forms.CharField(
        label=_("Identification decided by"), max_length=200, required=False
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput)
    is_restricted = forms.BooleanField(
        label=_("Restricted to the case team"),
        required=False,
        help_text=_("Only the case owner, the team and the organisation admin will see it."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea)
    fir_number = forms.CharField(label=_("FIR number"), max_length=40, required=False)
    police_station = forms.CharField(label=_("Police station"), max_length=150, required=False)
    sections_charged = forms.CharField(label=_("Sections charged"), max_length=200, required=False)


class CaseCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How the case closed"),
        choices=[
            (CaseStatus.CLOSED, CaseStatus.CLOSED.label),
            (CaseStatus.CLOSED_REFERRED, CaseStatus.CLOSED_REFERRED.label),
        ],
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)
    reason = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseFilterForm(PlaceFieldsMixin, forms.Form):
    """Non-identifying filters of the case list (GET)."""

    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(CaseStatus.choices), required=False
    )
    trafficking_status = forms.ChoiceField(
        label=_("Identification"), choices=_blank(TraffickingStatus.choices), required=False
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"), choices=_blank(ExploitationForm.choices), required=False
    )
    event_kind = forms.ChoiceField(
        label=_("Event"), choices=_blank(EventKind.choices), required=False
    )
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DateInput)
    opened_to = forms.DateField(label=_("Opened to"), required=False, widget=DateInput)
    mine = forms.BooleanField(label=_("My cases only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_places(self.data)

    def filters(self) -> dict[str, Any]:
        """The cleaned filters (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        return dict(self.cleaned_data)


def _person_choices(case: Any, participants: Any) -> list[tuple[str, Any]]:
    return _blank(
        [(str(p.link.person_id), p.name) for p in participants], _("Not about one person")
    )


class EventForm(PlaceFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=EventKind.choices)
    person = forms.ChoiceField(label=_("Person"), required=False)
    occurred_on = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    date_precision = forms.ChoiceField(
        label=_("Date known to"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), initial="IN")
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, participants: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(self.initial.get("country"))
        self.fields["person"].choices = _person_choices(None, participants)
        self._setup_places(self.data)
        self.order_fields(
            ["kind", "person", "occurred_on", "date_precision", "place", "state", "district"]
        )

    def clean_person(self) -> str | None:
        return self.cleaned_data.get("person") or None


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    person = forms.ChoiceField(label=_("Person"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    provider_org = OrganisationChoiceField(
        label=_("Provider in the network"), queryset=None, required=False
    )
    provider_name = forms.CharField(
        label=_("Provider (if not in the network)"), max_length=200, required=False
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput)
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, participants: Any = (), organisations: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _person_choices(None, participants)
        self.fields["provider_org"].queryset = organisations

    def clean_person(self) -> str | None:
        return self.cleaned_data.get("person") or None


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea)
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=NoteTopic.choices,
        help_text=_("Health and legal notes are shown to partners only with that consent."),
    )


class ExploitationSetForm(forms.Form):
    forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ControlMeansSetForm(forms.Form):
    means = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CasePersonForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role in the case"), choices=CaseRole.choices)
    perpetrator_roles = forms.MultipleChoiceField(
        label=_("Perpetrator's roles"),
        choices=PerpetratorRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to trafficker"),
        choices=_blank(RelationshipToTrafficker.choices),
        required=False,
    )
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficked"), min_value=0, max_value=120, required=False
    )


class AttachmentForm(forms.Form):
    """A photo or a document of a person or case. The file input opens the phone's camera for a
    photo; the type and size are checked by the service from the file's content."""

    kind = forms.ChoiceField(choices=AttachmentKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))
    title = forms.CharField(
        label=_("What it is (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example: ration card, front page. Shown only to those who may see it."),
    )

    def __init__(self, *args: Any, kind: str = AttachmentKind.PHOTO, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = kind
        file_field = self.fields["file"]
        if kind == AttachmentKind.PHOTO:
            file_field.label = _("Photo")
            # On a phone, ``capture`` opens the camera; elsewhere it is a file picker.
            file_field.widget.attrs.update({"accept": "image/*", "capture": "environment"})
            file_field.help_text = _("JPEG, PNG or WebP. Location and camera details are removed.")
        else:
            file_field.label = _("Document")
            file_field.widget.attrs.update({"accept": "image/*,application/pdf"})
            file_field.help_text = _(
                "A PDF, or a photo of the paper (JPEG, PNG or WebP). "
                "PDFs with scripts or embedded files are refused."
            )
