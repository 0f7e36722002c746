"""How django-axes identifies a sign-in attempt when the login form is allauth's.

allauth posts the login as ``login`` but authenticates with ``username`` or ``email``
credentials; axes must see one and the same key in both places, or the username half of the
(username, IP) lockout would never match. Case and spaces are ignored so that "Asha" and
"asha " count against the same budget.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def login_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The normalised login name of an attempt, from the credentials or else the POST body."""
    value = None
    if credentials:
        value = credentials.get("login") or credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("login")
    return str(value).strip().lower() if value else None
