"""API input and output shapes for the registry.

Inputs list exactly the fields a caller may set; services validate the rest and name the fields
they refuse. Outputs leave out what the selectors' ``Visibility`` says the actor may not see
(a partner organisation sees only what the survivor's consent and the share allow).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from setu.orgs import selectors as places
from setu.registry import hooks
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
    PhoneKind,
    Script,
    TraffickingStatus,
)

# --- shared pieces ------------------------------------------------------------------------------


class DistrictField(serializers.PrimaryKeyRelatedField):
    """A district by its LGD code; an unknown code is a field error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "LGD district code")
        super().__init__(queryset=places.district_list(), **kwargs)


class StateField(serializers.PrimaryKeyRelatedField):
    """A state or union territory by its LGD code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "LGD state code")
        super().__init__(queryset=places.state_list(), **kwargs)


class OrgRefOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class PlaceOut(serializers.Serializer):
    code = serializers.IntegerField(source="pk")
    name = serializers.CharField()


def _paginated(name: str, item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """An explicit LimitOffset page of ``item`` (for endpoints answering POST with a page)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


# --- persons ------------------------------------------------------------------------------------


class PersonFilterIn(serializers.Serializer):
    """Query-string filters of the person list: never names or phones (those go to search)."""

    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    role = serializers.ChoiceField(choices=CaseRole.choices, required=False)
    state = serializers.IntegerField(required=False, min_value=1, help_text="LGD state code")
    district = serializers.IntegerField(required=False, min_value=1, help_text="LGD district code")
    mine = serializers.BooleanField(required=False, default=False)
    include_archived = serializers.BooleanField(required=False, default=False)


class PersonSearchIn(serializers.Serializer):
    """A name, alias, native-script name or phone number; sent in the body, never in the URL."""

    query = serializers.CharField(max_length=200, trim_whitespace=True)


class PersonIn(serializers.Serializer):
    """Identity fields of a person (all optional; at least one name is required on create)."""

    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name_native = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_native_script = serializers.ChoiceField(
        choices=Script.choices, required=False, allow_blank=True
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, allow_blank=True
    )
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    age_estimated_on = serializers.DateField(required=False, allow_null=True)
    father_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    mother_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    spouse_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    nationality = serializers.CharField(min_length=2, max_length=2, required=False)
    languages = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    disability = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PersonCreateIn(PersonIn):
    """A new person: identity fields, and the reason when the organisation may already have them."""

    create_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=(
            "Required when the organisation already has a record that is probably this person "
            "(the check before creating); without it the create is refused with 400 and an "
            "error on this field naming the records. Kept in the audit trail."
        ),
    )


class PersonOut(serializers.Serializer):
    """A person in a list or search result (only persons whose identity the actor may see)."""

    id = serializers.UUIDField()
    owner_org = OrgRefOut()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    name_native = serializers.CharField()
    gender = serializers.CharField()
    age = serializers.SerializerMethodField()
    archived = serializers.SerializerMethodField()

    def get_age(self, obj: Any) -> int | None:
        return obj.age_on()

    def get_archived(self, obj: Any) -> bool:
        return obj.archived_at is not None


PersonPageOut = _paginated("PersonPageOut", PersonOut)


class AliasIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=AliasKind.choices, default=AliasKind.ALIAS)


class AliasOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()


class DocumentIn(serializers.Serializer):
    """An identity document. For Aadhaar send only the last four digits: a full number is refused."""

    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    issued_by = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    is_held_by_person = serializers.BooleanField(required=False, default=True)


class DocumentOut(serializers.Serializer):
    id = serializers.UUIDField()
    doc_type = serializers.CharField()
    number = serializers.CharField()
    issued_by = serializers.CharField()
    is_held_by_person = serializers.BooleanField()


