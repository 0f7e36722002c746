"""Entitlement pages: a case's schemes and compensation claims, an overview, the scheme list."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.audit import services as audit
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.core.pages import form_page
from setu.entitlements import selectors, services
from setu.entitlements.forms import (
    AppealForm,
    ApplicationForm,
    ClaimForm,
    SchemeForm,
    StageForm,
    StatusForm,
)
from setu.entitlements.models import SchemeCategory
from setu.registry import selectors as registry


def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "entitlements.schemeapplication")
    status = request.GET.get("status", "")
    found = selectors.overview(actor=actor, status=status)
    return render(
        request,
        "entitlements/overview.html",
        {
            "applications": found.applications,
            "summary": found.summary,
            "deadlines": found.deadlines,
            "claims": found.claims,
            "status": status,
            "can_edit_schemes": policy.allowed(actor, Action.EDIT, "entitlements.scheme"),
            "active_nav": "entitlements",
        },
    )


def case_entitlements(request: HttpRequest, case_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_for_entitlements(actor=actor, case_id=case_id)
    persons = selectors.case_victims(actor=actor, case=case)
    schemes = selectors.scheme_list(actor=actor)
    today = timezone.localdate()
    app_form = ApplicationForm(
        request.POST if request.POST.get("form") == "application" else None,
        persons=persons,
        schemes=schemes,
        initial={"applied_on": today},
        # Two forms on one page: ids of their own, so that each label names its own field.
        auto_id="application-%s",
    )
    claim_form = ClaimForm(
        request.POST if request.POST.get("form") == "claim" else None,
        persons=persons,
        schemes=selectors.scheme_list(actor=actor, category=SchemeCategory.COMPENSATION),
        initial={"filed_on": today},
        auto_id="claim-%s",
    )
    if request.method == "POST":
        by_pk = {str(p.pk): p for p in persons}
        schemes_by_pk = {str(s.pk): s for s in schemes}
        form = app_form if request.POST.get("form") == "application" else claim_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is app_form:
                    services.application_create(
                        actor=actor,
                        case=case,
                        person=by_pk[data["person"]],
                        scheme=schemes_by_pk[data["scheme"]],
                        status=data["status"],
                        applied_on=data["applied_on"],
                        reference_number=data["reference_number"],
                        notes=data["notes"],
                    )
                else:
                    services.claim_create(
                        actor=actor,
                        case=case,
                        person=by_pk[data["person"]],
                        scheme=schemes_by_pk.get(data["scheme"] or ""),
                        filed_on=data["filed_on"],
                        amount_claimed=data["amount_claimed"],
                        reference=data["reference"],
                    )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("entitlements:case", case_id=case.pk)
    applications = selectors.application_list(actor=actor, case_id=case.pk)
    claims = list(selectors.claim_list(actor=actor, case_id=case.pk))
    # The survivor is named only to those who may see who they are.
    names = registry.person_names(actor=actor, ids={c.person_id for c in claims})
    for claim in claims:
        claim.survivor_name = names.get(str(claim.person_id), "")  # type: ignore[attr-defined]
    return render(
        request,
        "entitlements/case.html",
        {
            "case": case,
            "applications": applications,
            "claims": claims,
            "app_form": app_form,
            "claim_form": claim_form,
            "can_edit": policy.allowed(actor, Action.CREATE, "entitlements.schemeapplication")
            and case.owner_org_id == actor.organisation_id,
            "active_nav": "entitlements",
        },
    )


def application_detail(request: HttpRequest, application_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    application = selectors.application_get(actor=actor, application_id=application_id)
    form = StatusForm(request.POST or None, initial={"changed_on": timezone.localdate()})
    here = reverse("entitlements:application-detail", args=[application.pk])
    return form_page(
        request,
        form,
        title=str(application.scheme),
        back=here,
        submit=_("Save"),
        save=lambda data: services.application_set_status(
            actor=actor, application=application, **data
        ),
        done=lambda _application: here,
        success=_("Status recorded."),
        refused=audit.denial_record,
        template="entitlements/application_detail.html",
        extra={
            "application": application,
            "can_edit": policy.can(actor, Action.EDIT, application),
            "active_nav": "entitlements",
        },
    )


def claim_detail(request: HttpRequest, claim_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    return render(
        request,
        "entitlements/claim_detail.html",
        {
            "claim": claim,
            # The survivor is named only to those who may see who they are.
            "survivor": registry.person_names(actor=actor, ids=[claim.person_id]).get(
                str(claim.person_id), ""
            ),
            "appeal_form": AppealForm(initial={"filed_on": timezone.localdate()}),
            "can_edit": policy.can(actor, Action.EDIT, claim),
            "active_nav": "entitlements",
        },
    )


def stage_edit(request: HttpRequest, stage_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    stage = selectors.stage_get(actor=actor, stage_id=stage_id, action=Action.EDIT)
    fields = StageForm.base_fields
    form = StageForm(request.POST or None, initial={f: getattr(stage, f) for f in fields})
    back = reverse("entitlements:claim-detail", args=[stage.claim_id])
    return form_page(
        request,
        form,
        title=stage.get_forum_display(),
        back=back,
        submit=_("Save"),
        save=lambda data: services.stage_update(actor=actor, stage=stage, **data),
        done=lambda _stage: back,
        success=_("Saved."),
        refused=audit.denial_record,
        template="entitlements/stage_form.html",
        extra={"stage": stage, "active_nav": "entitlements"},
    )


@require_POST
def stage_appeal(request: HttpRequest, stage_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    stage = selectors.stage_get(actor=actor, stage_id=stage_id, action=Action.EDIT)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.stage_appeal(actor=actor, stage=stage, **form.cleaned_data)
            messages.success(request, _("Appeal recorded."))
        except InvalidInput as exc:
            messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    return redirect("entitlements:claim-detail", claim_id=stage.claim_id)


def scheme_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.EDIT, "entitlements.scheme")
    return render(
        request,
        "entitlements/scheme_list.html",
        {
            "schemes": selectors.scheme_list(actor=actor, include_inactive=True),
            "active_nav": "entitlements",
        },
    )


def scheme_form(request: HttpRequest, scheme_id: UUID | None = None) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.EDIT, "entitlements.scheme")
    scheme = (
        selectors.scheme_get(actor=actor, scheme_id=scheme_id, action=Action.EDIT)
        if scheme_id
        else None
    )
    initial = {f: getattr(scheme, f) for f in SchemeForm.base_fields} if scheme else {}
    form = SchemeForm(request.POST or None, initial=initial)
    back = reverse("entitlements:scheme-list")

    def save(data: dict[str, Any]) -> Any:
        if scheme:
            return services.scheme_update(actor=actor, scheme=scheme, **data)
        return services.scheme_create(actor=actor, **data)

    return form_page(
        request,
        form,
        title=scheme.name if scheme else _("Add a scheme"),
        back=back,
        submit=_("Save"),
        save=save,
        done=lambda _scheme: back,
        success=_("Saved."),
        refused=audit.denial_record,
        template="entitlements/scheme_form.html",
        extra={"scheme": scheme, "active_nav": "entitlements"},
    )
