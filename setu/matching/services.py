"""Writes of the matching context.

Two kinds of writer live here. System writers (``records_refresh``, ``person_check``,
``event_check``, ``rematch_batch``) keep the match index and pairs in step with the registry;
they run in background tasks, act for no user and send personal-data-free notices. Reviewer
services (``pair_confirm``, ``pair_dismiss``, ``pair_unlink``, ``alert_acknowledge``) act for a
user, go through the access policy and are audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.consent.selectors import ConsentScope
from setu.consent.subscriptions import ConsentEnded
from setu.core import bulk, changes
from setu.core.errors import InvalidInput, NotFound
from setu.matching import engine, hooks, records
from setu.matching.models import (
    AlertKind,
    Band,
    Decision,
    MatchAlert,
    MatchDecision,
    MatchingReach,
    MatchKey,
    MatchLink,
    MatchPair,
    MatchRecord,
    PairKind,
    PairStatus,
    SideState,
)
from setu.notifications import services as notices
from setu.notifications.services import NoticeKind
from setu.orgs import selectors as org_selectors
from setu.registry import selectors as registry

if TYPE_CHECKING:
    from setu.orgs.models import Organisation
    from setu.registry.models import TraffickingEvent

# The layout of the app's own index rows (2: one MatchKey row per named organisation; 3: keys
# are HMACs under the field index key); part of the version stored on each record, so
# ``setu matching rematch`` re-indexes older records.
INDEX_LAYOUT = 3
ENGINE_VERSION = f"{engine.engine_version()}-i{INDEX_LAYOUT}"
# Pairs still in play: a change of consent or record can withdraw them.
LIVE = (PairStatus.OPEN, PairStatus.LINK_REQUESTED, PairStatus.LINKED)


# --- the match index ------------------------------------------------------------------------

# The MatchRecord columns a re-index rewrites; id, created_at and the progress times stay.
_INDEXED_FIELDS = (
    "organisation",
    "data",
    "cross_org",
    "matching_orgs",
    "missing_open",
    "found",
    "engine_version",
    "updated_at",
)
_KEY_COLUMNS = ("record_id", "key", "organisation_id", "cross_org", "allowed_org_id")


def _fill_index_entry(
    mr: MatchRecord, person: Any, consent: records.MatchingConsent, flags: tuple[bool, bool]
) -> Any:
    """Set what the index stores about this registry person on ``mr``; returns the engine
    record its keys come from. The one place both index paths take it from."""
    rec = records.person_record(person)
    mr.organisation_id = person.owner_org_id
    mr.data = engine.record_to_data(rec)
    mr.cross_org = consent.network
    mr.matching_orgs = [o for o in consent.named if o != str(person.owner_org_id)]
    mr.missing_open, mr.found = flags
    mr.engine_version = ENGINE_VERSION
    return rec


def _key_rows(mr: MatchRecord, rec: Any) -> Iterator[tuple[Any, ...]]:
    """The record's MatchKey rows in ``_KEY_COLUMNS`` order: one per key, and for a consent
    naming organisations one more per key and organisation, found by its lookups alone."""
    for key in engine.index_keys(rec):
        yield (mr.pk, key, mr.organisation_id, mr.cross_org, None)
        for org in mr.matching_orgs:
            yield (mr.pk, key, mr.organisation_id, False, org)


def records_refresh(person_ids: Iterable[Any]) -> dict[Any, MatchRecord]:
    """Rebuild the match records and keys of these persons from the registry (system write).

    Archived or deleted persons leave the index and their live pairs are withdrawn. A person's
    MATCHING consents in force decide with whom their record is matched: the whole network,
    only the organisations they name, or (none) their own organisation only; live
    cross-organisation pairs that the consent no longer allows are withdrawn.
    """
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    persons = {
        p.pk: p for p in records.persons_for_records().filter(pk__in=ids, archived_at__isnull=True)
    }
    gone = [pid for pid in ids if pid not in persons]
    if gone:
        MatchRecord.objects.filter(person_id__in=gone).delete()
        _withdraw_pairs(gone, cross_only=False, reason="record archived")
    consents = records.matching_consents(persons)
    flags = records.flags_for(persons)
    existing = {r.person_id: r for r in MatchRecord.objects.filter(person_id__in=list(persons))}
    now = timezone.now()
    out: dict[Any, MatchRecord] = {}
    engine_records: dict[Any, Any] = {}
    to_create, to_update = [], []
    for pid, person in persons.items():
        mr = existing.get(pid) or MatchRecord(person_id=pid)
        engine_records[pid] = _fill_index_entry(mr, person, consents[pid], flags[pid])
        mr.updated_at = now
        (to_update if pid in existing else to_create).append(mr)
        out[pid] = mr
    MatchRecord.objects.bulk_create(to_create)
    if to_update:
        # An upsert rather than bulk_update: it saves through each field's pre_save, which
        # encrypts ``data`` bound to its row.
        MatchRecord.objects.bulk_create(
            to_update,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=list(_INDEXED_FIELDS),
        )
    MatchKey.objects.filter(record__in=list(out.values())).delete()
    MatchKey.objects.bulk_create(
        [
            MatchKey(**dict(zip(_KEY_COLUMNS, row, strict=True)))
            for pid, mr in out.items()
            for row in _key_rows(mr, engine_records[pid])
        ],
        batch_size=5000,
    )
    _withdraw_disallowed(out)
    return out


def _withdraw_disallowed(by_person: dict[Any, MatchRecord]) -> int:
    """Withdraw the live cross-organisation pairs these records' consents no longer allow: all
    of them without MATCHING consent, those with organisations not named otherwise."""
    count = _withdraw_pairs(
        [pid for pid, mr in by_person.items() if mr.reach == MatchingReach.OWN],
        cross_only=True,
        reason="no matching consent",
    )
    named = [pid for pid, mr in by_person.items() if mr.reach == MatchingReach.NAMED]
    if not named:
        return count
    pairs = _live_pairs(named, cross_only=True)
    disallowed = [
        pair.pk
        for pair in pairs
        if (
            pair.person_a_id in by_person
            and not by_person[pair.person_a_id].allows_matching_with(pair.org_b_id)
        )
        or (
            pair.person_b_id in by_person
            and not by_person[pair.person_b_id].allows_matching_with(pair.org_a_id)
        )
    ]
    if disallowed:
        count += _withdraw(
            MatchPair.objects.filter(pk__in=disallowed),
            reason="matching consent does not cover the other organisation",
        )
    return count


def on_consent_ended(event: ConsentEnded) -> None:
    """The consent app's subscription (``MatchingConfig.ready``): when a MATCHING consent ends,
    re-index the person in the ending transaction, so the pairs it allowed are withdrawn with
    it; then re-check them in the background as after any change to their record."""
    indexed = MatchRecord.objects.filter(person_id=event.person_id).exists()
    if ConsentScope.MATCHING in event.scopes and indexed:
        records_refresh([event.person_id])
    hooks.person_changed(event.person_id)


def candidate_records(
    record: Any,
    *,
    organisation_id: Any,
    cross_org: bool,
    partners: Iterable[Any] | None = None,
    exclude_person: Any = None,
) -> list[MatchRecord]:
    """Records sharing a blocking key with ``record``: in its own organisation, or (cross_org)
    records of other organisations whose consent allows matching with ``organisation_id``
    (network-wide or naming it); ``partners`` narrows these to the organisations the query
    record's own consent names. Oversized keys are skipped like the engine's own index does,
    so a common first name cannot pull in thousands of rows."""
    keys = engine.query_keys(record)
    if not keys:
        return []
    base = MatchKey.objects.all()
    if cross_org:
        # One query on the (key, cross_org) and (key, allowed_org_id) indexes.
        base = base.filter(Q(cross_org=True) | Q(allowed_org_id=organisation_id)).exclude(
            organisation_id=organisation_id
        )
        if partners is not None:
            wanted = [str(o) for o in partners if str(o) != str(organisation_id)]
            if not wanted:
                return []
            base = base.filter(organisation_id__in=wanted)
    else:
        base = base.filter(organisation_id=organisation_id, allowed_org_id__isnull=True)
    caps = {k: engine.posting_cap(k) for k in keys}
    # At most cap + 1 postings are read per key (not a count of all of them), so a common key
    # costs the same in a network of a thousand records and of a million.
    parts = [
        base.filter(key=k).values_list("key", "record_id")[: cap + 1] for k, cap in caps.items()
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True))  # one round trip
    else:
        rows = [row for part in parts for row in part]
    postings: dict[str, list[Any]] = {}
    for key, record_id in rows:
        postings.setdefault(key, []).append(record_id)
    ids: set[Any] = set()
    oversized: list[str] = []
    for key, posting in postings.items():
        if len(posting) <= caps[key]:
            ids.update(posting)
        else:
            oversized.append(key)
    if not ids and oversized:
        newest_cap = engine.CONFIG.index_posting_cap
        # The newest few of the oversized keys' postings, each read newest first on the index.
        newest = sorted(
            (
                row
                for key in oversized
                for row in base.filter(key=key)
                .order_by("-id")
                .values_list("id", "record_id")[:newest_cap]
            ),
            reverse=True,
        )
        ids = {record_id for _id, record_id in newest[:newest_cap]}
    qs = MatchRecord.objects.filter(pk__in=ids)
    if exclude_person is not None:
        qs = qs.exclude(person_id=exclude_person)
    if cross_org:
        # The key rows already say so; checked again on the few records fetched.
        return [m for m in qs if m.allows_matching_with(organisation_id)]
    return list(qs)


def scored_candidates(
    record: Any, candidates: list[MatchRecord], *, min_probability: float, limit: int = 20
) -> list[tuple[MatchRecord, float, Any]]:
    """(match record, probability, explanation) of the candidates the engine rates high enough."""
    by_id = {str(c.person_id): c for c in candidates}
    found = engine.score(
        record,
        [engine.record_from_data(c.data) for c in candidates],
        min_probability=min_probability,
        limit=limit,
    )
    return [(by_id[rid], p, ex) for rid, p, ex in found if rid in by_id]


# --- pairs and notices ----------------------------------------------------------------------


def _band(probability: float) -> str:
    return Band.STRONG if probability >= engine.STRONG else Band.POSSIBLE


def contact_name(organisation: Organisation) -> str:
    """Name of the person to call at an organisation about a match (its designated contact)."""
    contact = policy.match_notice_recipients(organisation.pk).order_by("username").first()
    return (contact.get_full_name() or contact.username) if contact else ""


def _contact_line(organisation: Organisation) -> str:
    parts = [p for p in (contact_name(organisation), organisation.phone) if p]
    return ", ".join(parts) if parts else str(_("see the directory"))


def _pair_url(pair: MatchPair) -> str:
    return reverse("matching:pair-detail", args=[pair.pk])


def _notify_org(organisation_id: Any, *, kind: str, message: str, url: str, about: Any) -> int:
    """One notice per organisation's recipient about a pair or alert, kept current (not added)."""
    return notices.notification_send(
        recipients=policy.match_notice_recipients(organisation_id),
        kind=kind,
        message=message,
        url=url,
        subject=notices.subject_of(about),
    )


