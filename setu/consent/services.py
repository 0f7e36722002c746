"""Writes of consent and case shares: record, withdraw, lapse (expiry), share, unshare.

Every function checks the policy, validates, saves and audits in one transaction. When a
consent ends (withdrawn, or retired by the daily lapse) its case shares end and every
``subscriptions`` handler runs in that same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.consent import selectors, subscriptions
from setu.consent.models import CaseShare, Consent
from setu.consent.models import ConsentGiver as ConsentGiver
from setu.consent.models import ConsentScope as ConsentScope
from setu.consent.subscriptions import ConsentEnded, EndReason
from setu.core.changes import add, add_error, json_value, raise_if
from setu.core.errors import ConsentRequired, InvalidInput
from setu.registry import hooks as registry_hooks

if TYPE_CHECKING:
    from setu.orgs.models import Organisation
    from setu.registry.models import Case, Person

CONSENT_FIELDS = (
    "scopes",
    "recipient_org",
    "purpose",
    "given_by",
    "given_by_name",
    "given_on",
    "expires_on",
    "notes",
)
# Scopes that make sense for a case share (matching and statistics are not case views).
SHAREABLE_SCOPES = (
    ConsentScope.IDENTITY,
    ConsentScope.CONTACT,
    ConsentScope.CASE_HISTORY,
    ConsentScope.SERVICES,
    ConsentScope.FAMILY,
    ConsentScope.HEALTH,
    ConsentScope.LEGAL,
)


def _today() -> datetime.date:
    return timezone.localdate()


def consent_locked(*, consent_id: Any) -> Consent:
    """The consent row, locked until the caller's transaction ends: for another app's write
    that rests on it (a referral), so a withdrawal saved meanwhile is seen or waits."""
    return Consent.objects.select_for_update().get(pk=consent_id)


def _case_target(obj: models.Model, case: Case) -> tuple[str, str, Any]:
    """Audit target for a share: the row, filed under the case's owning organisation."""
    return (obj._meta.label_lower, str(obj.pk), case.owner_org_id)


def _person_target(obj: models.Model, person: Person) -> tuple[str, str, Any]:
    return (obj._meta.label_lower, str(obj.pk), person.owner_org_id)


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    person: Person,
    scopes: Iterable[str],
    recipient_org: Organisation | None = None,
    purpose: str = "",
    given_by: str = ConsentGiver.SELF,
    given_by_name: str = "",
    given_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    notes: str = "",
) -> Consent:
    """Record what a person agreed may be shared, with whom (None = the whole network), until when."""
    policy.require(actor, Action.MANAGE_CONSENT, person)
    wanted = list(dict.fromkeys(scopes))
    errors: dict[str, list[str]] = {}
    if not wanted:
        add_error(errors, "scopes", _("Choose at least one thing the person agreed to share."))
    bad = [s for s in wanted if s not in ConsentScope.values]
    if bad:
        add_error(errors, "scopes", _("Unknown scope: %s") % ", ".join(bad))
    given_on = given_on or _today()
    if given_on > _today():
        add_error(errors, "given_on", _("Consent cannot be recorded for a future date."))
    if expires_on and expires_on <= given_on:
        add_error(errors, "expires_on", _("The expiry date must come after the date given."))
    if given_by != ConsentGiver.SELF and not given_by_name.strip():
        add_error(
            errors, "given_by_name", _("Name the guardian, committee or court giving consent.")
        )
    raise_if(errors)
    consent = Consent(
        person=person,
        scopes=wanted,
        recipient_org=recipient_org,
        purpose=purpose,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        given_on=given_on,
        expires_on=expires_on,
        notes=notes,
        recorded_by=actor.user,
    )
    add(
        consent,
        CONSENT_FIELDS,
        record=audit.recorder(
            actor=actor, action=AuditAction.CONSENT_GIVEN, target=_person_target(consent, person)
        ),
    )
    # A new consent may widen with whom the person's record is matched.
    registry_hooks.person_saved(person.pk)
    return consent


