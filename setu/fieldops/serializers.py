"""API shapes of field operations. The target place appears only in the detail, and only for
the team; team members are named as the viewer may see them (``selectors.Seat``)."""

from __future__ import annotations

from rest_framework import serializers

from setu.fieldops.models import (
    Alert,
    AlertReason,
    AlertStatus,
    ChecklistStep,
    Operation,
    OperationKind,
    OperationStatus,
    Resolution,
    StepState,
    TeamRole,
)


class FieldOpOperationOut(serializers.ModelSerializer):
    """An operation in a list: no place."""

    class Meta:
        model = Operation
        fields = [
            "id",
            "kind",
            "code_name",
            "status",
            "owner_org",
            "planned_start",
            "expected_end",
            "is_drill",
            "started_at",
            "ended_at",
        ]


class FieldOpSeatOut(serializers.Serializer):
    id = serializers.UUIDField(source="member.pk")
    name = serializers.CharField()
    named = serializers.BooleanField()
    organisation = serializers.CharField()
    role = serializers.ChoiceField(source="member.role", choices=TeamRole.choices)
    buddy = serializers.UUIDField(source="member.buddy_id", allow_null=True)
    next_due_at = serializers.DateTimeField(source="member.next_due_at", allow_null=True)
    last_checkin_at = serializers.DateTimeField(source="member.last_checkin_at", allow_null=True)
    overdue = serializers.BooleanField()


class FieldOpStepOut(serializers.ModelSerializer):
    class Meta:
        model = ChecklistStep
        fields = ["id", "code", "phase", "title", "basis", "state", "done_at", "skip_reason"]


class FieldOpAlertOut(serializers.ModelSerializer):
    reason = serializers.ChoiceField(choices=AlertReason.choices)
    status = serializers.ChoiceField(choices=AlertStatus.choices)

    class Meta:
        model = Alert
        fields = [
            "id",
            "operation",
            "member",
            "reason",
            "deadline_at",
            "status",
            "claimed_at",
            "resolved_at",
            "resolution",
            "is_drill",
        ]


class FieldOpOperationDetailOut(serializers.Serializer):
    id = serializers.UUIDField(source="operation.pk")
    kind = serializers.ChoiceField(source="operation.kind", choices=OperationKind.choices)
    code_name = serializers.CharField(source="operation.code_name")
    status = serializers.ChoiceField(source="operation.status", choices=OperationStatus.choices)
    target_place = serializers.SerializerMethodField()
    planned_start = serializers.DateTimeField(source="operation.planned_start")
    expected_end = serializers.DateTimeField(source="operation.expected_end")
    is_drill = serializers.BooleanField(source="operation.is_drill")
    checkin_minutes = serializers.IntegerField(source="operation.checkin_minutes")
    grace_minutes = serializers.IntegerField(source="operation.grace_minutes")
    receiving_shelter = serializers.UUIDField(
        source="operation.receiving_shelter_id", allow_null=True
    )
    bed_hold = serializers.UUIDField(source="operation.bed_hold_id", allow_null=True)
    authority_org = serializers.UUIDField(source="operation.authority_org_id", allow_null=True)
    partners = serializers.ListField(child=serializers.CharField())
    team = FieldOpSeatOut(source="seats", many=True)
    steps = FieldOpStepOut(many=True)
    alerts = FieldOpAlertOut(many=True)
    to_arrange = serializers.ListField(
        child=serializers.ChoiceField(choices=TeamRole.choices),
        help_text="Roles the standard procedure expects for this kind of operation that nobody "
        "on the team fills yet (empty once closed).",
    )

    def get_target_place(self, view: object) -> str | None:
        """The place, for the team only; null for everyone else."""
        return view.operation.target_place if view.place_visible else None  # type: ignore[attr-defined]


class FieldOpOperationIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OperationKind.choices)
    code_name = serializers.CharField(max_length=60)
    target_place = serializers.CharField(max_length=500)
    planned_start = serializers.DateTimeField()
    expected_end = serializers.DateTimeField()
    district = serializers.IntegerField(required=False, allow_null=True)
    vehicles = serializers.CharField(max_length=500, required=False, allow_blank=True)
    receiving_shelter = serializers.UUIDField(required=False, allow_null=True)
    authority_org = serializers.UUIDField(required=False, allow_null=True)
    authority_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    partner_orgs = serializers.ListField(child=serializers.UUIDField(), required=False)
    is_drill = serializers.BooleanField(required=False)
    checkin_minutes = serializers.IntegerField(required=False, min_value=5, max_value=240)
    grace_minutes = serializers.IntegerField(required=False, min_value=1, max_value=60)
    step_minutes = serializers.IntegerField(required=False, min_value=1, max_value=60)


class FieldOpBedIn(serializers.Serializer):
    bed_group = serializers.UUIDField(help_text="Beds at the plan's receiving shelter.")


class FieldOpMemberIn(serializers.Serializer):
    user = serializers.UUIDField()
    role = serializers.ChoiceField(choices=TeamRole.choices)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    buddy = serializers.UUIDField(required=False, allow_null=True)


class FieldOpMemberOut(serializers.Serializer):
    id = serializers.UUIDField()
    role = serializers.ChoiceField(choices=TeamRole.choices)


class FieldOpCheckInIn(serializers.Serializer):
    """A check-in: small, and idempotent by the client's id (retries do not double)."""

    client_id = serializers.CharField(max_length=64)
    distress = serializers.BooleanField(required=False, default=False)
    pin = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    share_location = serializers.BooleanField(required=False, default=False)


class FieldOpCheckInOut(serializers.Serializer):
    """The same answer for a safe check-in and one with the duress PIN."""

    received = serializers.BooleanField()
    next_due_at = serializers.DateTimeField(allow_null=True)


class FieldOpResolveIn(serializers.Serializer):
    resolution = serializers.ChoiceField(
        choices=[
            (r, r.label) for r in (Resolution.SAFE, Resolution.FALSE_ALARM, Resolution.EMERGENCY)
        ]
    )


class FieldOpClaimOut(serializers.Serializer):
    alert = FieldOpAlertOut()
    claimed_by_you = serializers.BooleanField()


class FieldOpStepIn(serializers.Serializer):
    skip = serializers.BooleanField(required=False, default=False)
    skip_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class FieldOpLessonOut(serializers.Serializer):
    kind = serializers.CharField()
    month = serializers.CharField()
    text = serializers.CharField()


class FieldOpStepStateOut(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.ChoiceField(choices=StepState.choices)