def _settle_notices(organisation_id: Any, pair: MatchPair) -> None:
    """Our side has answered: our own notices about this pair need no more attention."""
    notices.notification_settle(
        recipients=policy.match_notice_recipients(organisation_id),
        subject=notices.subject_of(pair),
    )


def _notify_pair(pair: MatchPair) -> None:
    """Tell each side: which organisation, how strong, whom to contact; nothing about the person."""
    band = Band(pair.band).label
    url = _pair_url(pair)
    if pair.kind == PairKind.DUPLICATE:
        kind = NoticeKind.MISSING_FOUND if pair.missing_found else NoticeKind.DUPLICATE
        _notify_org(
            pair.org_a_id,
            kind=kind,
            message=_(
                "Possible duplicate in your organisation (strength: %(band)s): two of its records "
                "may be one person. Open the pair to confirm or dismiss it."
            )
            % {"band": band},
            url=url,
            about=pair,
        )
        return
    orgs = org_selectors.organisations_by_id(ids=[pair.org_a_id, pair.org_b_id])
    for mine, theirs in ((pair.org_a_id, pair.org_b_id), (pair.org_b_id, pair.org_a_id)):
        other = orgs[theirs]
        if pair.missing_found:
            text = _(
                "Missing person possibly found (strength: %(band)s): a missing-person report and a "
                "found person may be one; the other record is held by %(org)s. Review this pair "
                "first. Contact: %(contact)s."
            )
            kind = NoticeKind.MISSING_FOUND
        else:
            text = _(
                "Possible match with %(org)s (strength: %(band)s): a record of your organisation "
                "may be the same person as one of theirs. Open the pair to confirm or dismiss it. "
                "Contact: %(contact)s."
            )
            kind = NoticeKind.MATCH
        message = text % {"band": band, "org": other.name, "contact": _contact_line(other)}
        _notify_org(mine, kind=kind, message=message, url=url, about=pair)


