"""What each role sees first: the role-specific home page."""

from __future__ import annotations

from typing import Any

from setu.access.actor import Actor


def home_context(*, actor: Actor) -> dict[str, Any]:
    """Context for the home page of the actor's role."""
    from setu.orgs.models import Role

    return {"role": actor.role, "Role": Role}
