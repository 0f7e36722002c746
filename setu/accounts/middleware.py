"""Session lifetime, and what an account must do before it may use Setu (2FA, own password)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

_LAST_SEEN = "setu_last_seen"
# Django re-saves a modified session with a fresh expiry on every request, so SESSION_COOKIE_AGE
# alone would slide with activity. The login time is kept in the session to make it absolute.
_LOGIN_AT = "setu_login_at"
_INDEXED_KEY = "setu_indexed_key"
_API_PREFIX = "/api/"


def _ended(request: HttpRequest, reason: str) -> HttpResponse:
    url = f"{reverse('account_login')}?timeout={reason}"
    if request.headers.get("HX-Request"):
        # htmx would otherwise swap the login page into a fragment of the old page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """End a session idle for SETU_SESSION_IDLE_SECONDS or older than SESSION_COOKIE_AGE.

    The absolute limit counts from login and is not extended by activity. The middleware also
    keeps the user -> session-key index that lets deactivation end every session of a user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(_LAST_SEEN, now)
            login_at = session.get(_LOGIN_AT, now)
            reason = ""
            if now - login_at > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            elif now - last_seen > settings.SETU_SESSION_IDLE_SECONDS:
                reason = "idle"
            if reason:
                logout(request)
                if not request.path.startswith(_API_PREFIX):
                    return _ended(request, reason)
            else:
                session[_LAST_SEEN] = now
        response = self.get_response(request)
        self._stamp(request)
        return response

    @staticmethod
    def _stamp(request: HttpRequest) -> None:
        """After login (or a key change), note the login time and index the session key."""
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return
        if _LOGIN_AT not in session:
            now = int(time.time())
            session[_LOGIN_AT] = now
            session[_LAST_SEEN] = now
        key = session.session_key
        if key and session.get(_INDEXED_KEY) != key:
            from setu.accounts.services import session_index_add

            session_index_add(user=user, session_key=key)
            session[_INDEXED_KEY] = key


class RequireMfaMiddleware:
    """Before anything else: a temporary password must be replaced, and members of
    organisations that require 2FA must set it up.

    Only the sign-in, password and 2FA pages stay reachable until then; the API refuses
    session-authenticated calls (token calls come from accounts that already passed this gate).
    """

    allowed_prefixes = ("/static/", "/health", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and not self._is_account_page(request)
        ):
            target = self._required_step(user)
            if target:
                if request.path.startswith(_API_PREFIX):
                    return JsonResponse(
                        {
                            "error": {
                                "code": "account_setup_required",
                                "message": "Finish setting up your account in the web app.",
                            }
                        },
                        status=403,
                    )
                # ?required=1 lets the page explain why the user was sent there.
                return redirect(f"{reverse(target)}?required=1")
        return self.get_response(request)

    @staticmethod
    def _required_step(user: object) -> str:
        if getattr(user, "must_change_password", False):
            return "account_change_password"
        from setu.accounts.selectors import user_must_enrol_mfa

        return "mfa_activate_totp" if user_must_enrol_mfa(user=user) else ""

    @staticmethod
    def _is_account_page(request: HttpRequest) -> bool:
        """allauth's own pages (sign-in, sign-out, password, 2FA) are never blocked."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return not match.namespace and (match.url_name or "").startswith(("account_", "mfa_"))