def _live_pairs(person_ids: list[Any], *, cross_only: bool) -> Any:
    qs = MatchPair.objects.filter(
        Q(person_a_id__in=person_ids) | Q(person_b_id__in=person_ids)
    ).filter(status__in=LIVE)
    return qs.filter(kind=PairKind.CROSS_ORG) if cross_only else qs


def _withdraw_pairs(person_ids: list[Any], *, cross_only: bool, reason: str) -> int:
    """Withdraw live pairs of these persons (consent withdrawn, record archived); links end."""
    if not person_ids:
        return 0
    return _withdraw(_live_pairs(person_ids, cross_only=cross_only), reason=reason)


def _withdraw(qs: Any, *, reason: str) -> int:
    """Withdraw these pairs (still live ones only), end their links and audit each."""
    qs = qs.filter(status__in=LIVE)
    now = timezone.now()
    count = 0
    for pair in qs.select_for_update():
        MatchLink.objects.filter(pair=pair, ended_at__isnull=True).update(
            ended_at=now, end_reason=reason, updated_at=now
        )
        before = pair.status
        pair.status = PairStatus.WITHDRAWN
        pair.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            target=("matching.matchpair", str(pair.pk), pair.org_a_id),
            changes={"before": {"status": before}, "after": {"status": pair.status}},
            details={"reason": reason},
        )
        count += 1
    return count


