"""Writes of the feedback context: giving feedback (by link, code, SMS, flow engine or with a
caseworker's help), routing serious complaints, coding themes, closing the loop, invitations,
campaigns, "you said, we did" notes and complaint desks.

Giving feedback records no giver. The audit entry of an anonymous answer has no actor and no
address; it names the feedback item and the channel, and no organisation owns it, so it lands
in no organisation's trail (the organisation concerned would otherwise see a complaint arrive).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes, ratelimit
from setu.core.errors import InvalidInput, NotFound
from setu.feedback import tokens
from setu.feedback.models import (
    QUESTIONNAIRE_VERSION,
    Campaign,
    ChangeNote,
    Channel,
    ComplaintDesk,
    Entitled,
    Feedback,
    Invitation,
    Lane,
    Safe,
    Serious,
    Status,
    Subject,
    Theme,
    Treated,
)
from setu.notifications import services as notifications
from setu.orgs import selectors as orgs

if TYPE_CHECKING:
    from setu.accounts.models import User

# How long a personal invitation and a follow-up code stay valid.
INVITATION_DAYS = 30
FOLLOWUP_DAYS = 180
MAX_BATCH = 500
# Wrong code and link guesses: per address and for the whole site. A survivor mistyping her
# code a few times is never stopped; a script trying codes is, from any number of addresses.
ATTEMPTS_PER_ADDRESS = 10
ATTEMPTS_WINDOW_SECONDS = 15 * 60
ATTEMPTS_GLOBAL_PER_HOUR = 1000
COMMENT_MAX = 2000


class TooManyAttempts(Exception):
    """Code or link guesses from this address, or overall, passed the limit: wait and retry."""


@dataclass(frozen=True)
class Answers:
    """What she answered: every question may be skipped, except that something is given."""

    treated: int | None = None
    entitled: str = ""
    felt_safe: str = ""
    comment: str = ""
    serious_kind: str = ""


@dataclass(frozen=True)
class Credential:
    """What a link or code opened: an invitation to answer, or her follow-up of an answer."""

    invitation: Invitation | None = None
    feedback: Feedback | None = None


@dataclass(frozen=True)
class Issued:
    """An invitation as handed out, once: the only moment its token and code exist in clear."""

    invitation: Invitation
    token: str
    code: str


def _address_key(address: str | None) -> str:
    # Used only as a cache key for the window, never stored or logged.
    return tokens.digest("address", address or "unknown")[:32]


def _refuse_if_blocked(address: str | None) -> None:
    """Refuse at once an address (or the whole site) that guessed wrong too often."""
    if cache.get(f"feedback:blocked:{_address_key(address)}") or cache.get("feedback:blocked"):
        raise TooManyAttempts


def _count_failure(address: str | None) -> None:
    """One wrong guess. Only failures count, so many survivors answering from one address (a
    collective's meeting on one Wi-Fi, a carrier's shared address) are never stopped, while a
    script, whose guesses all fail, is stopped per address and, spread over many, overall."""
    key = _address_key(address)
    # ``allow`` says no once the window holds more than ``limit``: the N-th failure blocks.
    if not ratelimit.allow(
        f"feedback:fail:{key}",
        limit=ATTEMPTS_PER_ADDRESS - 1,
        window_seconds=ATTEMPTS_WINDOW_SECONDS,
    ):
        cache.set(f"feedback:blocked:{key}", 1, timeout=ATTEMPTS_WINDOW_SECONDS)
    if not ratelimit.allow(
        "feedback:fail:all", limit=ATTEMPTS_GLOBAL_PER_HOUR - 1, window_seconds=3600
    ):
        cache.set("feedback:blocked", 1, timeout=ATTEMPTS_WINDOW_SECONDS)


def credential_open(*, address: str | None, token: str = "", code: str = "") -> Credential:
    """Open a link token or a short code (an invitation's, or a follow-up code). Unknown, used
    and expired all answer the same ``NotFound`` and count as a wrong guess, so a guess learns
    nothing about which codes exist; ``TooManyAttempts`` after too many."""
    _refuse_if_blocked(address)
    try:
        return _open(token=token, code=code)
    except NotFound:
        _count_failure(address)
        raise


def _open(*, token: str, code: str) -> Credential:
    now = timezone.now()
    if token:
        if not tokens.looks_like_token(token):
            raise NotFound
        invitation = Invitation.objects.filter(
            token_digest=tokens.token_digest(token), used_at__isnull=True, expires_at__gt=now
        ).first()
        if invitation is None:
            raise NotFound
        return Credential(invitation=invitation)
    if not tokens.looks_like_code(code):
        raise NotFound
    invitation = Invitation.objects.filter(
        code_digest=tokens.code_digest(code), used_at__isnull=True, expires_at__gt=now
    ).first()
    if invitation is not None:
        return Credential(invitation=invitation)
    feedback = (
        Feedback.objects.select_related("subject")
        .filter(followup_digest=tokens.digest("followup", tokens.normalise_code(code)))
        .filter(followup_expires_at__gt=now)
        .first()
    )
    if feedback is None:
        raise NotFound
    return Credential(feedback=feedback)


def answers_from(data: Mapping[str, Any]) -> Answers:
    """Check answers from any channel; raises ``InvalidInput`` naming each bad one."""
    errors: dict[str, list[str]] = {}
    treated = data.get("treated")
    if treated in ("", None):
        treated = None
    else:
        try:
            treated = int(treated)
        except (TypeError, ValueError):
            treated = 0
        if treated not in Treated.values:
            changes.add_error(errors, "treated", _("Choose one of the five faces."))
    entitled = str(data.get("entitled") or "")
    if entitled and entitled not in Entitled.values:
        changes.add_error(errors, "entitled", _("Answer yes, partly or no."))
    felt_safe = str(data.get("felt_safe") or "")
    if felt_safe and felt_safe not in Safe.values:
        changes.add_error(errors, "felt_safe", _("Answer yes or no."))
    serious = str(data.get("serious_kind") or "")
    if serious and serious not in Serious.values:
        changes.add_error(errors, "serious_kind", _("Choose what happened from the list."))
    comment = str(data.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX:
        changes.add_error(
            errors, "comment", _("Please keep it under %(n)s characters.") % {"n": COMMENT_MAX}
        )
    if not errors and treated is None and not (entitled or felt_safe or comment or serious):
        changes.add_error(errors, "__all__", _("Answer at least one question."))
    changes.raise_if(errors)
    return Answers(treated, entitled, felt_safe, comment, serious)


def _followup_code(feedback: Feedback) -> str:
    code = tokens.new_code()
    feedback.followup_digest = tokens.digest("followup", tokens.normalise_code(code))
    feedback.followup_expires_at = timezone.now() + datetime.timedelta(days=FOLLOWUP_DAYS)
    return code


def _give(
    *,
    subject: Subject,
    answers: Answers,
    channel: str,
    language: str,
    campaign: Campaign | None = None,
    actor: Actor | None = None,
    run_id: str | None = None,
) -> tuple[Feedback, str]:
    """Store one answer, route it if serious, audit it without its giver; returns the feedback
    and her follow-up code."""
    feedback = Feedback(
        subject=subject,
        concerns_org_id=subject.organisation_id,
        district_id=subject.district_id,
        kind=subject.kind,
        campaign=campaign,
        channel=channel,
        assisted=channel == Channel.ASSISTED,
        language=language[:8],
        questionnaire_version=QUESTIONNAIRE_VERSION,
        given_on=timezone.localdate(),
        treated=answers.treated,
        entitled=answers.entitled,
        felt_safe=answers.felt_safe,
        comment=answers.comment,
        lane=Lane.SERIOUS if answers.serious_kind else Lane.OPEN,
        serious_kind=answers.serious_kind,
        run_id=run_id or None,
    )
    code = _followup_code(feedback)
    changes.clean(feedback)
    feedback.save()
    if feedback.lane == Lane.SERIOUS:
        _route(feedback)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        # Owned by no organisation: the entry is in no admin's trail but the network's.
        target=("feedback.feedback", str(feedback.pk), None),
        # No address: an anonymous answer must not be traceable to a phone or a place.
        ip_address=None,
        details={"channel": channel, "lane": feedback.lane, "assisted": feedback.assisted},
    )
    return feedback, code


def _route(feedback: Feedback) -> None:
    """Give a serious complaint to the first complaints desk outside the organisation concerned
    (neither the desk's organisation nor its handler belongs to it) and tell the handler."""
    insiders = set()
    if feedback.concerns_org_id:
        insiders = set(orgs.member_user_ids(organisation_id=feedback.concerns_org_id))
    desks = ComplaintDesk.objects.filter(is_active=True, handler__is_active=True).select_related(
        "handler"
    )
    for desk in desks:
        if desk.organisation_id == feedback.concerns_org_id or desk.handler_id in insiders:
            continue
        feedback.handler = desk.handler
        feedback.save(update_fields=["handler", "updated_at"])
        _tell_handler(desk.handler, feedback)
        return


def _tell_handler(handler: User, feedback: Feedback, *, reopened: bool = False) -> None:
    # No words of hers and nothing of the organisation concerned in the notice: it may be
    # read over the handler's shoulder, or sent by SMS.
    with translation.override(getattr(handler, "preferred_language", "") or "en"):
        notifications.notification_send(
            recipients=[handler],
            kind=notifications.NoticeKind.FEEDBACK,
            message=(
                _("She was not satisfied with the answer to a serious complaint: it is open again.")
                if reopened
                else _("A serious complaint was made and is waiting for you.")
            ),
            url=reverse("feedback:item", kwargs={"feedback_id": feedback.pk}),
            subject=notifications.subject_of(feedback),
        )


@transaction.atomic
def feedback_give(
    *, credential: Credential, subject_id: Any, answers: Answers, language: str, channel: str
) -> tuple[Feedback, str]:
    """A survivor's answers through her invitation (link or code), which is used up at once;
    she chooses the subject when the invitation names none."""
    invitation = credential.invitation
    if invitation is None:
        raise NotFound
    # Locked and re-read: two submissions of the same invitation store one answer.
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation.pk, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise NotFound
    subject = _subject_for(invitation, subject_id)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at", "updated_at"])
    return _give(
        subject=subject,
        answers=answers,
        channel=channel,
        language=language,
        campaign=invitation.campaign,
    )


def _subject_for(invitation: Invitation, subject_id: Any) -> Subject:
    subject = invitation.subject or (invitation.campaign.subject if invitation.campaign else None)
    if subject is not None:
        return subject
    found = Subject.objects.filter(pk=subject_id, is_active=True).first() if subject_id else None
    if found is None:
        raise InvalidInput({"subject": [_("Choose what your feedback is about.")]})
    return found


@transaction.atomic
def feedback_record_assisted(
    *, actor: Actor, subject: Subject, answers: Answers, language: str
) -> tuple[Feedback, str]:
    """A caseworker or peer supporter records a survivor's answers on her behalf, marked as
    such. Not about the helper's own organisation: she would be answering in front of it."""
    policy.require_allowed(actor, Action.CREATE, "feedback.feedback")
    if subject.organisation_id and subject.organisation_id == actor.organisation_id:
        raise InvalidInput(
            {
                "subject": [
                    _(
                        "Feedback about your own organisation cannot be recorded by you; "
                        "give her a card with a code instead."
                    )
                ]
            }
        )
    return _give(
        subject=subject, answers=answers, channel=Channel.ASSISTED, language=language, actor=actor
    )


@transaction.atomic
def feedback_from_channel(
    *,
    subject: Subject,
    answers: Answers,
    channel: str,
    language: str = "",
    run_id: str = "",
    campaign: Campaign | None = None,
) -> tuple[Feedback, str] | None:
    """Answers that came by SMS or from the flow engine; a run already stored is ignored
    (returns None), so a webhook delivered twice adds one answer."""
    if run_id and Feedback.objects.filter(run_id=run_id).exists():
        return None
    try:
        with transaction.atomic():
            return _give(
                subject=subject,
                answers=answers,
                channel=channel,
                language=language,
                campaign=campaign,
                run_id=run_id,
            )
    except IntegrityError:
        if run_id and Feedback.objects.filter(run_id=run_id).exists():
            return None
        raise


@transaction.atomic
def feedback_satisfied(*, credential: Credential, satisfied: bool) -> Feedback:
    """Her answer to "are you satisfied?" after a response: yes closes the item, no reopens it
    (and tells the handler of a serious complaint)."""
    feedback = credential.feedback
    if feedback is None or feedback.status not in (Status.RESPONDED, Status.CLOSED):
        raise NotFound
    before = changes.snapshot(feedback, ("status", "satisfied"))
    feedback.satisfied = Safe.YES if satisfied else Safe.NO
    feedback.status = Status.CLOSED if satisfied else Status.REOPENED
    feedback.save(update_fields=["satisfied", "status", "updated_at"])
    if not satisfied and feedback.handler_id:
        _tell_handler(feedback.handler, feedback, reopened=True)
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        target=("feedback.feedback", str(feedback.pk), None),
        ip_address=None,
        changes=changes.diff(before, changes.snapshot(feedback, ("status", "satisfied"))),
        details={"followup": True},
    )
    return feedback


def _themes(values: list[str]) -> list[str]:
    bad = [v for v in values if v not in Theme.values]
    if bad:
        raise InvalidInput({"themes": [_("Unknown theme: %(code)s") % {"code": ", ".join(bad)}]})
    return sorted(set(values))


@transaction.atomic
def feedback_code(*, actor: Actor, feedback: Feedback, themes: list[str]) -> Feedback:
    """Code a piece of feedback against the shared themes (co-analysis by coordinators and
    collective leaders); coding acknowledges it."""
    policy.require(actor, Action.EDIT, feedback)
    before = changes.snapshot(feedback, ("themes", "status"))
    feedback.themes = _themes(themes)
    _acknowledge(feedback)
    feedback.save(update_fields=["themes", "status", "acknowledged_at", "updated_at"])
    _audit_edit(actor, feedback, before, ("themes", "status"))
    return feedback


def _acknowledge(feedback: Feedback) -> None:
    if feedback.acknowledged_at is None:
        feedback.acknowledged_at = timezone.now()
    if feedback.status == Status.NEW:
        feedback.status = Status.ACKNOWLEDGED


def _audit_edit(actor: Actor, feedback: Feedback, before: dict, fields: tuple[str, ...]) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("feedback.feedback", str(feedback.pk), None),
        changes=changes.diff(before, changes.snapshot(feedback, fields)),
    )


