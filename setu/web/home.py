"""What each person sees first. Sections are chosen by what the policy allows, never by role name,
so a new role gets a sensible home page without touching this module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action


@dataclass
class Home:
    """The sections of one actor's home page; a section is None when the actor may not see it."""

    organisation: Any = None
    case_counts: dict[str, int] | None = None
    my_cases: list[Any] = field(default_factory=list)
    can_create_person: bool = False
    can_create_case: bool = False
    overview: Any = None
    referrals: dict[str, int] | None = None
    beds: list[Any] | None = None
    manages_members: bool = False
    views_audit: bool = False
    is_platform_admin: bool = False


def home_for(*, actor: Actor) -> Home:
    """Build the home page of the actor from the selectors of each context."""
    from setu.orgs import selectors as orgs

    home = Home(is_platform_admin=actor.is_platform_admin)
    home.organisation = orgs.organisation_own(actor=actor)
    if policy.allowed(actor, Action.VIEW, "registry.case"):
        from setu.registry import selectors as registry

        home.case_counts = registry.case_count_by_status(actor=actor)
        home.my_cases = list(registry.case_list(actor=actor, filters={"mine": True})[:5])
        home.can_create_person = policy.allowed(actor, Action.CREATE, "registry.person")
        home.can_create_case = policy.allowed(actor, Action.CREATE, "registry.case")
    if policy.allowed(actor, Action.VIEW_AGGREGATES, "insights"):
        from setu.insights import selectors as insights

        home.overview = insights.network_overview(actor=actor)
    if apps.is_installed("setu.referrals") and policy.allowed(
        actor, Action.VIEW, "referrals.referral"
    ):
        from setu.referrals import selectors as referrals

        home.referrals = {
            "received": referrals.referral_count(actor=actor, direction="received"),
            "sent": referrals.referral_count(actor=actor, direction="sent"),
        }
    if apps.is_installed("setu.shelters") and policy.allowed(
        actor, Action.EDIT, "shelters.bedgroup"
    ):
        from setu.shelters import selectors as shelters

        home.beds = list(shelters.own_bed_groups(actor=actor))
    home.manages_members = policy.allowed(actor, Action.MANAGE_MEMBERS, "orgs.membership")
    home.views_audit = policy.allowed(actor, Action.VIEW_AUDIT, "audit.auditentry")
    return home


def home_context(*, actor: Actor) -> dict[str, Any]:
    """Context for the actor's home page."""
    return {"home": home_for(actor=actor), "active_nav": "home"}