def _end(
    consent: Consent, *, actor: Actor | None, reason: EndReason, day: datetime.date
) -> list[CaseShare]:
    """End the consent's live shares and tell every subscriber; the caller holds the row lock
    and is inside the transaction."""
    now = timezone.now()
    consent.ended_at = now
    consent.save(update_fields=["ended_at", "updated_at"])
    ended = list(
        CaseShare.objects.select_for_update()
        .filter(consent=consent, revoked_at__isnull=True)
        .select_related("case")
    )
    for share in ended:
        share.revoked_at = now
        share.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UNSHARE,
            target=_case_target(share, share.case),
            changes={"before": {"revoked_at": None}, "after": {"revoked_at": json_value(now)}},
            details={"reason": f"consent_{reason}", "consent": str(consent.pk)},
        )
    subscriptions.publish(
        ConsentEnded(
            consent_id=consent.pk,
            person_id=consent.person_id,
            recipient_org_id=consent.recipient_org_id,
            scopes=frozenset(consent.scopes or ()),
            reason=reason,
            ended_on=day,
            actor=actor,
        )
    )
    return ended


@transaction.atomic
def consent_withdraw(
    *,
    actor: Actor,
    consent: Consent,
    withdrawn_on: datetime.date | None = None,
    reason: str = "",
) -> Consent:
    """Record a withdrawal; every share and subscriber relying on this consent ends at once."""
    policy.require(actor, Action.EDIT, consent)
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    withdrawn_on = withdrawn_on or _today()
    errors: dict[str, list[str]] = {}
    if consent.withdrawn_on:
        add_error(errors, "withdrawn_on", _("This consent was already withdrawn."))
    # A withdrawal takes effect now; a future date would leave data flowing meanwhile.
    if withdrawn_on > _today():
        add_error(errors, "withdrawn_on", _("A withdrawal cannot be dated in the future."))
    elif withdrawn_on < consent.given_on:
        add_error(errors, "withdrawn_on", _("A withdrawal cannot be dated before the consent."))
    raise_if(errors)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by = actor.user
    if reason.strip():
        consent.notes = "\n".join(p for p in (consent.notes, reason.strip()) if p)
    consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by", "notes", "updated_at"])
    ended = _end(consent, actor=actor, reason=EndReason.WITHDRAWN, day=withdrawn_on)
    audit.record(
        actor=actor,
        action=AuditAction.CONSENT_WITHDRAWN,
        target=_person_target(consent, consent.person),
        changes={
            "before": {"withdrawn_on": None},
            "after": {"withdrawn_on": json_value(withdrawn_on)},
        },
        details={"shares_ended": [str(s.pk) for s in ended]},
    )
    return consent


def consents_forget_guardian(person_id: Any) -> None:
    """Retention anonymised this person: forget the names of those who consented for her."""
    Consent.objects.filter(person_id=person_id).exclude(given_by_name="").update(given_by_name="")


def consents_lapse(*, day: datetime.date | None = None) -> int:
    """Retire consents whose expiry date has passed: end their shares and tell every subscriber,
    once per consent, one transaction each (run daily: ``setu consent lapsed``)."""
    day = day or _today()
    retired = 0
    for pk in selectors.consents_expired(day=day):
        with transaction.atomic():
            consent = Consent.objects.select_for_update().select_related("person").get(pk=pk)
            if consent.ended_at is not None or consent.withdrawn_on is not None:
                continue  # another run or a withdrawal got there first
            ended = _end(consent, actor=None, reason=EndReason.EXPIRED, day=day)
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                target=_person_target(consent, consent.person),
                changes={"before": {"ended_at": None}, "after": {"ended_at": json_value(day)}},
                details={"reason": "consent_expired", "shares_ended": [str(s.pk) for s in ended]},
            )
            retired += 1
    return retired


