"""API shapes of matching. A notice names the other organisation, the band and whom to contact;
it never carries the other side's person (no id, name, phone, village, date of birth, case)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def pair_out(
    pair: Any, organisation_id: Any, *, contacts: dict[Any, dict[str, str]]
) -> dict[str, Any]:
    """A pair seen from one organisation (our own person's id only)."""
    side = pair.side_of(organisation_id)
    other_side = "b" if side == "a" else "a"
    body: dict[str, Any] = {
        "id": str(pair.pk),
        "kind": pair.kind,
        "band": pair.band,
        "status": pair.status,
        "missing_found": pair.missing_found,
        "our_person_id": str(pair.own_person_id(organisation_id)),
        "our_answer": getattr(pair, f"{side}_state"),
        "their_answer": getattr(pair, f"{other_side}_state"),
        "created_at": pair.created_at.isoformat(),
        "updated_at": pair.updated_at.isoformat(),
    }
    if pair.kind == "cross_org":
        body["other_organisation"] = contacts.get(pair.other_org_id(organisation_id))
    return body


# The serializers below describe, for the OpenAPI schema, the dicts built by ``pair_out``
# and the notice detail view; they never serialise data themselves.


class OtherOrganisationOut(serializers.Serializer):
    """Whom to contact at the other organisation of a cross-organisation pair."""

    name = serializers.CharField()
    phone = serializers.CharField()
    contact = serializers.CharField()


class PairOut(serializers.Serializer):
    """A pair seen from one organisation: our own person's id only, never theirs."""

    id = serializers.UUIDField()
    kind = serializers.CharField()
    band = serializers.CharField()
    status = serializers.CharField()
    missing_found = serializers.BooleanField()
    our_person_id = serializers.UUIDField()
    our_answer = serializers.CharField()
    their_answer = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    other_organisation = OtherOrganisationOut(
        required=False, allow_null=True, help_text="Only for cross-organisation pairs."
    )


class EvidenceOut(serializers.Serializer):
    """One field of a pair in words; ``theirs`` only where the other side's consent allows."""

    field = serializers.CharField()
    text = serializers.CharField()
    weight = serializers.FloatField()
    ours = serializers.CharField()
    theirs = serializers.CharField(required=False)


class NoticeDetailOut(PairOut):
    """A pair with its summary and evidence."""

    summary = serializers.CharField()
    evidence = EvidenceOut(many=True)


class LinkedOrganisationOut(serializers.Serializer):
    """The organisation a record is linked with (both sides confirmed)."""

    id = serializers.UUIDField()
    name = serializers.CharField()


class RecordLinkOut(serializers.Serializer):
    """One of our records and the organisation it is linked with; nothing of their record."""

    person_id = serializers.UUIDField(help_text="Our own person's id.")
    pair_id = serializers.UUIDField()
    linked_with = LinkedOrganisationOut()
    linked_at = serializers.DateTimeField(allow_null=True)


def record_link_out(link: Any) -> dict[str, Any]:
    """A ``selectors.RecordLink`` as the API shows it."""
    return {
        "person_id": str(link.person_id),
        "pair_id": str(link.pair_id),
        "linked_with": {"id": str(link.organisation_id), "name": link.organisation},
        "linked_at": link.linked_at.isoformat() if link.linked_at else None,
    }


class AlertOut(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    kind = serializers.CharField()
    person_id = serializers.UUIDField()
    event_kind = serializers.CharField()
    event_date = serializers.DateField(allow_null=True)
    district = serializers.CharField(source="district.name", default="")
    state = serializers.CharField(source="state.name", default="")
    band = serializers.CharField()
    pair_id = serializers.UUIDField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