def _pair_upsert(mine: MatchRecord, other: MatchRecord, probability: float) -> MatchPair | None:
    """Create or refresh the pair of two records; notify on a new or re-opened pair."""
    a, b = sorted((mine, other), key=lambda r: str(r.person_id))
    kind = PairKind.DUPLICATE if a.organisation_id == b.organisation_id else PairKind.CROSS_ORG
    if kind == PairKind.CROSS_ORG:
        # Consent from both sides, for these two organisations.
        if not (
            a.allows_matching_with(b.organisation_id) and b.allows_matching_with(a.organisation_id)
        ):
            return None
        # The other record's index entry may predate a consent that lapsed since: the
        # registry has the last word before anyone is told anything.
        if not records.pair_consented(
            a.person_id, a.organisation_id, b.person_id, b.organisation_id
        ):
            _withdraw(
                MatchPair.objects.filter(person_a_id=a.person_id, person_b_id=b.person_id),
                reason="no matching consent",
            )
            return None
    missing_found = (a.missing_open and b.found) or (b.missing_open and a.found)
    band = _band(probability)
    pair = (
        MatchPair.objects.select_for_update()
        .filter(person_a_id=a.person_id, person_b_id=b.person_id)
        .first()
    )
    notify = False
    if pair is None:
        try:
            # Two workers checking both records at once: the second one loses the race here.
            with transaction.atomic():
                pair = MatchPair.objects.create(
                    person_a_id=a.person_id,
                    person_b_id=b.person_id,
                    org_a_id=a.organisation_id,
                    org_b_id=b.organisation_id,
                    kind=kind,
                    probability=probability,
                    band=band,
                    missing_found=missing_found,
                    engine_version=ENGINE_VERSION,
                )
        except IntegrityError:
            return MatchPair.objects.get(person_a_id=a.person_id, person_b_id=b.person_id)
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            target=("matching.matchpair", str(pair.pk), pair.org_a_id),
            details={"kind": kind, "band": band, "probability": round(probability, 3)},
        )
        notify = True
    else:
        if pair.status == PairStatus.WITHDRAWN:
            # Consent given again (or the record restored): the pair is back for review.
            pair.status = PairStatus.OPEN
            pair.a_state = pair.b_state = SideState.PENDING
            notify = True
        elif pair.status == PairStatus.OPEN and (
            band != pair.band or missing_found != pair.missing_found
        ):
            notify = band == Band.STRONG or missing_found
        pair.org_a_id, pair.org_b_id, pair.kind = a.organisation_id, b.organisation_id, kind
        pair.probability, pair.band, pair.missing_found = probability, band, missing_found
        pair.engine_version = ENGINE_VERSION
        pair.save()
    if notify:
        _notify_pair(pair)
        if missing_found:
            _missing_found_alerts(pair, a, b)
    return pair


