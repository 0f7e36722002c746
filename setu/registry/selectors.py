"""Reads of the registry; every one takes the acting user and goes through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.registry.models import Case, Person


def case_list(*, actor: Actor) -> QuerySet[Case]:
    """Cases the actor may see."""
    return policy.scope(
        actor, Case.objects.filter(archived_at__isnull=True), Action.VIEW
    ).select_related("owner_org")


def person_list(*, actor: Actor) -> QuerySet[Person]:
    """Persons the actor may see."""
    return policy.scope(
        actor, Person.objects.filter(archived_at__isnull=True), Action.VIEW
    ).select_related("owner_org")
