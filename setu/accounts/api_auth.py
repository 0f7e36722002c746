"""Bearer-token authentication for the API; tokens are stored only as digests."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer setu_…``."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        raw = header[len(self.keyword) + 1 :].strip()
        from setu.accounts import selectors, services

        token = selectors.api_token_for_bearer(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        services.api_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
