"""Session lifetime and organisation-mandated two-factor authentication."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_LAST_SEEN = "setu_last_seen"


class SessionTimeoutMiddleware:
    """Log out a session idle for longer than SETU_SESSION_IDLE_SECONDS.

    The absolute limit is SESSION_COOKIE_AGE, which is not extended by activity.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - last_seen > settings.SETU_SESSION_IDLE_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('account_login')}?timeout=1")
            else:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


class RequireMfaMiddleware:
    """Send members of organisations that require 2FA to set it up before anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/health", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and not request.path.startswith("/api/")
        ):
            from setu.accounts.selectors import user_must_enrol_mfa

            if user_must_enrol_mfa(user=user):
                return redirect("mfa_activate_totp")
        return self.get_response(request)
