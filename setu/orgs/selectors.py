"""Reads about organisations, always through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.orgs.models import Organisation


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Member organisations the actor may see, with the places they serve."""
    qs = Organisation.objects.filter(is_active=True).select_related("base_district__state")
    return policy.scope(actor, qs, Action.VIEW).prefetch_related("states")
