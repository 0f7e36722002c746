"""Reads of the audit trail, scoped by the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit.models import AuditEntry


def entry_list(*, actor: Actor) -> QuerySet[AuditEntry]:
    """Entries about the actor's organisation (its records or its members' acts)."""
    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    return policy.scope(actor, AuditEntry.objects.all(), Action.VIEW_AUDIT)
