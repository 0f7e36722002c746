"""API shapes of entitlements. Names of survivors are not included: ids only."""

from __future__ import annotations

from rest_framework import serializers

from setu.entitlements.models import (
    ApplicationStatus,
    ApplicationStatusChange,
    CompensationClaim,
    CompensationStage,
    Scheme,
    SchemeApplication,
)


class SchemeOut(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["id", "name", "short_name", "category", "state", "is_active"]


class StatusChangeOut(serializers.ModelSerializer):
    class Meta:
        model = ApplicationStatusChange
        fields = ["from_status", "to_status", "changed_on", "note"]


class ApplicationOut(serializers.ModelSerializer):
    """An application with its dated status history."""

    changes = StatusChangeOut(many=True, read_only=True)

    class Meta:
        model = SchemeApplication
        fields = [
            "id",
            "case",
            "person",
            "scheme",
            "status",
            "applied_on",
            "status_changed_on",
            "reference_number",
            "amount",
            "changes",
        ]


class ApplicationIn(serializers.Serializer):
    case = serializers.UUIDField()
    person = serializers.UUIDField()
    scheme = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, default="applied")
    applied_on = serializers.DateField(required=False)
    reference_number = serializers.CharField(required=False, allow_blank=True, default="")


class StatusIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    changed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StageOut(serializers.ModelSerializer):
    class Meta:
        model = CompensationStage
        fields = [
            "id",
            "forum",
            "appeal_of",
            "reference",
            "filed_on",
            "amount_claimed",
            "hearing_dates",
            "next_hearing_on",
            "outcome",
            "order_on",
            "amount_awarded",
            "amount_paid",
            "paid_on",
            "appeal_deadline",
        ]


class ClaimOut(serializers.ModelSerializer):
    """A compensation claim with every stage and appeal."""

    stages = StageOut(many=True, read_only=True)

    class Meta:
        model = CompensationClaim
        fields = ["id", "case", "person", "scheme", "status", "stages"]


class ClaimIn(serializers.Serializer):
    case = serializers.UUIDField()
    person = serializers.UUIDField()
    scheme = serializers.UUIDField(required=False, allow_null=True)
    filed_on = serializers.DateField(required=False)
    amount_claimed = serializers.DecimalField(max_digits=12, decimal_places=2, default=0)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