def _missing_found_alerts(pair: MatchPair, a: MatchRecord, b: MatchRecord) -> None:
    """Alert the organisation holding the open missing report; no details of the other record."""
    for missing, found in ((a, b), (b, a)):
        if missing.missing_open and found.found:
            alert, created = MatchAlert.objects.get_or_create(
                organisation_id=missing.organisation_id,
                person_id=missing.person_id,
                kind=AlertKind.MISSING_FOUND,
                event=None,
                defaults={"pair": pair, "band": pair.band},
            )
            if created:
                _notify_org(
                    missing.organisation_id,
                    kind=NoticeKind.MISSING_FOUND,
                    message=_(
                        "A person your organisation reported missing may have been found "
                        "(strength: %(band)s). Open the alert, then review the pair."
                    )
                    % {"band": Band(pair.band).label},
                    url=reverse("matching:alert-detail", args=[alert.pk]),
                    about=alert,
                )


@dataclass(frozen=True)
class CheckOutcome:
    """What one check of a person found (counts only)."""

    duplicates: int
    cross_org: int


def notice_threshold() -> float:
    """The probability from which a pair is raised; see ``selectors.calibration``."""
    from setu.matching import selectors

    return selectors.notice_threshold()


@transaction.atomic
def person_check(*, person_id: Any, refresh: bool = True) -> CheckOutcome:
    """Refresh a person's index entry and check them against their organisation and the network."""
    mr = records_refresh([person_id]).get(person_id) if refresh else None
    if mr is None:
        mr = MatchRecord.objects.filter(person_id=person_id).first()
    if mr is None:
        return CheckOutcome(0, 0)
    threshold = notice_threshold()
    rec = engine.record_from_data(mr.data)
    dup = cross = 0
    own = candidate_records(
        rec, organisation_id=mr.organisation_id, cross_org=False, exclude_person=mr.person_id
    )
    for other, p, _ex in scored_candidates(rec, own, min_probability=threshold):
        dup += _pair_upsert(mr, other, p) is not None
    if mr.reach != MatchingReach.OWN:
        net = candidate_records(
            rec,
            organisation_id=mr.organisation_id,
            cross_org=True,
            partners=None if mr.cross_org else mr.matching_orgs,
        )
        for other, p, _ex in scored_candidates(rec, net, min_probability=threshold):
            cross += _pair_upsert(mr, other, p) is not None
    MatchRecord.objects.filter(pk=mr.pk).update(checked_at=timezone.now())
    return CheckOutcome(dup, cross)


def _partners(person_id: Any) -> list[tuple[Any, MatchPair]]:
    """Persons linked to this one, or strongly matched across organisations (with consent)."""
    pairs = MatchPair.objects.filter(Q(person_a_id=person_id) | Q(person_b_id=person_id)).filter(
        Q(status=PairStatus.LINKED)
        | Q(status__in=(PairStatus.OPEN, PairStatus.LINK_REQUESTED), band=Band.STRONG)
    )
    return [(p.person_b_id if p.person_a_id == person_id else p.person_a_id, p) for p in pairs]


def _retrafficking_alerts(event: TraffickingEvent, person_ids: list[Any]) -> int:
    """Alert each organisation holding an earlier rescue/shelter/reintegration of this person."""
    event_org = event.case.owner_org_id
    consents = records.matching_consents(person_ids)
    made = 0
    for pid in person_ids:
        earlier: list[tuple[Any, MatchPair | None]] = [(pid, None), *_partners(pid)]
        for qid, pair in earlier:
            if (
                pair is not None
                and pair.kind == PairKind.CROSS_ORG
                and not records.pair_consented(
                    pair.person_a_id, pair.org_a_id, pair.person_b_id, pair.org_b_id
                )
            ):
                continue
            holder = registry.earlier_event_owner(
                person_id=qid, kinds=records.HISTORY_KINDS, before=event
            )
            if holder is None:
                continue
            # Telling another organisation about this event is matching across organisations:
            # only one the person's MATCHING consent covers may hear of it.
            if str(holder) != str(event_org) and not consents[pid].allows(holder):
                continue
            alert, created = MatchAlert.objects.get_or_create(
                organisation_id=holder,
                person_id=qid,
                event=event,
                kind=AlertKind.RETRAFFICKING,
                defaults={
                    "pair": pair,
                    "event_kind": event.kind,
                    "event_date": event.occurred_on,
                    "district_id": event.district_id,
                    "state_id": event.state_id,
                    "band": pair.band if pair else "",
                },
            )
            if created:
                made += 1
                audit.record(
                    actor=None,
                    action=AuditAction.CREATE,
                    target=("matching.matchalert", str(alert.pk), holder),
                    details={"kind": alert.kind},
                )
                _notify_org(
                    holder,
                    kind=NoticeKind.RETRAFFICKING,
                    message=_(
                        "Re-trafficking alert: a person your organisation supported before appears "
                        "in a new case event. Open the alert for the place and date, then contact "
                        "whoever holds the new case."
                    ),
                    url=reverse("matching:alert-detail", args=[alert.pk]),
                    about=alert,
                )
    return made


