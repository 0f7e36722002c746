"""API input and output shapes for consent."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from setu.consent.models import ConsentGiver, ConsentScope


class RecipientOut(serializers.Serializer):
    """The organisation a consent names."""

    id = serializers.UUIDField()
    name = serializers.CharField()


class ConsentIn(serializers.Serializer):
    """What the person agreed may be shared, with whom (omit ``recipient_org`` for the network)."""

    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentScope.choices), min_length=1
    )
    recipient_org = serializers.UUIDField(required=False, allow_null=True, default=None)
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices, default=ConsentGiver.SELF)
    given_by_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentWithdrawIn(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConsentOut(serializers.Serializer):
    id = serializers.UUIDField()
    person = serializers.UUIDField(source="person_id")
    scopes = serializers.ListField(child=serializers.CharField())
    recipient_org = RecipientOut(allow_null=True)
    purpose = serializers.CharField()
    given_by = serializers.CharField()
    given_by_name = serializers.SerializerMethodField()
    given_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    is_active = serializers.SerializerMethodField()

    def get_is_active(self, obj: Any) -> bool:
        return obj.is_active_on()

    def get_given_by_name(self, obj: Any) -> str:
        # A partner reads the giver's name (a guardian's, say) only where the consent covers
        # identity for it (``consent_list``); consents recorded or withdrawn in the response to
        # the owning organisation's own write are its own.
        return obj.given_by_name if getattr(obj, "giver_shown", True) else ""
