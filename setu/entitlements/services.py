"""Writes to entitlements: scheme applications and their status history, compensation claims,
their stages and appeals, and the list of schemes. All audited, all through the policy."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes
from setu.core.errors import Forbidden, InvalidInput
from setu.entitlements.models import (
    APPEAL_TO,
    ApplicationStatus,
    ApplicationStatusChange,
    ClaimStatus,
    CompensationClaim,
    CompensationStage,
    Forum,
    Scheme,
    SchemeApplication,
    StageOutcome,
)
from setu.registry import selectors as registry_selectors

if TYPE_CHECKING:
    from setu.registry.models import Case, Person

SCHEME_FIELDS = ("name", "short_name", "category", "state", "description", "is_active")
STAGE_FIELDS = (
    "reference",
    "filed_on",
    "amount_claimed",
    "next_hearing_on",
    "outcome",
    "order_on",
    "order_summary",
    "amount_awarded",
    "amount_paid",
    "paid_on",
    "appeal_deadline",
)


def _require_writable(actor: Actor, case: Case, label: str) -> None:
    """Refuse (Forbidden, audited) before the row is written: on PostgreSQL row-level security
    would refuse the insert itself for a case of another organisation, with a database error."""
    if not policy.entitlement_case_writable(actor, case):
        raise Forbidden(action=Action.EDIT, target=(label, "", case.owner_org_id))


def _check_person_in_case(case: Case, person: Person) -> None:
    if not registry_selectors.case_has_person(case=case, person=person):
        raise InvalidInput({"person": [_("This person is not part of the case.")]})


# --- Schemes -------------------------------------------------------------------------------


@transaction.atomic
def scheme_create(*, actor: Actor, **fields: Any) -> Scheme:
    """Add a scheme to the network's list."""
    policy.require_allowed(actor, Action.EDIT, "entitlements.scheme")
    scheme = Scheme(**{k: v for k, v in fields.items() if k in SCHEME_FIELDS})
    changes.clean(scheme)
    scheme.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=scheme,
        changes={"after": changes.snapshot(scheme, SCHEME_FIELDS)},
    )
    return scheme


@transaction.atomic
def scheme_update(*, actor: Actor, scheme: Scheme, **fields: Any) -> Scheme:
    """Correct a scheme or retire it (``is_active=False``); applications keep their scheme."""
    policy.require(actor, Action.EDIT, scheme)
    before = changes.snapshot(scheme, SCHEME_FIELDS)
    for name, value in fields.items():
        if name in SCHEME_FIELDS:
            setattr(scheme, name, value)
    changes.clean(scheme)
    scheme.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={"before": before, "after": changes.snapshot(scheme, SCHEME_FIELDS)},
    )
    return scheme


# --- Scheme applications -------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    scheme: Scheme,
    status: str = ApplicationStatus.APPLIED,
    applied_on: datetime.date | None = None,
    reference_number: str = "",
    amount: Decimal | None = None,
    notes: str = "",
) -> SchemeApplication:
    """Record that a survivor of the case applied to a scheme."""
    policy.require(actor, Action.VIEW, case)
    policy.require_allowed(actor, Action.CREATE, "entitlements.schemeapplication")
    _check_person_in_case(case, person)
    _require_writable(actor, case, "entitlements.schemeapplication")
    applied_on = applied_on or timezone.localdate()
    application = SchemeApplication(
        case=case,
        person=person,
        owner_org_id=case.owner_org_id,
        scheme=scheme,
        status=status,
        applied_on=applied_on,
        status_changed_on=applied_on,
        reference_number=reference_number,
        amount=amount,
        notes=notes,
        created_by=actor.user,
    )
    changes.clean(application)
    application.save()
    # The policy judges the saved row (case rules, team, role); a refusal rolls the insert back.
    policy.require(actor, Action.EDIT, application)
    ApplicationStatusChange.objects.create(
        application=application, to_status=status, changed_on=applied_on, recorded_by=actor.user
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=application,
        changes={
            "after": {"scheme": str(scheme.pk), "status": status, "applied_on": str(applied_on)}
        },
    )
    return application


