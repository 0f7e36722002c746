"""Template context shared by every page: who is acting and what they may reach."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from setu.access.actor import actor_of
    from setu.web.selectors import navigation_for

    actor = actor_of(request)
    return {"actor": actor, "nav": navigation_for(actor=actor)}