class PhoneIn(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    kind = serializers.ChoiceField(choices=PhoneKind.choices, default=PhoneKind.OWN)
    note = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PhoneOut(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    kind = serializers.CharField()
    note = serializers.CharField()


class AddressIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AddressKind.choices, default=AddressKind.HOME)
    village = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    line = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    district = DistrictField(required=False, allow_null=True, default=None)
    state = StateField(required=False, allow_null=True, default=None)
    pincode = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    country = serializers.CharField(min_length=2, max_length=2, required=False, default="IN")


class AddressOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    village = serializers.CharField()
    line = serializers.CharField()
    district = PlaceOut(allow_null=True)
    state = PlaceOut(allow_null=True)
    pincode = serializers.CharField()
    country = serializers.CharField()


class CaseLinkOut(serializers.Serializer):
    case = serializers.UUIDField(source="case_id")
    reference = serializers.CharField(source="case.reference")
    role = serializers.CharField()


IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "name_native",
    "name_native_script",
    "gender",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "age_estimated_on",
    "age",
    "father_name",
    "mother_name",
    "spouse_name",
    "nationality",
    "languages",
    "disability",
)


class PersonDetailOut(serializers.Serializer):
    """A person's record as the actor may see it; hidden parts are null (identity) or empty."""

    id = serializers.UUIDField(source="person.id")
    owner_org = OrgRefOut(source="person.owner_org")
    is_owner = serializers.BooleanField(source="visibility.is_owner")
    visible_scopes = serializers.SerializerMethodField()
    given_name = serializers.CharField(source="person.given_name", allow_null=True)
    family_name = serializers.CharField(source="person.family_name", allow_null=True)
    name_native = serializers.CharField(source="person.name_native", allow_null=True)
    name_native_script = serializers.CharField(source="person.name_native_script", allow_null=True)
    gender = serializers.CharField(source="person.gender", allow_null=True)
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    birth_date_precision = serializers.CharField(
        source="person.birth_date_precision", allow_null=True
    )
    estimated_age = serializers.IntegerField(source="person.estimated_age", allow_null=True)
    age_estimated_on = serializers.DateField(source="person.age_estimated_on", allow_null=True)
    age = serializers.SerializerMethodField()
    father_name = serializers.CharField(source="person.father_name", allow_null=True)
    mother_name = serializers.CharField(source="person.mother_name", allow_null=True)
    spouse_name = serializers.CharField(source="person.spouse_name", allow_null=True)
    nationality = serializers.CharField(source="person.nationality", allow_null=True)
    languages = serializers.ListField(
        child=serializers.CharField(), source="person.languages", allow_null=True
    )
    disability = serializers.CharField(source="person.disability", allow_null=True)
    archived = serializers.SerializerMethodField()
    aliases = AliasOut(many=True)
    documents = DocumentOut(many=True)
    phones = PhoneOut(many=True)
    addresses = AddressOut(many=True)
    cases = CaseLinkOut(many=True, source="case_links")

    def get_fields(self) -> dict[str, Any]:
        # Parts other apps own (the consent app's ``consents``), through registry.hooks.
        return {**super().get_fields(), **hooks.person_api_fields()}

    def get_visible_scopes(self, obj: Any) -> list[str]:
        return sorted(obj.visibility.scopes)

    def get_age(self, obj: Any) -> int | None:
        return obj.person.age_on()

    def get_archived(self, obj: Any) -> bool:
        return obj.person.archived_at is not None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not instance.visibility.identity:
            data.update(dict.fromkeys(IDENTITY_FIELDS))
        return data


# --- cases --------------------------------------------------------------------------------------


class CaseFilterIn(serializers.Serializer):
    """Query-string filters of the case list (non-identifying)."""

    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    trafficking_status = serializers.ChoiceField(choices=TraffickingStatus.choices, required=False)
    exploitation_form = serializers.ChoiceField(choices=ExploitationForm.choices, required=False)
    event_kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    state = serializers.IntegerField(required=False, min_value=1, help_text="LGD state code")
    district = serializers.IntegerField(required=False, min_value=1, help_text="LGD district code")
    opened_from = serializers.DateField(required=False)
    opened_to = serializers.DateField(required=False)
    mine = serializers.BooleanField(required=False, default=False)


