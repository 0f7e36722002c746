"""API shapes of the intel context. Cases and organisations by id and name; never a survivor."""

from __future__ import annotations

from rest_framework import serializers

from setu.intel.forms import PLATFORM_CHOICES, SEARCH_KINDS
from setu.intel.models import (
    Identifier,
    IdentifierKind,
    Perpetrator,
    PerpetratorKind,
    PerpetratorRole,
    SharingAgreement,
    Source,
)


class IdentifierOut(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", default="", read_only=True)

    class Meta:
        model = Identifier
        fields = [
            "id", "case", "perpetrator", "kind", "value", "raw", "source", "note",
            "first_seen", "last_seen", "recorded_by", "created_at",
        ]  # fmt: skip


class PerpetratorOut(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", default="", read_only=True)

    class Meta:
        model = Perpetrator
        fields = [
            "id", "case", "kind", "name", "aliases", "role", "source", "note", "recorded_by",
            "created_at",
        ]  # fmt: skip


class PerpetratorMergeIn(serializers.Serializer):
    """The record of the same case that the perpetrator is merged into."""

    into = serializers.UUIDField()


class PerpetratorIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PerpetratorKind.choices, default=PerpetratorKind.PERSON)
    name = serializers.CharField(max_length=150)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, max_length=10
    )
    role = serializers.ChoiceField(choices=PerpetratorRole.choices)
    source = serializers.ChoiceField(choices=Source.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PerpetratorCreateIn(PerpetratorIn):
    gstin = serializers.CharField(required=False, allow_blank=True, max_length=20)
    registration = serializers.CharField(required=False, allow_blank=True, max_length=100)


class IdentifierIn(serializers.Serializer):
    raw = serializers.CharField(
        max_length=300, help_text="The value as written; Setu normalises it."
    )
    platform = serializers.ChoiceField(
        choices=PLATFORM_CHOICES, required=False, allow_blank=True, help_text="For handles."
    )
    perpetrator_id = serializers.UUIDField(required=False, allow_null=True)
    source = serializers.ChoiceField(choices=Source.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    first_seen = serializers.DateField(required=False, allow_null=True)
    last_seen = serializers.DateField(required=False, allow_null=True)


class IdentifierCreateIn(IdentifierIn):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)


class OrganisationRef(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class ContactOut(serializers.Serializer):
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()


class PerpetratorDetailOut(PerpetratorOut):
    identifiers = IdentifierOut(source="identifier_list", many=True, read_only=True)

    class Meta(PerpetratorOut.Meta):
        fields = [*PerpetratorOut.Meta.fields, "identifiers"]


class CaseIntelOut(serializers.Serializer):
    perpetrators = PerpetratorDetailOut(many=True)
    unattached = IdentifierOut(many=True, help_text="Identifiers of no one known.")


class HolderOut(serializers.Serializer):
    organisation = OrganisationRef()
    contacts = ContactOut(many=True)
    detail = CaseIntelOut(allow_null=True, help_text="Only under a live sharing agreement.")


class CrossRefOut(serializers.Serializer):
    kind = serializers.CharField()
    own_case_id = serializers.UUIDField()
    own_case_reference = serializers.CharField()
    holders = HolderOut(many=True)
    first_linked = serializers.DateTimeField()


class SearchIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SEARCH_KINDS)
    raw = serializers.CharField(max_length=300)
    platform = serializers.ChoiceField(choices=PLATFORM_CHOICES, required=False, allow_blank=True)


class OwnHitOut(serializers.Serializer):
    case_id = serializers.UUIDField()
    reference = serializers.CharField()
    intel = CaseIntelOut()


class SearchOut(serializers.Serializer):
    kind = serializers.CharField()
    own = OwnHitOut(many=True)
    holders = HolderOut(many=True)


class GraphNodeOut(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.ChoiceField(choices=["case", "held", "person", "value"])
    label = serializers.CharField()
    hop = serializers.IntegerField()
    kind = serializers.CharField(required=False)
    organisation = serializers.CharField(required=False)


class GraphEdgeOut(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()


class GraphOut(serializers.Serializer):
    nodes = GraphNodeOut(many=True)
    edges = GraphEdgeOut(many=True)
    truncated = serializers.BooleanField()


class CountsOut(serializers.Serializer):
    perpetrators = serializers.IntegerField()
    identifiers_by_kind = serializers.DictField(
        child=serializers.IntegerField(), source="identifiers_by_code"
    )
    cross_references = serializers.IntegerField()
    organisations_linked = serializers.IntegerField()


class AgreementOut(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = SharingAgreement
        fields = [
            "id", "proposer_org", "partner_org", "starts_on", "ends_on", "purpose",
            "accepted_at", "withdrawn_at", "state",
        ]  # fmt: skip

    def get_state(self, obj: SharingAgreement) -> str:
        from setu.intel.selectors import agreement_state

        return agreement_state(obj)


class AgreementIn(serializers.Serializer):
    partner_org = serializers.UUIDField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=300)
