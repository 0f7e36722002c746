"""API input and output shapes of referrals (one pair per operation)."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from setu.directory.selectors import ServiceType
from setu.referrals.models import ReferralKind, ReferralStatus, Urgency
from setu.referrals.selectors import REFERRAL_SCOPES


class ReferralOut(serializers.Serializer):
    """A referral without the person's data (see ``ReferralDetailOut`` for what was shared)."""

    id = serializers.UUIDField()
    from_org_id = serializers.UUIDField()
    from_org_name = serializers.CharField(source="from_org.name")
    to_org_id = serializers.UUIDField()
    to_org_name = serializers.CharField(source="to_org.name")
    to_service_id = serializers.UUIDField(allow_null=True)
    kind = serializers.CharField()
    need = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.CharField()
    message = serializers.CharField()
    shared_scopes = serializers.ListField(child=serializers.CharField())
    decline_reason = serializers.CharField()
    close_reason = serializers.CharField()
    outcome_note = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    sharing_stopped_at = serializers.DateTimeField(allow_null=True)
    escort_arranged = serializers.BooleanField()
    escort_details = serializers.CharField()
    documents_handed_over = serializers.ListField(child=serializers.CharField())
    receiving_authority = serializers.CharField()
    travel_date = serializers.DateField(allow_null=True)
    received_confirmed_at = serializers.DateTimeField(allow_null=True)
    handover_missing = serializers.SerializerMethodField()

    def get_handover_missing(self, obj) -> list[str]:
        return obj.handover_missing()


# Named apart from the registry's EventOut in the OpenAPI schema.
@extend_schema_serializer(component_name="ReferralEventOut")
class EventOut(serializers.Serializer):
    """One entry of the referral's history."""

    kind = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    actor_org_id = serializers.UUIDField(allow_null=True)
    at = serializers.DateTimeField(source="created_at")


class ReferralDetailOut(ReferralOut):
    """A referral with what was shared (consent checked at read time) and its history."""

    shared = serializers.DictField(help_text="Shared scopes of the person; absent scopes are null.")
    events = EventOut(many=True)


def shared_to_dict(view) -> dict:
    """The shared view as plain JSON (absent scopes are null)."""
    return asdict(view)


class ReferralCreateIn(serializers.Serializer):
    """Send a referral from a case; ``to_service_id`` or ``to_org_id`` names the recipient."""

    case_id = serializers.UUIDField()
    person_id = serializers.UUIDField()
    to_service_id = serializers.UUIDField(required=False)
    to_org_id = serializers.UUIDField(required=False)
    need = serializers.ChoiceField(choices=ServiceType.choices, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    kind = serializers.ChoiceField(choices=ReferralKind.choices, default=ReferralKind.SERVICE)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(REFERRAL_SCOPES)))
    message = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("to_service_id") and not attrs.get("to_org_id"):
            raise serializers.ValidationError("Give to_service_id or to_org_id.")
        if not attrs.get("to_service_id") and not attrs.get("need"):
            raise serializers.ValidationError({"need": "Required when no service is named."})
        return attrs


class TransitionIn(serializers.Serializer):
    """Move a referral: ``to`` is the new status; ``reason`` for declined/closed."""

    to = serializers.ChoiceField(
        choices=[
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.COMPLETED,
            ReferralStatus.CLOSED,
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    # Declining a shelter referral for lack of beds counts it as unmet demand.
    no_bed = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HandoverIn(serializers.Serializer):
    """Handover checklist fields; ``received: true`` confirms arrival (receiving side)."""

    escort_arranged = serializers.BooleanField(required=False)
    escort_details = serializers.CharField(required=False, allow_blank=True, max_length=200)
    documents_handed_over = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False
    )
    receiving_authority = serializers.CharField(required=False, allow_blank=True, max_length=200)
    travel_date = serializers.DateField(required=False, allow_null=True)
    received = serializers.BooleanField(required=False, default=False)
