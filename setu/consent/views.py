"""Consent pages: record and withdraw a person's consent, share a case and stop sharing it.

They live under /registry/ next to the person and case pages they start from; the person and
case pages link here and show consents and shares through ``registry.hooks``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.audit import services as audit
from setu.consent import forms, selectors, services
from setu.core.errors import ConsentRequired, InvalidInput
from setu.core.forms import apply_errors
from setu.core.pages import form_page
from setu.registry import selectors as registry


@require_http_methods(["GET", "POST"])
def consent_record(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Record a person's consent to share."""
    actor = actor_of(request)
    person = registry.person_get(actor=actor, person_id=person_id, for_action=Action.MANAGE_CONSENT)
    form = forms.ConsentForm(
        request.POST or None,
        organisations=registry.consent_recipient_list(actor=actor),
        initial={"given_on": timezone.localdate()},
    )
    back = reverse("registry:person-detail", args=[person.pk])
    return form_page(
        request,
        form,
        title=_("Consent of %(name)s") % {"name": person.display_name},
        intro=_(
            "Read the choices to the person in a language they understand. Record only what "
            "they agreed to; they can withdraw at any time."
        ),
        back=back,
        submit=_("Record consent"),
        save=lambda data: services.consent_record(actor=actor, person=person, **data),
        done=lambda _c: back,
        success=_("Consent recorded."),
        refused=audit.denial_record,
        extra={"active_nav": "persons"},
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    """Record that a person withdrew a consent; shares relying on it end at once."""
    actor = actor_of(request)
    consent = selectors.consent_get(actor=actor, consent_id=consent_id, for_action=Action.EDIT)
    back = reverse("registry:person-detail", args=[consent.person_id])
    form = forms.ConsentWithdrawForm(
        request.POST or None, initial={"withdrawn_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        title=_("Withdraw consent"),
        intro=_("Every case share relying on this consent will end immediately."),
        back=back,
        submit=_("Withdraw consent"),
        save=lambda data: services.consent_withdraw(actor=actor, consent=consent, **data),
        done=lambda _c: back,
        success=_("Consent withdrawn; shares relying on it have ended."),
        refused=audit.denial_record,
        extra={"active_nav": "persons", "danger": True},
    )


@require_http_methods(["GET", "POST"])
def case_share(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Share a case with another organisation, backed by a survivor's consent: first a preview
    of who the partner will see and what of each, then (step "send") the share itself."""
    actor = actor_of(request)
    case = registry.case_get(actor=actor, case_id=case_id, for_action=Action.SHARE)
    back = reverse("registry:case-detail", args=[case.pk])
    people = selectors.share_people(
        actor=actor, case=case, organisation_id=request.POST.get("organisation")
    )
    form = forms.CaseShareForm(
        request.POST or None,
        organisations=registry.share_recipient_list(actor=actor, case=case),
        people=people,
    )
    context: dict[str, Any] = {
        "form": form,
        "title": _("Share case %(ref)s") % {"ref": case.reference},
        "intro": _(
            "Another organisation sees only what you choose here, and only while a survivor's "
            "consent covers it. Withdrawal of that consent ends the share."
        ),
        "back": back,
        "active_nav": "cases",
        "case": case,
        "consents": selectors.case_share_consents(actor=actor, case=case),
        "people": people,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Kept before the send step: a refusal that names a field removes it from cleaned_data,
        # and the preview beside the error still needs it.
        organisation, scopes = data["organisation"], data["scopes"]
        if request.POST.get("step") == "send":
            data["recipients"] = [u for u in people if str(u.pk) in data["recipients"]]
            try:
                services.case_share(actor=actor, case=case, **data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            except ConsentRequired as exc:
                audit.denial_record(request=request, exc=exc)
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Case shared."))
                return redirect(back)
        consent, rows = selectors.case_share_preview(
            actor=actor, case=case, organisation=organisation, scopes=scopes
        )
        context.update(previewed=True, preview_consent=consent, preview=rows)
    return render(request, "consent/case_share.html", context)


@require_POST
def case_unshare(request: HttpRequest, share_id: UUID) -> HttpResponse:
    """Stop sharing a case with an organisation."""
    actor = actor_of(request)
    share = selectors.share_get(actor=actor, share_id=share_id)
    try:
        services.case_unshare(actor=actor, share=share)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("Sharing stopped."))
    return redirect("registry:case-detail", case_id=share.case_id)