@transaction.atomic
def event_check(*, event_id: Any) -> int:
    """A new event: re-index its persons, match them (missing <-> found in both directions) and
    raise re-trafficking alerts; returns how many alerts were made."""
    event = registry.event_for_system(event_id=event_id)
    if event is None:
        return 0
    person_ids = records.affected_person_ids(event)
    records_refresh(person_ids)
    for pid in person_ids:
        person_check(person_id=pid, refresh=False)
    if event.kind in records.TRIGGER_KINDS:
        return _retrafficking_alerts(event, person_ids)
    return 0


def _stale_persons(stale_only: bool) -> Any:
    qs = registry.active_persons()
    if stale_only:
        qs = qs.exclude(match_record__engine_version=ENGINE_VERSION)
    return qs


def index_progress() -> tuple[int, int]:
    """(persons indexed with the current engine, persons to index)."""
    total = _stale_persons(False).count()
    return total - _stale_persons(True).count(), total


def _next_batch(*, after: Any, before: Any, size: int, stale_only: bool) -> list[Any]:
    """Ids of the next ``size`` persons to index, by id, after ``after`` and before ``before``."""
    qs = _stale_persons(stale_only).order_by("pk")
    if after is not None:
        qs = qs.filter(pk__gt=after)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.values_list("pk", flat=True)[:size])


def rematch_batch(
    *, after: Any = None, size: int = 500, stale_only: bool = False
) -> tuple[int, Any]:
    """Re-index and re-check the next ``size`` persons by id after ``after`` (resumable);
    returns (how many, last id)."""
    ids = _next_batch(after=after, before=None, size=size, stale_only=stale_only)
    if not ids:
        return 0, after
    persons_recheck(person_ids=ids)
    return len(ids), ids[-1]


def persons_recheck(*, person_ids: Iterable[Any]) -> CheckOutcome:
    """Re-index these persons, then check each against their organisation and the network, as
    ``rematch_batch`` does for a batch by id (system write); returns the pairs found (counts).

    For a known handful of records, e.g. the demo's story-lines right after a bulk load, so
    that their pairs exist without re-matching everyone (``setu demo load --match-story-lines``).
    """
    ids = list(dict.fromkeys(person_ids))
    duplicates = cross_org = 0
    # One transaction: a commit per person would make the disk, not the engine, the
    # bottleneck; an interrupted batch is simply redone.
    with transaction.atomic():
        records_refresh(ids)
        for pid in ids:
            outcome = person_check(person_id=pid, refresh=False)
            duplicates += outcome.duplicates
            cross_org += outcome.cross_org
    return CheckOutcome(duplicates, cross_org)


def index_batch(
    *, after: Any = None, before: Any = None, size: int = 5000, stale_only: bool = True
) -> tuple[int, Any]:
    """Index the next ``size`` persons by id after ``after`` without checking them, for a bulk
    load or a national re-index: the MatchRecord and MatchKey rows ``records_refresh`` writes,
    in a few statements (``COPY`` on PostgreSQL); one transaction per batch, so an interrupted
    run is resumed from the last id printed; ``before`` bounds the range, so that several
    processes can share a national re-index; returns (how many, last id)."""
    ids = _next_batch(after=after, before=before, size=size, stale_only=stale_only)
    if not ids:
        return 0, after
    with transaction.atomic():
        persons = list(records.persons_for_records().filter(pk__in=ids))
        consents = records.matching_consents([p.pk for p in persons])
        flags = records.flags_for(ids)
        existing = dict(
            MatchRecord.objects.filter(person_id__in=ids).values_list("person_id", "pk")
        )
        fresh: list[MatchRecord] = []
        stale: list[MatchRecord] = []
        engine_records: dict[Any, Any] = {}
        for person in persons:
            mr = MatchRecord(person_id=person.pk)
            engine_records[person.pk] = _fill_index_entry(
                mr, person, consents[person.pk], flags[person.pk]
            )
            if person.pk in existing:
                # Updated in place (ON CONFLICT): id, created_at and progress times are kept.
                mr.pk = existing[person.pk]
                stale.append(mr)
            else:
                fresh.append(mr)
        MatchKey.objects.filter(record_id__in=list(existing.values())).delete()
        bulk.bulk_insert(fresh)
        if stale:
            MatchRecord.objects.bulk_create(
                stale,
                batch_size=1000,  # 12 columns a row: stays under PostgreSQL's 65,535 parameters
                update_conflicts=True,
                unique_fields=["person"],
                update_fields=list(_INDEXED_FIELDS),
            )
        bulk.insert_rows(
            MatchKey,
            _KEY_COLUMNS,
            (row for mr in (*fresh, *stale) for row in _key_rows(mr, engine_records[mr.person_id])),
        )
        _withdraw_disallowed({mr.person_id: mr for mr in (*fresh, *stale)})
    return len(ids), ids[-1]


