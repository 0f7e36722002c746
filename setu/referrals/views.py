"""Referral pages: send from a case, lists for both sides, detail with what was shared, actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from setu.access.actor import actor_of
from setu.core.errors import ConsentRequired, InvalidInput
from setu.core.forms import apply_errors
from setu.directory import selectors as directory
from setu.directory.selectors import ServiceType
from setu.referrals import selectors, services
from setu.referrals.forms import DeclineForm, HandoverForm, NoteForm, ReasonForm, ReferralForm
from setu.referrals.models import ReferralStatus


def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals received by and sent from the actor's organisation."""
    actor = actor_of(request)
    direction = request.GET.get("direction", "received")
    direction = direction if direction in ("received", "sent") else "received"
    status = request.GET.get("status", "")
    status = status if status in ReferralStatus.values else ""
    qs = selectors.referral_list(actor=actor, direction=direction, status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.referral_rows(actor=actor, referrals=page),
        "direction": direction,
        "status": status,
        "statuses": ReferralStatus.choices,
        "active_nav": "referrals",
    }
    return render(request, "referrals/referral_list.html", context)


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Refer a person of this case to a service of another organisation."""
    actor = actor_of(request)
    case = selectors.case_get_for_referral(actor=actor, case_id=case_id)
    persons = list(selectors.case_persons(actor=actor, case=case))
    need = request.GET.get("need", "")
    show_full = request.GET.get("full") == "1"
    free_beds = selectors.free_beds_by_shelter(actor=actor)
    services_offered = [
        s
        for s in directory.service_list(actor=actor, need=need)
        if s.organisation_id != actor.organisation_id
    ]
    # A shelter with no free bed is left out unless asked for (a referral may still wait
    # for a bed there, but nobody should pick a full home by mistake).
    full = [
        s
        for s in services_offered
        if s.service_type == ServiceType.SHELTER and free_beds.get(s.organisation_id) == 0
    ]
    if not show_full:
        services_offered = [s for s in services_offered if s not in full]
    form = ReferralForm(
        request.POST or None,
        persons=persons,
        services=services_offered,
        free_beds=free_beds,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next(p for p in persons if str(p.pk) == data["person"])
        service = next(s for s in services_offered if str(s.pk) == data["to_service"])
        try:
            referral = services.referral_send(
                actor=actor,
                case=case,
                person=person,
                to_service=service,
                need=data["need"],
                urgency=data["urgency"],
                kind=data["kind"],
                scopes=data["scopes"],
                message=data["message"],
            )
        except ConsentRequired as exc:
            form.add_error("scopes", str(exc))
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("referrals:referral-detail", referral_id=referral.pk)
    context = {
        "form": form,
        "case": case,
        "need": need,
        "show_full": show_full,
        "full_count": len(full),
        "active_nav": "referrals",
    }
    return render(request, "referrals/referral_form.html", context)


def referral_detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """A referral as either side sees it: status, history and only what was shared."""
    actor = actor_of(request)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    shared = services.referral_view_shared(actor=actor, referral=referral)
    context = {
        "referral": referral,
        "shared": shared,
        "events": selectors.referral_events(actor=actor, referral=referral),
        "can": selectors.referral_permissions(actor=actor, referral=referral),
        "is_sender": referral.from_org_id == actor.organisation_id,
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "handover_form": HandoverForm(
            initial={
                "escort_arranged": referral.escort_arranged,
                "escort_details": referral.escort_details,
                "documents_handed_over": "\n".join(referral.documents_handed_over),
                "receiving_authority": referral.receiving_authority,
                "travel_date": referral.travel_date,
            }
        ),
        "handover_missing": referral.handover_missing(),
        "decline_form": DeclineForm(shelter=referral.need == ServiceType.SHELTER),
        "beds": selectors.referral_beds(actor=actor, referral=referral),
        "active_nav": "referrals",
    }
    return render(request, "referrals/referral_detail.html", context)


def _field_errors(request: HttpRequest, form: Any) -> None:
    """Show a form's errors as messages, each naming its field (the form is not re-shown)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _act(
    request: HttpRequest,
    referral_id: UUID,
    form_class: type[Any] | None,
    call: Callable[..., Any],
    done: str,
) -> HttpResponse:
    actor = actor_of(request)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    kwargs: dict[str, Any] = {}
    if form_class is not None:
        if form_class is DeclineForm:
            form = DeclineForm(request.POST, shelter=referral.need == ServiceType.SHELTER)
        else:
            form = form_class(request.POST)
        if not form.is_valid():
            _field_errors(request, form)
            return redirect("referrals:referral-detail", referral_id=referral.pk)
        if isinstance(form, HandoverForm):
            kwargs = form.handover_data()
        elif isinstance(form, DeclineForm):
            kwargs = form.decline_data()
        else:
            kwargs = dict(form.cleaned_data)
    try:
        call(actor=actor, referral=referral, **kwargs)
    except InvalidInput as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("referrals:referral-detail", referral_id=referral.pk)


@require_POST
def referral_accept(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    return _act(request, referral_id, NoteForm, services.referral_accept, _("Accepted."))


@require_POST
def referral_decline(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    return _act(request, referral_id, DeclineForm, services.referral_decline, _("Declined."))


@require_POST
def referral_start(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    return _act(request, referral_id, NoteForm, services.referral_start, _("Marked in progress."))


@require_POST
def referral_complete(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    def complete(*, actor: Any, referral: Any, note: str) -> Any:
        return services.referral_complete(actor=actor, referral=referral, outcome=note)

    return _act(request, referral_id, NoteForm, complete, _("Completed."))


@require_POST
def referral_close(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    return _act(request, referral_id, ReasonForm, services.referral_close, _("Closed."))


@require_POST
def referral_handover(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    def update(*, actor: Any, referral: Any, **data: Any) -> Any:
        return services.referral_update_handover(actor=actor, referral=referral, data=data)

    return _act(request, referral_id, HandoverForm, update, _("Handover checklist saved."))


@require_POST
def referral_confirm_received(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    return _act(
        request, referral_id, None, services.referral_confirm_received, _("Arrival confirmed.")
    )
