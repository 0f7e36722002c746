"""Test helper: an API client that authenticates with a real bearer token."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient


def issue_token(user: Any, name: str = "test") -> str:
    """Create a token for ``user`` the way the accounts app stores it (digest only)."""
    from setu.accounts.models import ApiToken

    raw = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(raw), prefix=raw[:8])
    return raw


def token_client(user: Any) -> APIClient:
    """An APIClient sending ``Authorization: Bearer <token>`` for ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    return client