@transaction.atomic
def feedback_acknowledge(*, actor: Actor, feedback: Feedback) -> Feedback:
    """Mark a piece of feedback as seen (the clock of "time to acknowledge" stops)."""
    policy.require(actor, Action.EDIT, feedback)
    before = changes.snapshot(feedback, ("status",))
    _acknowledge(feedback)
    feedback.save(update_fields=["status", "acknowledged_at", "updated_at"])
    _audit_edit(actor, feedback, before, ("status",))
    return feedback


@transaction.atomic
def feedback_respond(*, actor: Actor, feedback: Feedback, note: str) -> Feedback:
    """Write the answer she reads with her follow-up code; she is then asked if she is satisfied."""
    policy.require(actor, Action.EDIT, feedback)
    note = note.strip()
    if not note:
        raise InvalidInput({"note": [_("Write what was done, in words she will understand.")]})
    before = changes.snapshot(feedback, ("status", "response_note"))
    _acknowledge(feedback)
    feedback.response_note = note[:COMMENT_MAX]
    feedback.status = Status.RESPONDED
    feedback.responded_at = timezone.now()
    feedback.save(
        update_fields=["status", "response_note", "acknowledged_at", "responded_at", "updated_at"]
    )
    _audit_edit(actor, feedback, before, ("status", "response_note"))
    return feedback


