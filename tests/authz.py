"""Vocabulary of the authorization matrix.

Every app lists, in ``setu/<app>/tests/authz.py``, an ``ENTRIES`` list with one ``Entry`` per URL
name it serves. ``tests/test_authorization_matrix.py`` requests every entry as every persona and
fails when a URL pattern has no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Everyone in the matrix; see the ``personas`` fixture in conftest.py.
PERSONAS = (
    "anonymous",
    "lead",
    "org_admin",
    "counsellor",
    "analyst",
    "coordinator",
    "partner",
    "partner_admin",
    "other_org",
    "other_admin",
    "platform_admin",
)
MEMBERS = frozenset(PERSONAS) - {"anonymous", "platform_admin"}
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
EVERYONE = frozenset(PERSONAS)
OWN_IDENTITY_ROLES = frozenset({"lead", "org_admin", "counsellor"})


@dataclass(frozen=True)
class Entry:
    """One URL and who may reach it. Personas not in ``allowed`` must be refused."""

    url_name: str
    allowed: frozenset[str]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    # Extra statuses that count as "allowed" (e.g. 405 for a POST-only endpoint asked with GET).
    ok_statuses: frozenset[int] = field(default_factory=frozenset)
    is_api: bool = False
