"""Template helpers of the intel pages (look-ups only; no rules)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def known_to(links: dict[Any, list[Any]] | None, item_id: Any) -> list[Any]:
    """The other organisations that hold this item too (from the selector's map)."""
    return (links or {}).get(item_id, [])
