"""Account pages: sign-in guard, my account, API tokens, and which organisation I act for."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from allauth.account import views as allauth_views
from allauth.mfa.base import views as mfa_views
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from setu.access.actor import actor_of, client_ip
from setu.accounts import selectors, services
from setu.accounts.forms import ApiTokenForm
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors


@login_not_required
def login(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """allauth's sign-in, refused before any password check while the attempt is locked out."""
    if request.method == "POST" and not AxesProxyHandler.is_allowed(request):
        services.login_blocked_record(ip_address=client_ip(request))
        return get_lockout_response(request)
    return allauth_views.login(request, *args, **kwargs)


@login_not_required
def mfa_authenticate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """allauth's second sign-in step; someone already signed in has nothing left to do here."""
    if request.user.is_authenticated:
        return redirect("web:home")
    return mfa_views.authenticate(request, *args, **kwargs)


def account_home(request: HttpRequest) -> HttpResponse:
    # The actor's memberships come from the page shell's context (web.context_processors).
    return render(
        request,
        "accounts/account_home.html",
        {
            "has_mfa": selectors.user_has_mfa(user=request.user),
            "active_nav": "account",
        },
    )


@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ApiTokenForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "active_nav": "account"}
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(actor=actor, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            # The secret is shown in this one response and never again (only its digest is kept).
            context.update({"new_token": token, "secret": secret, "form": ApiTokenForm()})
    context["tokens"] = selectors.api_token_list(actor=actor)
    return render(request, "accounts/token_list.html", context)


@require_POST
def token_revoke(request: HttpRequest, token_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    token = selectors.api_token_get(actor=actor, token_id=token_id)
    services.api_token_revoke(actor=actor, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:token-list")
