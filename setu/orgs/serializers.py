"""API input and output shapes for organisations and their members."""

from __future__ import annotations

from rest_framework import serializers

from setu.orgs.models import Membership, Organisation, Role


class StateOut(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()


class DistrictOut(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()
    state_code = serializers.IntegerField(source="state_id")


class OrganisationOut(serializers.ModelSerializer):
    """An organisation of the network directory."""

    org_type_label = serializers.CharField(source="get_org_type_display", read_only=True)
    htcds_org_type = serializers.CharField(read_only=True)
    states = StateOut(many=True, read_only=True)
    base_district = DistrictOut(read_only=True, allow_null=True)
    address = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "org_type",
            "org_type_label",
            "htcds_org_type",
            "states",
            "base_district",
            "phone",
            "email",
            "address",
            "address_is_confidential",
        ]

    def get_address(self, obj: Organisation) -> str | None:
        # A shelter hiding from traffickers never has its address sent over the API.
        return None if obj.address_is_confidential else obj.address


class MemberUserOut(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()


class MembershipOut(serializers.ModelSerializer):
    """A member of an organisation and their role (for the organisation's admins)."""

    user = MemberUserOut(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "role_label", "is_active", "is_designated_contact"]
