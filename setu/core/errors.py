"""Errors raised by services and selectors; views and the API map them to one response shape."""

from __future__ import annotations


class SetuError(Exception):
    """Base of Setu's own errors."""


class Denied(SetuError):
    """A refusal by the access policy; carries what was attempted so the denial can be audited."""

    def __init__(self, message: str = "", *, action: str = "", target: tuple | None = None) -> None:
        self.action = str(action)
        self.target = target
        super().__init__(message)


class NotFound(Denied):
    """The object does not exist or the actor may not know it exists (both look the same)."""


class Forbidden(Denied):
    """The actor may see the object but not perform this action on it."""


class InvalidInput(SetuError):
    """Input failed validation; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]] | str) -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class ConsentRequired(Forbidden):
    """Sharing was refused because the person's consent does not cover it."""


class RateLimited(SetuError):
    """Too many requests of one kind from one user in a short time; try again later."""

    def __init__(self, retry_after: int = 60) -> None:
        self.retry_after = retry_after
        super().__init__("rate limited")
