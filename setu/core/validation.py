"""Model validation in services, reported the way every layer above expects it."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Model

from setu.core.errors import InvalidInput


def full_clean(obj: Model, *, exclude: Iterable[str] = ()) -> None:
    """``obj.full_clean()``, with Django's ValidationError raised as InvalidInput (plain strings)."""
    try:
        obj.full_clean(exclude=list(exclude) or None)
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        raise InvalidInput(errors) from exc