@transaction.atomic
def application_set_status(
    *,
    actor: Actor,
    application: SchemeApplication,
    status: str,
    changed_on: datetime.date | None = None,
    note: str = "",
    amount: Decimal | None = None,
) -> SchemeApplication:
    """Move an application to a new status on a date; the change is kept in its history."""
    policy.require(actor, Action.EDIT, application)
    application = SchemeApplication.objects.select_for_update().get(pk=application.pk)
    changed_on = changed_on or timezone.localdate()
    if status not in ApplicationStatus.values:
        raise InvalidInput({"status": [_("Unknown status.")]})
    if changed_on < application.status_changed_on:
        raise InvalidInput({"changed_on": [_("The date is before the last change.")]})
    if changed_on > timezone.localdate():
        raise InvalidInput({"changed_on": [_("The date is in the future.")]})
    before = {"status": application.status, "status_changed_on": str(application.status_changed_on)}
    ApplicationStatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=status,
        changed_on=changed_on,
        note=note,
        recorded_by=actor.user,
    )
    application.status, application.status_changed_on = status, changed_on
    if amount is not None:
        application.amount = amount
    application.save(update_fields=["status", "status_changed_on", "amount", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=application,
        changes={
            "before": before,
            "after": {"status": status, "status_changed_on": str(changed_on)},
        },
    )
    return application


# --- Compensation claims ------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    scheme: Scheme | None = None,
    filed_on: datetime.date | None = None,
    amount_claimed: Decimal = Decimal("0"),
    reference: str = "",
    notes: str = "",
) -> CompensationClaim:
    """Open a victim-compensation claim with its first stage before the DLSA."""
    policy.require(actor, Action.VIEW, case)
    policy.require_allowed(actor, Action.CREATE, "entitlements.schemeapplication")
    _check_person_in_case(case, person)
    _require_writable(actor, case, "entitlements.compensationclaim")
    claim = CompensationClaim(
        case=case,
        person=person,
        owner_org_id=case.owner_org_id,
        scheme=scheme,
        notes=notes,
        created_by=actor.user,
    )
    changes.clean(claim)
    claim.save()
    policy.require(actor, Action.EDIT, claim)
    stage = CompensationStage(
        claim=claim,
        forum=Forum.DLSA,
        filed_on=filed_on or timezone.localdate(),
        amount_claimed=amount_claimed,
        reference=reference,
    )
    changes.clean(stage)
    stage.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=claim,
        changes={
            "after": {
                "forum": Forum.DLSA,
                **changes.snapshot(stage, ("filed_on", "amount_claimed")),
            }
        },
    )
    return claim


def _claim_status(claim: CompensationClaim) -> str:
    """A claim's status follows its latest stage (an open appeal, an award, a payment)."""
    latest = claim.stages.order_by("-filed_on", "-created_at").first()
    if latest is None:
        return ClaimStatus.PENDING
    if latest.outcome == StageOutcome.PENDING:
        return ClaimStatus.APPEALED if latest.appeal_of_id else ClaimStatus.PENDING
    if latest.outcome == StageOutcome.REJECTED:
        return ClaimStatus.REJECTED
    awarded = latest.amount_awarded or Decimal("0")
    paid = sum((s.amount_paid for s in claim.stages.all()), Decimal("0"))
    return ClaimStatus.PAID if awarded and paid >= awarded else ClaimStatus.AWARDED


@transaction.atomic
def stage_update(*, actor: Actor, stage: CompensationStage, **fields: Any) -> CompensationStage:
    """Record a hearing date, an order, an award, a payment or an appeal deadline."""
    policy.require(actor, Action.EDIT, stage)
    stage = CompensationStage.objects.select_for_update().select_related("claim").get(pk=stage.pk)
    before = changes.snapshot(stage, STAGE_FIELDS)
    for name, value in fields.items():
        if name in STAGE_FIELDS:
            setattr(stage, name, value)
    if stage.next_hearing_on and str(stage.next_hearing_on) not in stage.hearing_dates:
        stage.hearing_dates = sorted([*stage.hearing_dates, str(stage.next_hearing_on)])
    if stage.outcome != StageOutcome.PENDING and not stage.order_on:
        raise InvalidInput({"order_on": [_("Give the date of the order.")]})
    if stage.amount_paid > stage.amount_awarded and stage.outcome != StageOutcome.PENDING:
        raise InvalidInput({"amount_paid": [_("More was paid than awarded.")]})
    changes.clean(stage)
    stage.save()
    claim = stage.claim
    claim.status = _claim_status(claim)
    claim.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=stage,
        target_org_id=claim.owner_org_id,
        changes={"before": before, "after": changes.snapshot(stage, STAGE_FIELDS)},
    )
    return stage


@transaction.atomic
def stage_appeal(
    *,
    actor: Actor,
    stage: CompensationStage,
    filed_on: datetime.date | None = None,
    amount_claimed: Decimal | None = None,
    reference: str = "",
) -> CompensationStage:
    """Appeal a stage's order to the next forum (DLSA → SLSA → High Court)."""
    policy.require(actor, Action.EDIT, stage)
    stage = CompensationStage.objects.select_for_update().select_related("claim").get(pk=stage.pk)
    forum = APPEAL_TO.get(Forum(stage.forum))
    if forum is None:
        raise InvalidInput(_("There is no further appeal in Setu from the High Court."))
    if stage.outcome == StageOutcome.PENDING:
        raise InvalidInput(_("Record the order before appealing it."))
    if CompensationStage.objects.filter(appeal_of=stage).exists():
        raise InvalidInput(_("This order has already been appealed."))
    appeal = CompensationStage(
        claim=stage.claim,
        forum=forum,
        appeal_of=stage,
        filed_on=filed_on or timezone.localdate(),
        amount_claimed=stage.amount_claimed if amount_claimed is None else amount_claimed,
        reference=reference,
    )
    changes.clean(appeal)
    if appeal.filed_on < (stage.order_on or appeal.filed_on):
        raise InvalidInput({"filed_on": [_("An appeal is filed after the order.")]})
    appeal.save()
    claim = stage.claim
    claim.status = ClaimStatus.APPEALED
    claim.save(update_fields=["status", "updated_at"])
    late = bool(stage.appeal_deadline and appeal.filed_on > stage.appeal_deadline)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=appeal,
        target_org_id=claim.owner_org_id,
        changes={
            "after": {"forum": forum, "appeal_of": str(stage.pk), "filed_on": str(appeal.filed_on)}
        },
        details={"event": "appeal", "filed_after_deadline": late},
    )
    return appeal