def retrafficking_sweep(*, since: Any = None) -> int:
    """Raise re-trafficking alerts for existing events (after a re-match or a demo load): for
    each person's latest rescue, interception or missing report; returns alerts made."""
    events = registry.events_of_kinds(kinds=records.TRIGGER_KINDS, since=since)
    latest: dict[Any, TraffickingEvent] = {}
    for event in events:
        for pid in records.affected_person_ids(event):
            latest[pid] = event
    made = 0
    with transaction.atomic():
        for pid, event in latest.items():
            made += _retrafficking_alerts(event, [pid])
    return made


def mark_queued(person_ids: Iterable[Any]) -> None:
    """Remember that a check is on its way, so the UI can show progress."""
    MatchRecord.objects.filter(person_id__in=list(person_ids)).update(queued_at=timezone.now())


# --- reviewers' decisions ---------------------------------------------------------------------


def _pair_for(actor: Actor, pair_id: Any) -> MatchPair:
    pair = policy.scope(actor, MatchPair.objects.filter(pk=pair_id), Action.RESPOND).first()
    if pair is None:
        raise NotFound(action=Action.RESPOND, target=("matching.matchpair", str(pair_id), None))
    return MatchPair.objects.select_for_update().get(pk=pair.pk)


def _decide(actor: Actor, pair: MatchPair, decision: str, reason: str = "") -> None:
    MatchDecision.objects.create(
        pair=pair,
        organisation_id=actor.organisation_id,
        decided_by=actor.user,
        decision=decision,
        probability=pair.probability,
        reason=reason[:300],
    )


_AUDITED = ("status", "a_state", "b_state")


