"""Bearer-token authentication for the API; tokens are stored only as digests."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from rest_framework import authentication, exceptions
from rest_framework.request import Request


class _NoSession(SessionBase):
    """The session of a bearer-token request: always empty, never saved, never sent as a cookie.

    A token is the whole credential, so the request needs no server-side session; without this,
    middleware that stamps the session after each request would store a row and set a cookie for
    every API call. ``is_empty`` says False so that SessionMiddleware also leaves a browser's
    existing session cookie alone.
    """

    def __init__(self) -> None:
        super().__init__(session_key=None)
        self._session_cache = {}

    @property  # type: ignore[override]
    def modified(self) -> bool:
        return False

    @modified.setter
    def modified(self, value: bool) -> None:
        pass

    def is_empty(self) -> bool:
        return False

    def exists(self, session_key: str) -> bool:
        return False

    def create(self) -> None:
        pass

    def save(self, must_create: bool = False) -> None:
        pass

    def delete(self, session_key: str | None = None) -> None:
        pass

    def load(self) -> dict[str, Any]:
        return {}

    def cycle_key(self) -> None:
        pass


class MfaRequired(exceptions.PermissionDenied):
    """A token of an account whose organisation requires 2FA that the account has not set up."""

    default_code = "mfa_required"
    default_detail = (
        "Your organisation requires two-factor authentication. Set it up in the web app; "
        "until then your API tokens are refused."
    )


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
        if selectors.user_must_enrol_mfa(user=token.user):
            # A token must not outlive the organisation's two-factor rule (issue 28, finding 11).
            services.api_token_refused_mfa(token=token, path=request.path, method=request.method)
            raise MfaRequired()
        services.api_token_used(token=token)
        # The acting organisation then comes from the user's memberships, not a browser session.
        request._request.session = _NoSession()
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
