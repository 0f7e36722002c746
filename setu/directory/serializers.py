"""API input and output shapes of the service directory (one pair per operation)."""

from __future__ import annotations

from rest_framework import serializers

from setu.directory.models import Language, ServiceType, Sex


class ServiceOut(serializers.Serializer):
    """A directory entry as the API returns it."""

    id = serializers.UUIDField()
    organisation_id = serializers.UUIDField()
    organisation_name = serializers.CharField(source="organisation.name")
    service_type = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    district_codes = serializers.SerializerMethodField()
    state_codes = serializers.SerializerMethodField()
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    sexes = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    disability_access = serializers.BooleanField()
    eligibility_notes = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    hours = serializers.CharField()
    is_active = serializers.BooleanField()
    updated_at = serializers.DateTimeField()

    def get_district_codes(self, obj) -> list[int]:
        return [d.code for d in obj.districts.all()]

    def get_state_codes(self, obj) -> list[int]:
        return [s.code for s in obj.states.all()]


class ServiceIn(serializers.Serializer):
    """Fields a member may set on their organisation's service; places are LGD codes."""

    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    district_codes = serializers.ListField(child=serializers.IntegerField(), required=False)
    state_codes = serializers.ListField(child=serializers.IntegerField(), required=False)
    age_min = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    age_max = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    sexes = serializers.ListField(
        child=serializers.ChoiceField(choices=Sex.choices), required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    disability_access = serializers.BooleanField(required=False)
    eligibility_notes = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    hours = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class ServiceFilterIn(serializers.Serializer):
    """Query filters of the service list (non-identifying)."""

    need = serializers.ChoiceField(choices=ServiceType.choices, required=False)
    state = serializers.IntegerField(required=False)
    district = serializers.IntegerField(required=False)
