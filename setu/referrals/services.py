"""Writes of referrals: send (consent checked now), respond, progress, close, handover, reminders.

Every status change locks the referral row, checks ``TRANSITIONS``, writes a ``ReferralEvent``
both sides see and an audit entry with before/after, all in one transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.consent import rules
from setu.consent import services as consent_services
from setu.consent.subscriptions import ConsentEnded
from setu.core import changes
from setu.core.errors import ConsentRequired, InvalidInput, NotFound
from setu.directory.selectors import ServiceType
from setu.notifications import services as notices
from setu.notifications.services import NoticeKind
from setu.orgs import selectors as orgs
from setu.referrals import hooks, selectors
from setu.referrals.models import (
    HANDOVER_KINDS,
    OPEN_STATUSES,
    TRANSITIONS,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralStatus,
    Urgency,
)
from setu.registry import selectors as registry

if TYPE_CHECKING:
    from setu.consent.models import Consent
    from setu.directory.models import Service
    from setu.registry.models import Case, Person

logger = logging.getLogger(__name__)

# Fields whose before/after go into the audit trail (never the message text's history elsewhere).
_AUDITED = (
    "status", "need", "urgency", "kind", "shared_scopes", "to_org_id", "to_service_id",
    "consent_id", "decline_reason", "close_reason", "outcome_note", "sharing_stopped_at",
    "escort_arranged", "escort_details", "documents_handed_over", "receiving_authority",
    "travel_date", "received_confirmed_at",
)  # fmt: skip
HANDOVER_FIELDS = (
    "escort_arranged", "escort_details", "documents_handed_over", "receiving_authority",
    "travel_date",
)  # fmt: skip


def _event(
    referral: Referral, actor: Actor | None, kind: str, before: str = "", note: str = ""
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        actor=actor.user if actor else None,
        actor_org_id=actor.organisation_id if actor else None,
        from_status=before,
        to_status=referral.status if before else "",
        note=note,
    )


def _audit(
    actor: Actor | None,
    action: str,
    referral: Referral,
    before: dict[str, Any] | None,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=("referrals.referral", str(referral.pk), referral.from_org_id),
        changes={"before": before, "after": changes.snapshot(referral, _AUDITED)},
        details={"to_org": str(referral.to_org_id), **(details or {})},
    )


def _notify(referral: Referral, organisation_id: Any, message: str, *, also: Any = None) -> int:
    """Notice to an organisation's designated contacts (no personal data), through the inbox
    and whichever of email and SMS each of them chose; one notice per referral, kept current."""
    users = {m.user for m in orgs.designated_contacts(organisation_id=organisation_id)}
    if also is not None:
        users.add(also)
    return notices.notification_send(
        recipients=users,
        kind=NoticeKind.REFERRAL,
        message=message,
        url=reverse("referrals:referral-detail", kwargs={"referral_id": referral.pk}),
        subject=notices.subject_of(referral),
    )


def _schedule_reminder_sweep(hours: int) -> None:
    """Ask the task queue to sweep once this referral could be overdue (if it can defer)."""
    from setu.referrals.tasks import send_referral_reminders

    def enqueue() -> None:
        try:
            if send_referral_reminders.get_backend().supports_defer:
                run_after = timezone.now() + timedelta(hours=hours, minutes=5)
                send_referral_reminders.using(run_after=run_after).enqueue()
        except Exception:  # a queue outage must not undo a referral; cron sweeps too
            logger.exception("could not schedule the referral reminder sweep")

    transaction.on_commit(enqueue)


def referral_send(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    need: str,
    scopes: list[str],
    to_service: Service | None = None,
    to_org_id: Any = None,
    urgency: str = Urgency.ROUTINE,
    kind: str = ReferralKind.SERVICE,
    message: str = "",
) -> Referral:
    """Refer a person of a case to another organisation, sharing only consented scopes.

    Consent is checked now, at the moment of sharing: a consent in force, naming the receiving
    organisation or the whole network, must cover every scope shared; otherwise nothing is sent
    and the refusal is audited.
    """
    policy.require(actor, Action.SHARE, case)
    if not registry.case_has_person(case=case, person=person):
        raise InvalidInput({"person": [_("This person is not part of the case.")]})
    if not policy.can(actor, Action.VIEW, person):
        raise NotFound(action=Action.VIEW, target=("registry.person", str(person.pk), None))
    if to_service is not None:
        to_org_id = to_service.organisation_id
        if not to_service.is_active:
            raise InvalidInput({"to_service": [_("This service is not active.")]})
    if to_org_id is None:
        raise InvalidInput({"to_org": [_("Choose the organisation or service to refer to.")]})
    if str(to_org_id) == str(actor.organisation_id):
        raise InvalidInput({"to_org": [_("A referral goes to another organisation.")]})
    scopes = [s for s in selectors.REFERRAL_SCOPES if s in set(scopes)]
    if not scopes:
        raise InvalidInput({"scopes": [_("Choose at least one thing to share.")]})
    consent = selectors.consent_covering(
        actor=actor, person=person, to_org_id=to_org_id, scopes=scopes
    )
    if consent is None:
        # Recorded in its own transaction: the refusal must survive the raised error.
        audit.record(
            actor=actor,
            action=AuditAction.SHARE,
            outcome="denied",
            target=case,
            details={"reason": "no consent covers the referral", "scopes": scopes,
                     "to_org": str(to_org_id)},
        )  # fmt: skip
        raise ConsentRequired(
            _(
                "The person has not consented to share all of this with that organisation. "
                "Record her consent (for this organisation or the whole network, covering "
                "everything you want to share), or share less."
            ),
            action=Action.SHARE,
            target=("registry.case", str(case.pk), case.owner_org_id),
        )
    return _referral_create(
        actor=actor,
        case=case,
        person=person,
        consent=consent,
        to_org_id=to_org_id,
        to_service=to_service,
        need=need or (to_service.service_type if to_service else ""),
        scopes=scopes,
        urgency=urgency,
        kind=kind,
        message=message,
    )


@transaction.atomic
def _referral_create(
    *, actor: Actor, consent: Consent, scopes: list[str], **fields: Any
) -> Referral:
    # Lock the consent row so a withdrawal saved in the meantime is seen (or waits for us).
    consent = consent_services.consent_locked(consent_id=consent.pk)
    if not rules.covers(consent, scopes=scopes, organisation_id=fields["to_org_id"]):
        raise ConsentRequired(_("The consent was withdrawn a moment ago; nothing was shared."))
    referral = Referral(
        from_org_id=actor.organisation_id,
        consent=consent,
        shared_scopes=scopes,
        status=ReferralStatus.SENT,
        sent_by=actor.user,
        sent_at=timezone.now(),
        **fields,
    )
    changes.clean(referral)
    referral.save()
    _event(referral, actor, EventKind.SENT, note=referral.message[:500])
    _audit(actor, AuditAction.SHARE, referral, None, {"scopes": scopes})
    _notify(
        referral,
        referral.to_org_id,
        _("New %(urgency)s referral for %(need)s from %(org)s.")
        % {
            "urgency": referral.get_urgency_display(),
            "need": referral.get_need_display(),
            "org": referral.from_org.name,
        },
    )
    _schedule_reminder_sweep(selectors.reminder_hours()[0])
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("from_org", "to_org")
        .get(pk=referral.pk)
    )


def _move(
    actor: Actor,
    referral: Referral,
    to_status: str,
    *,
    action: Action,
    stamp: str,
    note: str = "",
    **fields: Any,
) -> Referral:
    """Check who may, lock, check the move is allowed, apply, record; the shared core of changes."""
    if action == Action.RESPOND and not policy.can(actor, Action.RESPOND, referral):
        policy.require(actor, Action.RESPOND, referral)
    if action == Action.EDIT and not (
        policy.can(actor, Action.EDIT, referral) or policy.can(actor, Action.RESPOND, referral)
    ):
        policy.require(actor, Action.EDIT, referral)
    locked = _locked(referral)
    if to_status not in TRANSITIONS[locked.status]:
        raise InvalidInput(
            {
                "status": [
                    _("A referral that is %(now)s cannot be marked %(to)s.")
                    % {
                        "now": ReferralStatus(locked.status).label,
                        "to": ReferralStatus(to_status).label,
                    }
                ]
            }
        )
    before = changes.snapshot(locked, _AUDITED)
    previous = locked.status
    locked.status = to_status
    setattr(locked, stamp, timezone.now())
    for name, value in fields.items():
        setattr(locked, name, value)
    changes.clean(locked)
    locked.save()
    _event(locked, actor, to_status, previous, note)
    _audit(actor, AuditAction.UPDATE, locked, before, {"transition": f"{previous}->{to_status}"})
    return locked


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral, note: str = "") -> Referral:
    """The receiving organisation takes the referral on."""
    referral = _move(
        actor, referral, ReferralStatus.ACCEPTED, action=Action.RESPOND, stamp="accepted_at",
        note=note,
    )  # fmt: skip
    _notify(
        referral,
        referral.from_org_id,
        _("%(org)s accepted your referral for %(need)s.")
        % {"org": referral.to_org.name, "need": referral.get_need_display()},
        also=referral.sent_by,
    )
    _schedule_reminder_sweep(selectors.reminder_hours()[1])
    return referral


@transaction.atomic
def referral_decline(
    *, actor: Actor, referral: Referral, reason: str, no_bed: bool = False
) -> Referral:
    """The receiving organisation cannot take the referral; the reason is required.

    Any bed held for it is given back at once. ``no_bed`` (a shelter referral declined for lack
    of beds) also counts the miss as unmet demand in the shelter's district.
    """
    if not reason.strip():
        raise InvalidInput({"reason": [_("Say why the referral is declined.")]})
    if no_bed and referral.need != ServiceType.SHELTER:
        raise InvalidInput(
            {"no_bed": [_("Only a referral for shelter is declined for lack of beds.")]}
        )
    referral = _move(
        actor, referral, ReferralStatus.DECLINED, action=Action.RESPOND, stamp="declined_at",
        note=reason, decline_reason=reason.strip(),
    )  # fmt: skip
    # Shelters gives back any bed held for it; for lack of beds it also counts unmet demand
    # (a count, never a name).
    hooks.referral_ended(
        hooks.ReferralEnded(referral, hooks.DECLINED_NO_BED if no_bed else hooks.DECLINED, actor)
    )
    _notify(
        referral,
        referral.from_org_id,
        _("%(org)s declined your referral for %(need)s.")
        % {"org": referral.to_org.name, "need": referral.get_need_display()},
        also=referral.sent_by,
    )
    return referral


@transaction.atomic
def referral_start(*, actor: Actor, referral: Referral, note: str = "") -> Referral:
    """Work with the person has begun."""
    return _move(
        actor, referral, ReferralStatus.IN_PROGRESS, action=Action.RESPOND, stamp="started_at",
        note=note,
    )  # fmt: skip


@transaction.atomic
def referral_complete(*, actor: Actor, referral: Referral, outcome: str = "") -> Referral:
    """The service was given. A transfer or repatriation needs its handover checklist first."""
    missing = referral.handover_missing()
    if missing:
        raise InvalidInput(
            {"handover": [_("Complete the handover first: %s.") % ", ".join(missing)]}
        )
    referral = _move(
        actor, referral, ReferralStatus.COMPLETED, action=Action.RESPOND, stamp="completed_at",
        note=outcome, outcome_note=outcome.strip(),
    )  # fmt: skip
    _notify(
        referral,
        referral.from_org_id,
        _("%(org)s completed your referral for %(need)s.")
        % {"org": referral.to_org.name, "need": referral.get_need_display()},
        also=referral.sent_by,
    )
    return referral


@transaction.atomic
def referral_close(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """Either side ends an open referral (the person moved on, the need lapsed); reason required."""
    if not reason.strip():
        raise InvalidInput({"reason": [_("Say why the referral is closed.")]})
    referral = _move(
        actor, referral, ReferralStatus.CLOSED, action=Action.EDIT, stamp="closed_at",
        note=reason, close_reason=reason.strip(),
    )  # fmt: skip
    # A closed referral needs no bed: shelters gives back any bed held for it now.
    hooks.referral_ended(hooks.ReferralEnded(referral, hooks.CLOSED, actor))
    other = referral.to_org_id if referral.from_org_id == actor.organisation_id else None
    _notify(
        referral,
        other or referral.from_org_id,
        _("The referral for %(need)s was closed.") % {"need": referral.get_need_display()},
    )
    return referral


@transaction.atomic
def referral_update_handover(*, actor: Actor, referral: Referral, data: dict[str, Any]) -> Referral:
    """Fill in the handover checklist of a transfer or repatriation (either side)."""
    if not (
        policy.can(actor, Action.EDIT, referral) or policy.can(actor, Action.RESPOND, referral)
    ):
        policy.require(actor, Action.EDIT, referral)
    locked = _locked(referral)
    if locked.kind not in HANDOVER_KINDS:
        raise InvalidInput({"kind": [_("Only transfers and repatriations have a handover.")]})
    if locked.status not in OPEN_STATUSES:
        raise InvalidInput({"status": [_("This referral is no longer open.")]})
    before = changes.snapshot(locked, _AUDITED)
    for name in HANDOVER_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    if not isinstance(locked.documents_handed_over, list):
        raise InvalidInput({"documents_handed_over": [_("Give a list of documents.")]})
    locked.documents_handed_over = [
        str(d).strip() for d in locked.documents_handed_over if str(d).strip()
    ]
    changes.clean(locked)
    locked.save()
    _event(locked, actor, EventKind.HANDOVER)
    _audit(actor, AuditAction.UPDATE, locked, before, {"handover": True})
    return locked


@transaction.atomic
def referral_confirm_received(*, actor: Actor, referral: Referral) -> Referral:
    """The receiving side confirms the person arrived (last item of the handover)."""
    policy.require(actor, Action.RESPOND, referral)
    locked = _locked(referral)
    if locked.kind not in HANDOVER_KINDS or locked.status not in OPEN_STATUSES:
        raise InvalidInput({"status": [_("There is no open handover to confirm.")]})
    if locked.received_confirmed_at is not None:
        raise InvalidInput({"status": [_("Arrival was already confirmed.")]})
    before = changes.snapshot(locked, _AUDITED)
    locked.received_confirmed_at = timezone.now()
    locked.received_confirmed_by = actor.user
    locked.save()
    _event(locked, actor, EventKind.RECEIVED)
    _audit(actor, AuditAction.UPDATE, locked, before, {"handover": "received"})
    return locked


@transaction.atomic
def referral_stop_sharing(*, actor: Actor | None, referral: Referral) -> bool:
    """Record that a referral stopped sharing because its consent lapsed; False if already so."""
    locked = _locked(referral)
    if locked.sharing_stopped_at is not None or selectors.consent_in_force(locked):
        return False
    before = changes.snapshot(locked, _AUDITED)
    locked.sharing_stopped_at = timezone.now()
    locked.save(update_fields=["sharing_stopped_at", "updated_at"])
    _event(locked, actor, EventKind.SHARING_STOPPED)
    _audit(actor, AuditAction.UNSHARE, locked, before, {"reason": "consent withdrawn or expired"})
    _notify(
        locked,
        locked.to_org_id,
        _("Consent behind a referral for %(need)s was withdrawn; its details are no longer shared.")
        % {"need": locked.get_need_display()},
    )
    return True


def referrals_stop_for_consent(*, actor: Actor | None, consent_id: Any) -> int:
    """Stop every referral that rests on a consent that just ended (withdrawn or expired)."""
    stopped = 0
    for referral in Referral.objects.filter(consent_id=consent_id, sharing_stopped_at__isnull=True):
        stopped += referral_stop_sharing(actor=actor, referral=referral)
    return stopped


def on_consent_ended(event: ConsentEnded) -> None:
    """The consent app's subscription: referrals on an ended consent stop sharing, in its
    transaction (registered in ``ReferralsConfig.ready``)."""
    referrals_stop_for_consent(actor=event.actor, consent_id=event.consent_id)


def referral_view_shared(*, actor: Actor, referral: Referral) -> selectors.SharedView:
    """Read the shared part of a referral: audited, and a lapsed consent is recorded as stopped."""
    view = selectors.referral_shared_view(actor=actor, referral=referral)
    if not view.consent_in_force and referral.sharing_stopped_at is None:
        referral_stop_sharing(actor=actor, referral=referral)
        referral.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("referrals.referral", str(referral.pk), referral.from_org_id),
        details={"scopes_shown": view.scopes, "consent_in_force": view.consent_in_force},
    )
    return view


def referral_reminders_send(*, now: Any = None) -> int:
    """Remind about referrals waiting too long in ``sent`` or ``accepted``; stop lapsed sharing.

    Run by the task queue and by ``setu referrals remind``. Safe to run often: a referral is
    reminded at most once per waiting period.
    """
    now = now or timezone.now()
    for referral in selectors.referrals_with_lapsed_consent():
        referral_stop_sharing(actor=None, referral=referral)
    sent = 0
    for referral in selectors.referrals_overdue(now=now):
        with transaction.atomic():
            locked = _locked(referral)
            if not selectors.referrals_overdue(now=now).filter(pk=locked.pk).exists():
                continue  # someone acted or another worker reminded meanwhile
            before = changes.snapshot(locked, _AUDITED)
            locked.last_reminded_at = now
            locked.reminder_count += 1
            locked.save(update_fields=["last_reminded_at", "reminder_count", "updated_at"])
            waited = ReferralStatus(locked.status).label
            _event(locked, None, EventKind.REMINDER, note=str(waited))
            since = locked.sent_at if locked.status == ReferralStatus.SENT else locked.accepted_at
            _notify(
                locked,
                locked.to_org_id,
                _("Reminder: a %(urgency)s referral for %(need)s from %(org)s is still %(status)s "
                  "since %(since)s.")
                % {
                    "urgency": locked.get_urgency_display(),
                    "need": locked.get_need_display(),
                    "org": locked.from_org.name,
                    "status": waited,
                    "since": timezone.localtime(since).strftime("%d %b %Y %H:%M") if since else "",
                },
                also=locked.sent_by,
            )  # fmt: skip
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                target=("referrals.referral", str(locked.pk), locked.from_org_id),
                changes={"before": before, "after": changes.snapshot(locked, _AUDITED)},
                details={"reminder": locked.reminder_count},
            )
            sent += 1
    return sent
