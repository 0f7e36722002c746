"""Reads of entitlements, through the access policy; reads of one survivor's records are audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Min, Prefetch, Q, QuerySet
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


# Open applications older than this many days are flagged as waiting too long.
STALE_DAYS = 90


def application_summary(
    *, actor: Actor, visible_ids: list[Any] | None = None
) -> list[SchemeSummary]:
    """Per scheme: how many applications are in each status and how long they wait.

    Counted in the database, whatever the number of applications (the first approval's date
    per approved application, for the median, is the only list read). ``visible_ids``: the
    ids ``policy.scope`` gave, when the caller has them already."""
    today = timezone.localdate()
    if visible_ids is None:
        visible = policy.scope(actor, SchemeApplication.objects.all(), Action.VIEW).order_by()
    else:
        visible = SchemeApplication.objects.filter(pk__in=visible_ids).order_by()
    counts = visible.values("scheme_id", "status").annotate(
        n=Count("id"),
        stale=Count("id", filter=Q(applied_on__lt=today - datetime.timedelta(days=STALE_DAYS))),
    )
    # The first approval of each approved application (its history is in date order).
    approvals = (
        visible.filter(changes__to_status=ApplicationStatus.APPROVED)
        .values("pk", "scheme_id", "applied_on")
        .annotate(approved_on=Min("changes__changed_on"))
    )
    rows = list(counts)
    schemes = Scheme.objects.in_bulk({r["scheme_id"] for r in rows})
    # Keyed by the scheme's display name, as the page and the feedback report show it.
    by_name: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = by_name.setdefault(
            str(schemes[row["scheme_id"]]),
            {"by_status": dict.fromkeys(ApplicationStatus.values, 0), "open": 0, "stale": 0,
             "waits": []},
        )  # fmt: skip
        entry["by_status"][row["status"]] += row["n"]
        if row["status"] in OPEN_APPLICATION_STATUSES:
            entry["open"] += row["n"]
            entry["stale"] += row["stale"]
    for row in approvals:
        days = (row["approved_on"] - row["applied_on"]).days
        by_name[str(schemes[row["scheme_id"]])]["waits"].append(days)
    result = []
    for name, entry in sorted(by_name.items()):
        waits = sorted(entry["waits"])
        result.append(
            SchemeSummary(
                scheme=name,
                by_status=entry["by_status"],
                open_count=entry["open"],
                waiting_over_90_days=entry["stale"],
                median_days_to_approval=waits[len(waits) // 2] if waits else None,
            )
        )
    return result


# The overview lists this many applications still waiting (longest first) and claims (newest
# first); the case's own page lists all of a case's.
OVERVIEW_APPLICATIONS = 200
OVERVIEW_CLAIMS = 100


@dataclass(frozen=True)
class Overview:
    """A caseworker's entitlements overview: what waits, per-scheme counts, appeal deadlines
    and the latest claims (each claim's ``survivor_name`` set when the actor may see it)."""

    applications: list[SchemeApplication]
    summary: list[SchemeSummary]
    deadlines: list[CompensationStage]
    claims: list[CompensationClaim]


def overview(*, actor: Actor, status: str = "") -> Overview:
    """The overview page's reads, bounded: the lists are cut to their first rows and read only
    the columns the page shows (no survivor row is joined; names come from the registry's
    selector, for those the actor may see), and the summary is counted in the database."""
    from setu.registry import selectors as registry_selectors

    # The access rule (a case the actor may open) is asked once, for the ids; the list and the
    # counts then read those rows by id. Asked in each of the three queries instead, planning
    # and running the rule under row-level security cost most of the page (docs/entitlements.md).
    visible_ids = list(
        policy.scope(actor, SchemeApplication.objects.order_by(), Action.VIEW).values_list(
            "pk", flat=True
        )
    )
    applications = SchemeApplication.objects.filter(pk__in=visible_ids)
    if status:
        applications = applications.filter(status=status)
    else:
        applications = applications.filter(status__in=WAITING_STATUSES)
    applications = applications.select_related("scheme", "case").order_by("status_changed_on")
    claims = list(
        claim_list(actor=actor)
        .select_related(None)
        .select_related("scheme", "case")[:OVERVIEW_CLAIMS]
    )
    names = registry_selectors.person_names(actor=actor, ids={c.person_id for c in claims})
    for claim in claims:
        claim.survivor_name = names.get(str(claim.person_id), "")  # type: ignore[attr-defined]
    return Overview(
        applications=list(applications[:OVERVIEW_APPLICATIONS]),
        summary=application_summary(actor=actor, visible_ids=visible_ids),
        deadlines=appeal_deadlines(actor=actor),
        claims=claims,
    )


def case_for_entitlements(*, actor: Actor, case_id: UUID) -> Any:
    """The case (through the registry's selector, which audits the read)."""
    from setu.registry import selectors as registry_selectors

    return registry_selectors.case_get(actor=actor, case_id=case_id)


def case_victims(*, actor: Actor, case: Any) -> list[Any]:
    """Survivors of a case the actor may see (for choosing whose entitlement it is)."""
    from setu.registry import selectors as registry_selectors

    return registry_selectors.case_survivor_list(actor=actor, case=case)