class CaseIn(serializers.Serializer):
    """Fields of a case (a blank reference on create becomes ``<ORG>/<year>/<nnnn>``)."""

    reference = serializers.CharField(max_length=40, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    trafficking_status = serializers.ChoiceField(choices=TraffickingStatus.choices, required=False)
    identified_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    opened_on = serializers.DateField(required=False)
    closed_on = serializers.DateField(required=False, allow_null=True)
    is_restricted = serializers.BooleanField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    fir_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    police_station = serializers.CharField(max_length=150, required=False, allow_blank=True)
    sections_charged = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CaseOut(serializers.Serializer):
    """A case in a list: no summary, no legal details, no people."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    owner_org = OrgRefOut()
    status = serializers.CharField()
    trafficking_status = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    is_restricted = serializers.BooleanField()


class ParticipantOut(serializers.Serializer):
    person = serializers.SerializerMethodField()
    name = serializers.CharField()
    role = serializers.CharField(source="link.role")

    def get_person(self, obj: Any) -> str | None:
        # The person's id is given only where the actor may open the person's record.
        return str(obj.link.person_id) if obj.can_open else None


LEGAL_FIELDS = ("fir_number", "police_station", "sections_charged")


class CaseDetailOut(serializers.Serializer):
    """A case as the actor may see it; what the share does not cover is null or empty."""

    id = serializers.UUIDField(source="case.id")
    reference = serializers.CharField(source="case.reference")
    owner_org = OrgRefOut(source="case.owner_org")
    is_owner = serializers.BooleanField(source="visibility.is_owner")
    visible_scopes = serializers.SerializerMethodField()
    status = serializers.CharField(source="case.status")
    trafficking_status = serializers.CharField(source="case.trafficking_status")
    identified_by = serializers.CharField(source="case.identified_by")
    opened_on = serializers.DateField(source="case.opened_on")
    closed_on = serializers.DateField(source="case.closed_on", allow_null=True)
    is_restricted = serializers.BooleanField(source="case.is_restricted")
    case_owner = serializers.SerializerMethodField()
    summary = serializers.CharField(source="case.summary", allow_null=True)
    fir_number = serializers.CharField(source="case.fir_number", allow_null=True)
    police_station = serializers.CharField(source="case.police_station", allow_null=True)
    sections_charged = serializers.CharField(source="case.sections_charged", allow_null=True)
    participants = ParticipantOut(many=True)
    exploitation_forms = serializers.SerializerMethodField()
    control_means = serializers.SerializerMethodField()

    def get_visible_scopes(self, obj: Any) -> list[str]:
        return sorted(obj.visibility.scopes)

    def get_case_owner(self, obj: Any) -> str | None:
        # Who in the owning organisation runs the case is that organisation's business.
        owner = obj.case.case_owner
        return owner.username if owner and obj.visibility.is_owner else None

    def get_exploitation_forms(self, obj: Any) -> list[str]:
        return [e.form for e in obj.exploitations]

    def get_control_means(self, obj: Any) -> list[str]:
        return [m.means for m in obj.control_means]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not instance.visibility.case_history:
            data["summary"] = None
        if not instance.visibility.legal:
            data.update(dict.fromkeys(LEGAL_FIELDS))
        return data


class EventIn(serializers.Serializer):
    """Something that happened in a case, where and when."""

    kind = serializers.ChoiceField(choices=EventKind.choices)
    person = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="A person already in the case"
    )
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, default="day")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    district = DistrictField(required=False, allow_null=True, default=None)
    state = StateField(required=False, allow_null=True, default=None)
    country = serializers.CharField(min_length=2, max_length=2, default="IN")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class EventOut(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    kind = serializers.CharField()
    person = serializers.UUIDField(source="person_id", allow_null=True)
    occurred_on = serializers.DateField(allow_null=True)
    date_precision = serializers.CharField()
    place = serializers.CharField()
    district = PlaceOut(allow_null=True)
    state = PlaceOut(allow_null=True)
    country = serializers.CharField()
    description = serializers.CharField()


# --- attachments (photos and documents) ---------------------------------------------------------


class AttachmentIn(serializers.Serializer):
    """A photo or document, sent as multipart/form-data. JPEG, PNG or WebP for a photo; also PDF
    for a document. Type and size are checked from the content; images are re-encoded, which
    removes EXIF and GPS; PDFs with scripts, actions or embedded files are refused."""

    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField(use_url=False)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class AttachmentOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    person = serializers.UUIDField(source="person_id", allow_null=True)
    case = serializers.UUIDField(source="case_id", allow_null=True)
