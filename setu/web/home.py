"""What each role sees first. Sections are chosen by what the policy allows, never by role name."""

from __future__ import annotations

from typing import Any

from setu.access.actor import Actor


def home_context(*, actor: Actor) -> dict[str, Any]:
    """Context for the actor's home page."""
    return {}
