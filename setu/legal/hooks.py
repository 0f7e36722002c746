"""What other apps add to a proceeding's case bundle: explicit, typed registrations.

An app that knows more about a case (intelligence, for one) registers a section provider in
its ``AppConfig.ready``::

    from setu.legal import hooks as legal_hooks

    legal_hooks.register_bundle_section("intel", intel_bundle_section)

The bundle (JSON, printable page, PDF) then carries each section the provider returns, under
the same watermark and in the same audit entry as the legal timeline (the JSON's
``"annexures"``, the audit entry's ``details["annexures"]`` naming their keys); legal knows
nothing of who provides. Not Django signals: the list is explicit and typed.

A provider is called as ``provider(actor, case_id)`` after the bundle's own permission checks.
It must return only what that actor may see (through its own app's policy-scoped selectors)
or ``None`` for nothing; rows name where they come from (``source``), so a court file shows
its provenance. An exception is not swallowed: a bundle is never silently incomplete.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from setu.access.actor import Actor


@dataclass(frozen=True)
class BundleRow:
    """One line of a bundle section: what, when (if dated) and where it comes from."""

    text: str
    on: datetime.date | None = None
    source: str = ""


@dataclass(frozen=True)
class BundleSection:
    """A titled part of the case bundle provided by another app."""

    title: str
    rows: tuple[BundleRow, ...]
    note: str = ""


SectionProvider = Callable[["Actor", Any], BundleSection | None]

# Key (a stable name, the annexure's "key" in the JSON) -> provider, in the order of registration.
_providers: dict[str, SectionProvider] = {}


def register_bundle_section(key: str, provider: SectionProvider) -> SectionProvider:
    """Add ``provider(actor, case_id)``'s section to every case bundle, under ``key``."""
    _providers[key] = provider
    return provider


def unregister_bundle_section(key: str) -> None:
    """Stop adding the section registered under ``key`` (tests, an app switched off)."""
    _providers.pop(key, None)


def bundle_sections(actor: Actor, case_id: Any) -> list[tuple[str, BundleSection]]:
    """The sections other apps give this actor for this case, as ``(key, section)``."""
    found = []
    for key, provider in _providers.items():
        section = provider(actor, case_id)
        if section is not None:
            found.append((key, section))
    return found