@transaction.atomic
def invitations_issue(
    *,
    actor: Actor,
    subject: Subject | None = None,
    campaign: Campaign | None = None,
    count: int = 1,
    language: str = "",
    days: int = INVITATION_DAYS,
) -> list[Issued]:
    """Make ``count`` personal invitations (each a link and a code) to hand out or send; their
    token and code are returned once and kept only as digests."""
    policy.require_allowed(actor, Action.CREATE, "feedback.invitation")
    if campaign is not None:
        policy.require(actor, Action.EDIT, campaign)
    errors: dict[str, list[str]] = {}
    if not 1 <= count <= MAX_BATCH:
        changes.add_error(errors, "count", _("Between 1 and %(n)s at a time.") % {"n": MAX_BATCH})
    if not 1 <= days <= 365:
        changes.add_error(errors, "days", _("Between 1 and 365 days."))
    changes.raise_if(errors)
    expires = timezone.now() + datetime.timedelta(days=days)
    issued = []
    for _i in range(count):
        token, code = tokens.new_token(), tokens.new_code()
        invitation = Invitation(
            issued_by_org_id=actor.organisation_id,
            campaign=campaign,
            subject=subject,
            token_digest=tokens.token_digest(token),
            code_digest=tokens.code_digest(code),
            language=language,
            expires_at=expires,
        )
        issued.append(Issued(invitation, token, code))
    Invitation.objects.bulk_create([i.invitation for i in issued])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=campaign or ("feedback.invitation", "", actor.organisation_id),
        details={"invitations": count, "days": days},
    )
    return issued


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    subject: Subject | None = None,
) -> Campaign:
    """A collective's (or another member's) feedback campaign about one subject."""
    policy.require_allowed(actor, Action.CREATE, "feedback.campaign")
    campaign = Campaign(
        organisation_id=actor.organisation_id,
        name=name.strip(),
        subject=subject,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        changes.add_error(errors, "ends_on", _("The campaign cannot end before it starts."))
    changes.raise_if(errors)
    changes.add(
        campaign,
        ("name", "subject", "starts_on", "ends_on"),
        record=audit.recorder(actor=actor, action=AuditAction.CREATE, target=campaign),
    )
    return campaign


@transaction.atomic
def change_note_add(
    *, actor: Actor, you_said: str, we_did: str, theme: str = "", published_on: Any = None
) -> ChangeNote:
    """ "You said, we did": what the actor's organisation changed in answer to feedback."""
    policy.require_allowed(actor, Action.CREATE, "feedback.changenote")
    note = ChangeNote(
        organisation_id=actor.organisation_id,
        theme=theme,
        you_said=you_said.strip(),
        we_did=we_did.strip(),
        published_on=published_on or timezone.localdate(),
    )
    changes.add(
        note,
        ("theme", "you_said", "we_did", "published_on"),
        record=audit.recorder(actor=actor, action=AuditAction.CREATE, target=note),
    )
    return note


# What a coordinator sets on a subject; the feedback already given keeps its organisation and
# district (copied when given), so an edit never moves old answers.
SUBJECT_FIELDS = ("kind", "name", "district_id", "organisation_id", "scheme_id", "is_active")


def _subject_set(subject: Subject, fields: Mapping[str, Any]) -> None:
    changes.check_fields(fields, SUBJECT_FIELDS)
    for name, value in fields.items():
        if name == "name":
            value = value.strip()
        elif name.endswith("_id"):
            value = value or None  # a form's "—" is no link
        setattr(subject, name, value)


@transaction.atomic
def subject_create(*, actor: Actor, **fields: Any) -> Subject:
    """Add a police station, court, committee, shelter, office or scheme to speak about
    (network reference data, kept by coordinators)."""
    policy.require_allowed(actor, Action.EDIT, "feedback.subject")
    subject = Subject()
    _subject_set(subject, fields)
    changes.add(
        subject,
        SUBJECT_FIELDS,
        record=audit.recorder(actor=actor, action=AuditAction.CREATE, target=subject),
    )
    return subject


@transaction.atomic
def subject_update(*, actor: Actor, subject: Subject, **fields: Any) -> Subject:
    """Correct a subject, or retire it (``is_active=False``: no longer offered to survivors;
    what was said about it stays in the reports)."""
    policy.require(actor, Action.EDIT, subject)
    before = changes.snapshot(subject, SUBJECT_FIELDS)
    _subject_set(subject, fields)
    changes.clean(subject)
    subject.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=subject,
        changes=changes.diff(before, changes.snapshot(subject, SUBJECT_FIELDS)),
    )
    return subject