@transaction.atomic
def pair_confirm(*, actor: Actor, pair_id: Any) -> MatchPair:
    """Confirm one's own side ("same person"); the link is made when both sides confirmed and
    both records' matching consent is in force (a duplicate pair needs one confirmation)."""
    pair = _pair_for(actor, pair_id)
    if pair.status not in (PairStatus.OPEN, PairStatus.LINK_REQUESTED):
        raise InvalidInput(_("This match can no longer be confirmed."))
    before = changes.snapshot(pair, _AUDITED)
    side = pair.side_of(actor.organisation_id)
    setattr(pair, f"{side}_state", SideState.CONFIRMED)
    if pair.kind == PairKind.DUPLICATE:
        pair.a_state = pair.b_state = SideState.CONFIRMED
    _decide(actor, pair, Decision.CONFIRM)
    both = pair.a_state == SideState.CONFIRMED and pair.b_state == SideState.CONFIRMED
    # Both persons' consent must cover the other organisation, checked now (not the index).
    consented = pair.kind == PairKind.DUPLICATE or records.pair_consented(
        pair.person_a_id, pair.org_a_id, pair.person_b_id, pair.org_b_id
    )
    if both and not consented:
        raise InvalidInput(
            _(
                "Both records need the person's consent to matching with the other "
                "organisation before they can be linked."
            )
        )
    if both:
        pair.status = PairStatus.LINKED
        MatchLink.objects.create(pair=pair, linked_at=timezone.now())
    else:
        pair.status = PairStatus.LINK_REQUESTED
    pair.save(update_fields=["status", "a_state", "b_state", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("matching.matchpair", str(pair.pk), actor.organisation_id),
        changes={"before": before, "after": changes.snapshot(pair, _AUDITED)},
    )
    if pair.kind == PairKind.CROSS_ORG:
        other = pair.other_org_id(actor.organisation_id)
        text = (
            _(
                "Both organisations confirmed a match; the records are now linked. Open the pair "
                "to see the linked record's history."
            )
            if both
            else _(
                "Another organisation asks to link a possible match with your record. Open the "
                "pair to confirm or dismiss it."
            )
        )
        _notify_org(other, kind=NoticeKind.LINK, message=text, url=_pair_url(pair), about=pair)
    _settle_notices(actor.organisation_id, pair)
    return pair


@transaction.atomic
def pair_dismiss(*, actor: Actor, pair_id: Any, reason: str) -> MatchPair:
    """Dismiss a possible match ("not the same person") with a reason kept in one's own org."""
    if not (reason or "").strip():
        raise InvalidInput({"reason": [_("Say why this is not the same person.")]})
    pair = _pair_for(actor, pair_id)
    if pair.status not in (PairStatus.OPEN, PairStatus.LINK_REQUESTED):
        raise InvalidInput(
            _("Only a match waiting for review can be dismissed; unlink a linked one.")
        )
    before = changes.snapshot(pair, _AUDITED)
    side = pair.side_of(actor.organisation_id)
    setattr(pair, f"{side}_state", SideState.DISMISSED)
    setattr(pair, f"{side}_reason", reason.strip()[:300])
    pair.status = PairStatus.DISMISSED
    pair.save()
    _decide(actor, pair, Decision.DISMISS, reason.strip())
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("matching.matchpair", str(pair.pk), actor.organisation_id),
        changes={"before": before, "after": changes.snapshot(pair, _AUDITED)},
    )
    if pair.kind == PairKind.CROSS_ORG:
        # The reason stays with the side that wrote it: it may describe their person.
        _notify_org(
            pair.other_org_id(actor.organisation_id),
            kind=NoticeKind.LINK,
            message=_(
                "Another organisation dismissed a possible match with your record. Nothing more "
                "to do unless you know better: then call them."
            ),
            url=_pair_url(pair),
            about=pair,
        )
    _settle_notices(actor.organisation_id, pair)
    return pair


@transaction.atomic
def pair_unlink(*, actor: Actor, pair_id: Any, reason: str) -> MatchPair:
    """Undo a false match: the link ends (kept as history); both records stay untouched."""
    if not (reason or "").strip():
        raise InvalidInput({"reason": [_("Say why the link was wrong.")]})
    pair = _pair_for(actor, pair_id)
    if pair.status != PairStatus.LINKED:
        raise InvalidInput(_("Only linked records can be unlinked."))
    before = changes.snapshot(pair, _AUDITED)
    now = timezone.now()
    MatchLink.objects.filter(pair=pair, ended_at__isnull=True).update(
        ended_at=now, ended_by=actor.user, end_reason=reason.strip()[:300], updated_at=now
    )
    side = pair.side_of(actor.organisation_id)
    setattr(pair, f"{side}_state", SideState.DISMISSED)
    setattr(pair, f"{side}_reason", reason.strip()[:300])
    pair.status = PairStatus.UNLINKED
    pair.save()
    _decide(actor, pair, Decision.UNLINK, reason.strip())
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("matching.matchpair", str(pair.pk), actor.organisation_id),
        changes={"before": before, "after": changes.snapshot(pair, _AUDITED)},
        details={"links_ended": True},
    )
    if pair.kind == PairKind.CROSS_ORG:
        _notify_org(
            pair.other_org_id(actor.organisation_id),
            kind=NoticeKind.LINK,
            message=_(
                "Another organisation unlinked a match with your record as a false match. Check "
                "that nothing you did relied on the link."
            ),
            url=_pair_url(pair),
            about=pair,
        )
    _settle_notices(actor.organisation_id, pair)
    return pair


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert_id: Any) -> MatchAlert:
    """Mark an alert as seen and acted on by the organisation."""
    alert = policy.scope(actor, MatchAlert.objects.filter(pk=alert_id), Action.RESPOND).first()
    if alert is None:
        raise NotFound(action=Action.RESPOND, target=("matching.matchalert", str(alert_id), None))
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor.user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=("matching.matchalert", str(alert.pk), alert.organisation_id),
            changes={"before": {"acknowledged_at": None}, "after": {"acknowledged": True}},
        )
    return alert
