"""Reads of entitlements, through the access policy; reads of one survivor's records are audited."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import NotFound
from setu.entitlements.models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    CompensationClaim,
    CompensationStage,
    Scheme,
    SchemeApplication,
)


def scheme_list(
    *, actor: Actor, include_inactive: bool = False, category: str = ""
) -> QuerySet[Scheme]:
    """Schemes of the network's list (of one category when given)."""
    qs = Scheme.objects.all() if include_inactive else Scheme.objects.filter(is_active=True)
    if category:
        qs = qs.filter(category=category)
    return policy.scope(actor, qs, Action.VIEW).select_related("state")


def scheme_get(*, actor: Actor, scheme_id: UUID, action: Action = Action.VIEW) -> Scheme:
    """One scheme (for editing, ``action=EDIT``)."""
    scheme = policy.scope(actor, Scheme.objects.all(), action).filter(pk=scheme_id).first()
    if scheme is None:
        raise NotFound(action=action, target=("entitlements.scheme", str(scheme_id), None))
    return scheme


# Still waiting for the department to act: approved and paid ones wait for nothing.
WAITING_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.DOCUMENTS_MISSING)


def application_list(
    *,
    actor: Actor,
    status: str = "",
    scheme_id: UUID | None = None,
    case_id: UUID | None = None,
    waiting: bool = False,
    with_history: bool = False,
) -> QuerySet[SchemeApplication]:
    """Applications the actor may see, stalest first (``waiting``: only those still waiting)."""
    qs = policy.scope(actor, SchemeApplication.objects.all(), Action.VIEW)
    if status:
        qs = qs.filter(status=status)
    if waiting:
        qs = qs.filter(status__in=WAITING_STATUSES)
    if scheme_id:
        qs = qs.filter(scheme_id=scheme_id)
    if case_id:
        qs = qs.filter(case_id=case_id)
    if with_history:
        qs = qs.prefetch_related("changes")
    return qs.select_related("scheme", "case", "person").order_by("status_changed_on")


def application_get(*, actor: Actor, application_id: UUID) -> SchemeApplication:
    """One application with its status history; the read is audited."""
    application = (
        policy.scope(actor, SchemeApplication.objects.all(), Action.VIEW)
        .select_related("scheme", "case", "person")
        .prefetch_related("changes__recorded_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(
            action=Action.VIEW, target=("entitlements.schemeapplication", str(application_id), None)
        )
    audit.record(actor=actor, action=AuditAction.VIEW, target=application)
    return application


def claim_list(*, actor: Actor, case_id: UUID | None = None) -> QuerySet[CompensationClaim]:
    """Compensation claims the actor may see, with their stages."""
    qs = policy.scope(actor, CompensationClaim.objects.all(), Action.VIEW)
    if case_id:
        qs = qs.filter(case_id=case_id)
    return qs.select_related("scheme", "case", "person").prefetch_related(
        Prefetch("stages", queryset=CompensationStage.objects.select_related("appeal_of"))
    )


def claim_get(*, actor: Actor, claim_id: UUID) -> CompensationClaim:
    """One claim with every stage; the read is audited."""
    claim = claim_list(actor=actor).filter(pk=claim_id).first()
    if claim is None:
        raise NotFound(
            action=Action.VIEW, target=("entitlements.compensationclaim", str(claim_id), None)
        )
    audit.record(actor=actor, action=AuditAction.VIEW, target=claim)
    return claim


def stage_get(*, actor: Actor, stage_id: UUID, action: Action = Action.VIEW) -> CompensationStage:
    """One stage of a claim (``action=EDIT`` to change it)."""
    stage = (
        policy.scope(actor, CompensationStage.objects.all(), Action.VIEW)
        .select_related("claim")
        .filter(pk=stage_id)
        .first()
    )
    if stage is None:
        raise NotFound(
            action=action, target=("entitlements.compensationstage", str(stage_id), None)
        )
    if action != Action.VIEW:
        policy.require(actor, action, stage)
    return stage


def appeal_deadlines(*, actor: Actor, within_days: int = 30) -> list[CompensationStage]:
    """Orders whose appeal deadline falls within ``within_days`` and have not been appealed."""
    today = timezone.localdate()
    qs = (
        policy.scope(actor, CompensationStage.objects.all(), Action.VIEW)
        .filter(
            appeal_deadline__gte=today,
            appeal_deadline__lte=today + datetime.timedelta(days=within_days),
            appeal__isnull=True,
        )
        .select_related("claim__case")
        .order_by("appeal_deadline")
    )
    return list(qs)


@dataclass
class SchemeSummary:
    """Applications to one scheme by status, with how long open ones have waited."""

    scheme: str
    by_status: dict[str, int]
    open_count: int
    waiting_over_90_days: int
    median_days_to_approval: int | None


def application_summary(*, actor: Actor) -> list[SchemeSummary]:
    """Per scheme: how many applications are in each status and how long they wait."""
    rows = application_list(actor=actor).prefetch_related("changes")
    today = timezone.localdate()
    grouped: dict[str, list[SchemeApplication]] = defaultdict(list)
    for application in rows:
        grouped[str(application.scheme)].append(application)
    result = []
    for scheme, applications in sorted(grouped.items()):
        by_status: dict[str, int] = dict.fromkeys(ApplicationStatus.values, 0)
        waits: list[int] = []
        for a in applications:
            by_status[a.status] += 1
            approved = [c.changed_on for c in a.changes.all() if c.to_status == "approved"]
            if approved:
                waits.append((approved[0] - a.applied_on).days)
        open_apps = [a for a in applications if a.status in OPEN_APPLICATION_STATUSES]
        waits.sort()
        result.append(
            SchemeSummary(
                scheme=scheme,
                by_status=by_status,
                open_count=len(open_apps),
                waiting_over_90_days=sum(1 for a in open_apps if (today - a.applied_on).days > 90),
                median_days_to_approval=waits[len(waits) // 2] if waits else None,
            )
        )
    return result


def case_for_entitlements(*, actor: Actor, case_id: UUID) -> Any:
    """The case (through the registry's selector, which audits the read)."""
    from setu.registry import selectors as registry_selectors

    return registry_selectors.case_get(actor=actor, case_id=case_id)


def case_victims(*, actor: Actor, case: Any) -> list[Any]:
    """Survivors of a case the actor may see (for choosing whose entitlement it is)."""
    from setu.registry import selectors as registry_selectors

    return registry_selectors.case_survivor_list(actor=actor, case=case)