@transaction.atomic
def complaint_desk_add(*, actor: Actor, handler_id: Any, priority: int = 1) -> ComplaintDesk:
    """Name one of the coordinator's own organisation's members as a serious-complaints handler."""
    policy.require_allowed(actor, Action.EDIT, "feedback.complaintdesk")
    members = {str(pk) for pk in orgs.member_user_ids(organisation_id=actor.organisation_id)}
    if str(handler_id) not in members:
        raise InvalidInput({"handler": [_("The handler must be a member of your organisation.")]})
    if ComplaintDesk.objects.filter(
        organisation_id=actor.organisation_id, handler_id=handler_id
    ).exists():
        raise InvalidInput({"handler": [_("She already handles complaints here.")]})
    desk = ComplaintDesk(
        organisation_id=actor.organisation_id, handler_id=handler_id, priority=priority
    )
    changes.add(
        desk,
        ("handler", "priority", "is_active"),
        record=audit.recorder(actor=actor, action=AuditAction.CREATE, target=desk),
    )
    return desk


@transaction.atomic
def complaint_desk_set_active(*, actor: Actor, desk: ComplaintDesk, active: bool) -> ComplaintDesk:
    """Stop or resume routing serious complaints to a handler (complaints already routed to her
    stay with her)."""
    policy.require(actor, Action.EDIT, desk)
    before = changes.snapshot(desk, ("is_active",))
    desk.is_active = active
    desk.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=desk,
        changes=changes.diff(before, changes.snapshot(desk, ("is_active",))),
    )
    return desk
