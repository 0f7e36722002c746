"""Template context shared by every page: who is acting and what they may reach."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from setu.access.actor import actor_of
    from setu.orgs.selectors import membership_list_own
    from setu.web.selectors import navigation_for

    actor = actor_of(request)
    # One query: the header names the organisation and role acted for, and offers a switch.
    memberships = list(membership_list_own(actor=actor))
    current = next((m for m in memberships if m.pk == actor.membership_id), None)
    from setu.access import policy
    from setu.access.policy import Action

    return {
        "actor": actor,
        "nav": navigation_for(actor=actor),
        "can_view_calibration": policy.allowed(actor, Action.VIEW, "matching.calibration"),
        "actor_org_name": current.organisation.name if current else "",
        "actor_role_label": current.get_role_display() if current else "",
        "actor_can_switch": len(memberships) > 1,
        "actor_memberships": memberships,
    }