@transaction.atomic
def case_share(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    scopes: Iterable[str],
    reason: str,
    expires_on: datetime.date | None = None,
    consent: Consent | None = None,
    recipients: Iterable[Any] = (),
) -> CaseShare:
    """Let another organisation see ``scopes`` of a case, backed by a survivor's consent.

    ``recipients`` (users) names the people at the organisation the share reaches; a restricted
    case needs them (and only its organisation's admin may share it: ``policy``).
    Raises ``ConsentRequired`` when no consent in force covers the organisation and the scopes.
    """
    policy.require(actor, Action.SHARE, case)
    wanted = list(dict.fromkeys(scopes))
    errors: dict[str, list[str]] = {}
    named = list(dict.fromkeys(recipients))
    eligible = policy.restricted_share_recipients(organisation.pk)
    if named and eligible.filter(pk__in=[getattr(u, "pk", u) for u in named]).count() != len(named):
        add_error(
            errors,
            "recipients",
            _("Name only active staff of the organisation the case is shared with."),
        )
    elif case.is_restricted and not named:
        add_error(
            errors,
            "recipients",
            _("A restricted case is shared only with named people: choose who may see it."),
        )
    if organisation.pk == case.owner_org_id:
        add_error(errors, "organisation", _("The case already belongs to this organisation."))
    elif not organisation.is_active:
        add_error(errors, "organisation", _("This organisation is no longer active."))
    if not wanted:
        add_error(errors, "scopes", _("Choose what to share."))
    bad = [s for s in wanted if s not in SHAREABLE_SCOPES]
    if bad:
        add_error(errors, "scopes", _("These cannot be shared: %s") % ", ".join(bad))
    if not (reason or "").strip():
        add_error(errors, "reason", _("Say why the case is being shared."))
    if expires_on and expires_on < _today():
        add_error(errors, "expires_on", _("The end date cannot be in the past."))
    if (
        not errors
        and CaseShare.objects.filter(
            case=case, organisation=organisation, revoked_at__isnull=True
        ).exists()
    ):
        add_error(
            errors,
            "organisation",
            _("The case is already shared with this organisation; stop that share to change it."),
        )
    raise_if(errors)
    covering = selectors.consents_covering(case=case, organisation=organisation, scopes=wanted)
    if consent is not None:
        covering = [c for c in covering if c.pk == consent.pk]
    if not covering:
        raise ConsentRequired(
            _(
                "No consent in force from a survivor in this case allows sharing this "
                "information with %(org)s. Record the survivor's consent first."
            )
            % {"org": organisation},
            action=Action.SHARE,
            target=(case._meta.label_lower, str(case.pk), case.owner_org_id),
        )
    share = CaseShare(
        case=case,
        organisation=organisation,
        consent=covering[0],
        scopes=wanted,
        reason=reason.strip(),
        shared_by=actor.user,
        expires_on=expires_on,
    )
    people = list(eligible.filter(pk__in=[getattr(u, "pk", u) for u in named]))
    record = audit.recorder(actor=actor, action=AuditAction.SHARE, target=_case_target(share, case))

    def name_recipients_then_record(changes: dict[str, Any]) -> object:
        # The named people are set once the share is saved, and recorded in the same entry.
        share.recipients.set(people)
        changes["after"]["recipients"] = sorted(str(u.pk) for u in people)
        return record(changes)

    add(
        share,
        ("case", "organisation", "consent", "scopes", "reason", "expires_on"),
        record=name_recipients_then_record,
    )
    return share


@transaction.atomic
def case_unshare(*, actor: Actor, share: CaseShare) -> CaseShare:
    """Stop sharing a case with an organisation."""
    case = share.case
    policy.require(actor, Action.SHARE, case)
    if share.revoked_at is not None:
        raise InvalidInput({"__all__": [_("This share has already ended.")]})
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UNSHARE,
        target=_case_target(share, case),
        changes={
            "before": {"revoked_at": None},
            "after": {"revoked_at": json_value(share.revoked_at)},
        },
        details={"reason": "stopped"},
    )
    return share
