"""Inbox and notification preferences. Thin: parse, call one selector or service, render."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.access.actor import actor_of
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.notifications import forms, selectors, services


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notices: alike unread ones grouped, urgent first; filterable."""
    form = forms.InboxFilterForm(request.GET or None)
    kind = state = ""
    if form.is_valid():
        kind, state = form.cleaned_data["kind"], form.cleaned_data["state"]
    items = selectors.inbox(actor=actor_of(request), kind=kind or None, state=state or None)
    return render(
        request,
        "notifications/inbox.html",
        {"items": items, "form": form, "kind": kind, "active_nav": "inbox"},
    )


@require_POST
def notification_read(request: HttpRequest, notification_id: UUID) -> HttpResponse:
    """Mark one notice read and follow its link."""
    notice = services.notification_mark_read(
        actor=actor_of(request), notification_id=notification_id
    )
    return redirect(notice.url or "notifications:inbox")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notice read, or every notice of one kind (a group)."""
    form = forms.InboxFilterForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    services.notification_mark_all_read(actor=actor_of(request), kind=kind or None)
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose email and SMS/WhatsApp delivery."""
    actor = actor_of(request)
    pref = selectors.preference_get(actor=actor)
    initial = {
        "email": pref.email,
        "sms": pref.sms,
        "sms_number": pref.sms_number,
        "urgent_only": pref.urgent_only,
        "digest": pref.digest,
    }
    form = forms.PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(actor=actor, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "active_nav": "inbox"})
