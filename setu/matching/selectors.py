"""Reads of the matching context, all through the access policy.

What a reviewer sees of a pair: their own organisation's record in full; of the other
organisation's record, only its name, the band and evidence in words without values, until both
sides confirmed the link. After linking, the other record's minimal history (events' kinds, dates
and district/state; services' kinds and dates; open missing reports) is visible and every view of
it is audited. Values of the other record are shown only if its consent covers identity for the
viewer's organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Case as SqlCase
from django.utils.translation import gettext_lazy

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction, Outcome
from setu.consent import selectors as consent_selectors
from setu.core import ratelimit
from setu.core.errors import NotFound, RateLimited
from setu.linkage import PersonRecord
from setu.matching import engine, records
from setu.matching.models import (
    AlertKind,
    Decision,
    MatchAlert,
    MatchDecision,
    MatchingReach,
    MatchLink,
    MatchPair,
    MatchRecord,
    PairKind,
    PairStatus,
    QueueUrgency,
    SideState,
)
from setu.orgs import selectors as org_selectors
from setu.registry import selectors as registry
from setu.registry.selectors import EventKind

if TYPE_CHECKING:
    from setu.orgs.models import Organisation
    from setu.registry.models import Person

# Calibration: probability bands (lower edges), the precision reviewers' decisions must keep,
# and how many decisions a band needs before it can move the threshold.
BAND_EDGES = (0.40, 0.60, 0.80, 0.95)
TARGET_PRECISION = 0.5
MIN_DECISIONS = 10


# --- pairs -----------------------------------------------------------------------------------


def pair_list(
    *,
    actor: Actor,
    status: str | None = None,
    kind: str | None = None,
    awaiting: bool = False,
    missing_found: bool = False,
) -> QuerySet[MatchPair]:
    """Pairs involving the actor's organisation, newest first; ``awaiting`` = our answer missing."""
    qs = policy.scope(actor, MatchPair.objects.select_related("org_a", "org_b"), Action.VIEW)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if missing_found:
        qs = qs.filter(missing_found=True)
    if awaiting:
        org = actor.organisation_id
        qs = qs.filter(status__in=(PairStatus.OPEN, PairStatus.LINK_REQUESTED)).filter(
            Q(org_a_id=org, a_state="pending") | Q(org_b_id=org, b_state="pending")
        )
    return qs


# Rank of each urgency in the queue (lower first).
URGENCY_RANK = {u: i for i, u in enumerate(QueueUrgency.values)}
# A name or case-reference search of the queue shows at most this many pairs.
SEARCH_LIMIT = 50


def pair_queue(
    *,
    actor: Actor,
    urgency: str | None = None,
    status: str | None = None,
    person_ids: list[Any] | None = None,
) -> QuerySet[MatchPair]:
    """The review queue: pairs waiting for the actor's organisation (or of one status), most
    urgent first (re-trafficking alert, missing <-> found, across organisations, within), then
    the longest waiting; optionally only pairs of some of our own persons."""
    qs = pair_list(actor=actor, status=status or None, awaiting=not status)
    org = actor.organisation_id
    alerts = MatchAlert.objects.filter(
        organisation_id=org,
        kind=AlertKind.RETRAFFICKING,
        acknowledged_at__isnull=True,
    ).filter(Q(person_id=OuterRef("person_a_id")) | Q(person_id=OuterRef("person_b_id")))
    qs = qs.annotate(
        urgency_rank=SqlCase(
            When(Exists(alerts), then=Value(URGENCY_RANK[QueueUrgency.RETRAFFICKING])),
            When(missing_found=True, then=Value(URGENCY_RANK[QueueUrgency.MISSING_FOUND])),
            When(kind=PairKind.CROSS_ORG, then=Value(URGENCY_RANK[QueueUrgency.CROSS_ORG])),
            default=Value(URGENCY_RANK[QueueUrgency.DUPLICATE]),
            output_field=IntegerField(),
        )
    )
    if urgency in URGENCY_RANK:
        qs = qs.filter(urgency_rank=URGENCY_RANK[urgency])
    if person_ids is not None:
        qs = qs.filter(
            Q(org_a_id=org, person_a_id__in=person_ids)
            | Q(org_b_id=org, person_b_id__in=person_ids)
        )
    return qs.order_by("urgency_rank", "created_at", "id")


@dataclass(frozen=True)
class OwnCase:
    """A case of the actor's organisation that one of its persons in a pair belongs to."""

    pk: Any
    reference: str


@dataclass(frozen=True)
class QueueRow:
    """One pair of the queue: our own side by name and case (our data), theirs by organisation."""

    pair: MatchPair
    urgency: str
    own_person_id: Any
    # Empty when the reviewer may not see this record (a restricted case of another team).
    own_name: str
    own_cases: list[OwnCase]
    other_org: str
    linked: bool
    # A duplicate pair: the other record is ours too, so it is named as well.
    twin_person_id: Any = None
    twin_name: str = ""

    @property
    def urgency_label(self) -> str:
        return str(QueueUrgency(self.urgency).label) if self.urgency else ""


def _own_sides(actor: Actor, person_ids: list[Any]) -> tuple[dict[Any, str], dict[Any, list]]:
    """Names and case references of our own persons, as far as the actor may see them."""
    visible = registry.person_visible_list(actor=actor, ids=person_ids)
    names = {p.pk: p.display_name for p in visible}
    cases: dict[Any, list[OwnCase]] = {}
    for person_id, case_id, reference in registry.person_case_references(
        actor=actor, person_ids=list(names)
    ):
        cases.setdefault(person_id, []).append(OwnCase(case_id, reference))
    return names, cases


def queue_rows(*, actor: Actor, pairs: list[MatchPair]) -> list[QueueRow]:
    """The queue's page as rows naming our own side; never the other side's person."""
    org = actor.organisation_id
    twins = {p.pk: p.other_person_id(org) for p in pairs if p.kind == PairKind.DUPLICATE}
    names, cases = _own_sides(actor, [p.own_person_id(org) for p in pairs] + list(twins.values()))
    ranks = {i: u for u, i in URGENCY_RANK.items()}
    rows = []
    for pair in pairs:
        own = pair.own_person_id(org)
        other = pair.org_b if pair.side_of(org) == "a" else pair.org_a
        rank = getattr(pair, "urgency_rank", None)
        rows.append(
            QueueRow(
                pair=pair,
                urgency=ranks.get(rank, ""),
                own_person_id=own,
                own_name=names.get(own, ""),
                own_cases=cases.get(own, []),
                other_org=other.name if pair.kind == PairKind.CROSS_ORG else "",
                linked=pair.status == PairStatus.LINKED,
                twin_person_id=twins.get(pair.pk),
                twin_name=names.get(twins.get(pair.pk), ""),
            )
        )
    return rows


def queue_search(*, actor: Actor, query: str) -> list[Any]:
    """Our own persons whose name, phone or case reference matches (a POSTed search; audited by
    the registry's person search without the query)."""
    from setu.registry import selectors as registry

    query = (query or "").strip()
    if not query:
        return []
    org = actor.organisation_id
    ids = set(
        registry.person_search(actor=actor, query=query)
        .filter(owner_org_id=org)
        .values_list("pk", flat=True)[:500]
    )
    cases = registry.case_list(actor=actor).filter(owner_org_id=org, reference__icontains=query)
    ids.update(registry.case_person_ids(cases=cases[:50]))
    return list(ids)


@dataclass(frozen=True)
class PersonPair:
    """A live pair of one of our persons, in words: with whom, and linked or still possible."""

    pair_id: Any
    kind: str
    other_org: str
    linked: bool
    status: str


def person_pairs(*, actor: Actor, person_ids: list[Any]) -> dict[Any, list[PersonPair]]:
    """Live pairs (waiting or linked) of these persons of the actor's organisation."""
    if not policy.allowed(actor, Action.VIEW, "matching.matchpair"):
        return {}
    org = actor.organisation_id
    qs = pair_list(actor=actor).filter(
        status__in=(PairStatus.OPEN, PairStatus.LINK_REQUESTED, PairStatus.LINKED)
    )
    qs = qs.filter(
        Q(org_a_id=org, person_a_id__in=person_ids) | Q(org_b_id=org, person_b_id__in=person_ids)
    ).order_by("-status", "created_at")
    out: dict[Any, list[PersonPair]] = {}
    for pair in qs:
        other = pair.org_b if pair.side_of(org) == "a" else pair.org_a
        mine = [pid for pid in (pair.person_a_id, pair.person_b_id) if pid in set(person_ids)]
        for pid in mine:
            out.setdefault(pid, []).append(
                PersonPair(
                    pair.pk,
                    pair.kind,
                    other.name,
                    pair.status == PairStatus.LINKED,
                    pair.get_status_display(),
                )
            )
    return out


def case_pairs(*, actor: Actor, case_id: Any) -> list[tuple[Person, list[PersonPair]]]:
    """The persons of one of our cases that have live pairs, with those pairs."""
    from setu.registry import selectors as registry

    case = registry.case_list(actor=actor).filter(pk=case_id, owner_org_id=actor.organisation_id)
    if not case.exists():
        raise NotFound(action=Action.VIEW, target=("registry.case", str(case_id), None))
    persons = list(registry.case_person_list(actor=actor, case_id=case_id))
    pairs = person_pairs(actor=actor, person_ids=[p.pk for p in persons])
    return [(p, pairs[p.pk]) for p in persons if p.pk in pairs]


@dataclass(frozen=True)
class RecordLink:
    """One of our records linked (both sides confirmed) with another organisation's record."""

    person_id: Any
    pair_id: Any
    organisation_id: Any
    organisation: str
    linked_at: datetime.datetime | None


def link_list(*, actor: Actor, person_id: Any = None) -> list[RecordLink]:
    """With which organisation each of our records is linked (no other-side person data)."""
    policy.require_allowed(actor, Action.VIEW, "matching.matchpair")
    org = actor.organisation_id
    qs = pair_list(actor=actor, status=PairStatus.LINKED, kind=PairKind.CROSS_ORG)
    if person_id is not None:
        qs = qs.filter(Q(person_a_id=person_id) | Q(person_b_id=person_id))
    out = []
    for pair in qs.prefetch_related("links").order_by("created_at", "id"):
        live = [link for link in pair.links.all() if link.ended_at is None]
        other_id = pair.other_org_id(org)
        out.append(
            RecordLink(
                person_id=pair.own_person_id(org),
                pair_id=pair.pk,
                organisation_id=other_id,
                organisation=(pair.org_b if pair.side_of(org) == "a" else pair.org_a).name,
                linked_at=live[0].linked_at if live else None,
            )
        )
    return out


def pair_count(*, actor: Actor, awaiting: bool = True) -> int:
    """How many pairs wait for the actor's organisation."""
    if not policy.allowed(actor, Action.VIEW, "matching.matchpair"):
        return 0
    return pair_list(actor=actor, awaiting=awaiting).count()


def other_org_contacts(*, actor: Actor, pairs: list[MatchPair]) -> dict[Any, dict[str, str]]:
    """For each other organisation in these pairs: its name, phone and designated contact."""
    from setu.matching.services import contact_name

    ids = {p.other_org_id(actor.organisation_id) for p in pairs if p.kind == PairKind.CROSS_ORG}
    return {
        o.pk: {"name": o.name, "phone": o.phone, "contact": contact_name(o)}
        for o in org_selectors.organisations_by_id(ids=ids).values()
    }


def pair_get(*, actor: Actor, pair_id: Any) -> MatchPair:
    """One pair the actor's organisation is part of; NotFound otherwise."""
    pair = pair_list(actor=actor).filter(pk=pair_id).first()
    if pair is None:
        raise NotFound(action=Action.VIEW, target=("matching.matchpair", str(pair_id), None))
    return pair


@dataclass(frozen=True)
class EvidenceRow:
    """One field of a pair: our value, theirs (only when revealed) and a sentence.

    ``own`` and ``other`` are the engine's values (the API's, in its English); the pages show
    ``own_text`` and ``other_text``, the same values in the reader's language
    (``engine.value_text``).
    """

    field: str
    label: str
    own: str
    other: str | None
    text: str
    weight: float
    own_text: str = ""
    other_text: str | None = None


@dataclass
class PairReview:
    """A pair seen from one organisation: everything a reviewer may see, nothing more."""

    pair: MatchPair
    side: str
    own_person: Person
    other_org: Organisation
    other_revealed: bool
    summary: str
    rows: list[EvidenceRow] = field(default_factory=list)
    can_respond: bool = False
    can_unlink: bool = False
    own_state: str = ""
    other_state: str = ""
    links: list[MatchLink] = field(default_factory=list)

    @property
    def own_answer(self) -> str:
        """Our organisation's answer, in words of the reader's language."""
        return str(SideState(self.own_state).label) if self.own_state else ""

    @property
    def other_answer(self) -> str:
        """The other organisation's answer, in words of the reader's language."""
        return str(SideState(self.other_state).label) if self.other_state else ""


LABELS = {
    "given_name": gettext_lazy("Name"),
    "sex": gettext_lazy("Sex"),
    "birth": gettext_lazy("Birth or age"),
    "family_name": gettext_lazy("Family name"),
    "father_name": gettext_lazy("Father's name"),
    "mother_name": gettext_lazy("Mother's name"),
    "village": gettext_lazy("Village"),
    "place": gettext_lazy("Home district"),
    "phone": gettext_lazy("Phone"),
}


def _identity_consented(person_id: Any, organisation_id: Any) -> bool:
    """Whether the person agreed their identity may be shared with this organisation (or all)."""
    return consent_selectors.identity_consented(
        person_id=person_id, organisation_id=organisation_id
    )


@policy.system_read
def _record_of(person_id: Any) -> PersonRecord | None:
    mr = MatchRecord.objects.filter(person_id=person_id).first()
    if mr is not None:
        return engine.record_from_data(mr.data)
    person = records.persons_for_records().filter(pk=person_id).first()
    return records.person_record(person) if person else None


def pair_review(*, actor: Actor, pair_id: Any) -> PairReview:
    """A pair side by side for a reviewer (audited: it shows the own person's identity)."""
    pair = pair_get(actor=actor, pair_id=pair_id)
    org = actor.organisation_id
    side = pair.side_of(org)
    own_id, other_id = pair.own_person_id(org), pair.other_person_id(org)
    own_person = registry.person_for_system(person_id=own_id)
    other_org = org_selectors.organisation_for_system(organisation_id=pair.other_org_id(org))
    same_org = pair.kind == PairKind.DUPLICATE
    revealed = same_org or (pair.status == PairStatus.LINKED and _identity_consented(other_id, org))
    own_rec, other_rec = _record_of(own_id), _record_of(other_id)
    rows: list[EvidenceRow] = []
    summary = ""
    if own_rec is not None and other_rec is not None:
        ex = engine.explain(own_rec, other_rec)
        # Sentences in the reader's language from the engine's stable level codes (the
        # engine's own texts are English): the values sit in their own columns.
        if revealed:
            summary = engine.summary_text(ex)
            for ev in ex.fields:
                text = engine.evidence_text(ev.field, ev.level)
                rows.append(
                    EvidenceRow(
                        ev.field,
                        LABELS[ev.field],
                        ev.left,
                        ev.right,
                        text,
                        ev.weight,
                        engine.value_text(ev.field, own_rec),
                        engine.value_text(ev.field, other_rec),
                    )
                )
        else:
            # Their values never leave their organisation: words only, and our own values.
            own_values = {ev.field: ev.left for ev in ex.fields}
            summary = engine.verdict_text(ex)
            for fname, text, weight in engine.value_free_evidence(ex):
                rows.append(
                    EvidenceRow(
                        fname,
                        LABELS[fname],
                        own_values.get(fname, ""),
                        None,
                        text,
                        weight,
                        engine.value_text(fname, own_rec),
                    )
                )
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=own_person,
        details={"via": "match_review", "pair": str(pair.pk)},
    )
    return PairReview(
        pair=pair,
        side=side,
        own_person=own_person,
        other_org=other_org,
        other_revealed=revealed and not same_org,
        summary=summary,
        rows=rows,
        can_respond=pair.status in (PairStatus.OPEN, PairStatus.LINK_REQUESTED)
        and getattr(pair, f"{side}_state") == "pending",
        can_unlink=pair.status == PairStatus.LINKED,
        own_state=getattr(pair, f"{side}_state"),
        other_state=getattr(pair, f"{'b' if side == 'a' else 'a'}_state"),
        links=list(pair.links.all()),
    )


# --- the minimal view of a linked record ------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a linked record's history: kind, date and district/state; no narrative."""

    what: str
    kind: str
    date: datetime.date | None
    district: str
    state: str
    open: bool = False


def linked_history(*, actor: Actor, pair_id: Any) -> list[HistoryEntry]:
    """The other record's earlier rescues, open missing reports and services (audited view)."""
    pair = policy.scope(actor, MatchPair.objects.filter(pk=pair_id), Action.VIEW_LINKED).first()
    if pair is None:
        raise NotFound(action=Action.VIEW_LINKED, target=("matching.matchpair", str(pair_id), None))
    other_id = pair.other_person_id(actor.organisation_id)
    rows = registry.person_minimal_history(
        person_id=other_id, event_kinds=[*records.FOUND_KINDS, EventKind.MISSING_REPORTED]
    )
    out = [HistoryEntry(r.kind, r.label, r.on, r.district, r.state, open=r.open) for r in rows]
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("registry.person", str(other_id), pair.other_org_id(actor.organisation_id)),
        details={"via": "match_link", "pair": str(pair.pk), "fields": "minimal_history"},
    )
    return out


# --- alerts --------------------------------------------------------------------------------


def alert_list(
    *, actor: Actor, open_only: bool = False, kind: str | None = None
) -> QuerySet[MatchAlert]:
    """Alerts to the actor's organisation, newest first."""
    qs = policy.scope(
        actor, MatchAlert.objects.select_related("person", "district", "state"), Action.VIEW
    )
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def alert_count(*, actor: Actor, open_only: bool = False) -> int:
    """How many alerts the actor's organisation has (unacknowledged only, with ``open_only``)."""
    return alert_list(actor=actor, open_only=open_only).count()


def alert_get(*, actor: Actor, alert_id: Any) -> MatchAlert:
    """One alert of the actor's organisation (audited: it names one of its persons)."""
    alert = alert_list(actor=actor).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(action=Action.VIEW, target=("matching.matchalert", str(alert_id), None))
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("matching.matchalert", str(alert.pk), alert.organisation_id),
    )
    return alert


# --- check before creating --------------------------------------------------------------------


@dataclass
class CheckResult:
    """Likely existing records in the own organisation (with evidence) and, elsewhere, counts."""

    # (person, probability, reasons (``engine.Reasons``), rating "strong" or "possible"),
    # strongest first.
    own: list[tuple[Person, float, Any, str]]
    other_count: int
    other_orgs: list[str]

    @property
    def strong(self) -> bool:
        """Whether a record of the own organisation is probably this person: saving then
        needs a reason (``registry.services.person_create``)."""
        return any(rating == "strong" for _p, _pr, _ex, rating in self.own)


_RATING_ORDER = {"strong": 0, "possible": 1}


def _rated(
    record: PersonRecord, candidates: list[Any], limit: int
) -> list[tuple[Any, float, Any, str]]:
    """Candidates the check shows, rated by ``engine.check_rating``, strong ones first."""
    from setu.matching.services import scored_candidates

    # Every candidate is scored: a name alone stays below the engine's thresholds.
    scored = scored_candidates(record, candidates, min_probability=0.0, limit=limit)
    rated = [(m, p, ex, engine.check_rating(p, ex)) for m, p, ex in scored]
    rated = [row for row in rated if row[3]]
    rated.sort(key=lambda row: (_RATING_ORDER[row[3]], -row[1]))
    return rated


def _own_rated(actor: Actor, record: PersonRecord) -> list[tuple[Person, float, Any, str]]:
    """The actor's organisation's records the check shows, as persons the actor may see."""
    from setu.matching.services import candidate_records

    own_c = candidate_records(record, organisation_id=actor.organisation_id, cross_org=False)
    rated = _rated(record, own_c, limit=20)
    visible = {
        p.pk: p
        for p in registry.person_visible_list(
            actor=actor, ids=[m.person_id for m, _p, _e, _r in rated], active_only=True
        )
    }
    # The reasons in the reader's language, with both records' values: the typed draft and
    # the organisation's own record (the engine's own texts are English).
    return [
        (visible[m.person_id], p, engine.reasons(ex, record, engine.record_from_data(m.data)), r)
        for m, p, ex, r in rated
        if m.person_id in visible
    ]


@policy.system_read
def _network_rated(record: PersonRecord, organisation_id: Any) -> list[tuple[Any, Any]]:
    """(person id, organisation) of other organisations' records the check rates as possibly
    this person. Only records whose consent allows matching with ``organisation_id`` count.
    The network's index is what the check searches; row-level security shows an organisation
    only its own index rows. The records' data is scored here and does not leave."""
    from setu.matching.services import candidate_records

    found = candidate_records(record, organisation_id=organisation_id, cross_org=True)
    return [(m.person_id, m.organisation_id) for m, _p, _e, _r in _rated(record, found, limit=50)]


def check_record(*, actor: Actor, record: PersonRecord) -> CheckResult:
    """Who in the actor's organisation (fully) and in others (count and names) may be this
    person; the name alone is enough, what else is given refines it (``engine.check_rating``)."""

    policy.require_allowed(actor, Action.CREATE, "registry.person")
    org = actor.organisation_id
    # Which fields were given, never what they hold: the audit trail records no names.
    given = sorted(
        f.name
        for f in dataclass_fields(record)
        if f.name not in ("record_id", "org") and getattr(record, f.name) not in ("", None)
    )
    per_minute = int(getattr(settings, "SETU_MATCH_CHECKS_PER_MINUTE", 30))
    # Each check searches the whole network's index: unthrottled, it is a way to probe it.
    if not ratelimit.allow(f"match-check:{actor.user.pk}", limit=per_minute):
        audit.record(
            actor=actor,
            action=AuditAction.LIST,
            outcome=Outcome.DENIED,
            target=("registry.person", "", org),
            details={"via": "match_check", "refused": "rate_limited", "fields": given},
        )
        raise RateLimited(retry_after=60)
    own = _own_rated(actor, record)[:5]
    net = _network_rated(record, org)
    # An index entry may predate a consent that lapsed since: the consent rows decide.
    live = records.matching_consents([person_id for person_id, _o in net])
    net = [row for row in net if live[row[0]].allows(org)]
    org_ids = {organisation_id for _p, organisation_id in net}
    names = sorted(o.name for o in org_selectors.organisations_by_id(ids=org_ids).values())
    audit.record(
        actor=actor,
        action=AuditAction.LIST,
        target=("registry.person", "", org),
        details={"via": "match_check", "own": len(own), "elsewhere": len(net), "fields": given},
    )
    return CheckResult(own=own, other_count=len(net), other_orgs=names)


def strong_duplicates(actor: Actor, draft: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """(id, name) of the actor's organisation's records that are strong candidates for the
    person about to be created (``registry.hooks.on_find_duplicates``; the create is audited
    with them, so this read is not audited again)."""
    record = records.draft_record(dict(draft))
    if not (record.given_name or record.family_name or record.alias):
        return []
    return [
        (person.pk, person.display_name)
        for person, _p, _ex, rating in _own_rated(actor, record)
        if rating == "strong"
    ]


@dataclass(frozen=True)
class PersonMatchStatus:
    """Progress of the background check of one person, and what it found (counts only)."""

    checking: bool
    duplicates: int
    cross_org: int
    # MatchingReach: the whole network, named organisations only, or the own organisation only.
    reach: str = MatchingReach.OWN
    # The organisations named by the person's consent (when ``reach`` is named), by name.
    matching_with: list[str] = field(default_factory=list)


def person_match_status(*, actor: Actor, person_id: Any) -> PersonMatchStatus:
    """Whether a person's check is still running and how many pairs it has (their own org only)."""
    person = registry.person_in_scope(actor=actor, person_id=person_id, action=Action.EDIT)
    if person is None:
        raise NotFound(action=Action.VIEW, target=("registry.person", str(person_id), None))
    mr = MatchRecord.objects.filter(person_id=person.pk).first()
    checking = (
        mr is None
        or mr.checked_at is None
        or (mr.queued_at is not None and mr.queued_at > mr.checked_at)
    )
    # Still possible matches only: a linked pair is listed as "Linked with ..." instead.
    pairs = MatchPair.objects.filter(Q(person_a_id=person.pk) | Q(person_b_id=person.pk)).filter(
        status__in=(PairStatus.OPEN, PairStatus.LINK_REQUESTED)
    )
    dup = sum(1 for k in pairs.values_list("kind", flat=True) if k == PairKind.DUPLICATE)
    reach = mr.reach if mr is not None else MatchingReach.OWN
    names: list[str] = []
    if mr is not None and reach == MatchingReach.NAMED:
        names = sorted(
            o.name for o in org_selectors.organisations_by_id(ids=mr.matching_orgs).values()
        )
    return PersonMatchStatus(
        checking=checking,
        duplicates=dup,
        cross_org=pairs.count() - dup,
        reach=reach,
        matching_with=names,
    )


# --- calibration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandStats:
    """Reviewers' decisions on pairs whose score fell in one band."""

    low: float
    high: float
    confirmed: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    @property
    def precision(self) -> float | None:
        return self.confirmed / self.decided if self.decided else None


@policy.system_read
def _band_stats() -> list[BandStats]:
    """Every organisation's reviewers' decisions by score band (counts only): the notice
    threshold is the network's, while row-level security shows an organisation the decisions
    on its own pairs only (``access 0008``)."""
    rows = MatchDecision.objects.values_list("decision", "probability")
    edges = [*BAND_EDGES, 1.0001]
    counts = [[0, 0] for _ in BAND_EDGES]
    for decision, p in rows:
        for i in range(len(BAND_EDGES)):
            if edges[i] <= p < edges[i + 1]:
                counts[i][0 if decision == Decision.CONFIRM else 1] += 1
                break
    return [
        BandStats(BAND_EDGES[i], min(edges[i + 1], 1.0), c, r) for i, (c, r) in enumerate(counts)
    ]


def notice_threshold(stats: list[BandStats] | None = None) -> float:
    """The lowest band edge from which reviewers' confirmed precision stays at the target.

    Starts at the engine's "possible" threshold; a band with enough decisions and precision below
    the target lifts the threshold above it. Strong matches are always raised.
    """
    stats = stats if stats is not None else _band_stats()
    threshold = engine.POSSIBLE
    for band in stats:
        if band.low >= engine.STRONG:
            break
        if band.decided >= MIN_DECISIONS and (band.precision or 0) < TARGET_PRECISION:
            threshold = band.high
        elif band.low >= threshold:
            break
    return min(threshold, engine.STRONG)


@dataclass(frozen=True)
class Calibration:
    bands: list[BandStats]
    threshold: float
    target: float
    min_decisions: int


def calibration(*, actor: Actor) -> Calibration:
    """Decisions by score band across the network (counts only) and the resulting threshold."""
    policy.require_allowed(actor, Action.VIEW, "matching.calibration")
    stats = _band_stats()
    return Calibration(stats, notice_threshold(stats), TARGET_PRECISION, MIN_DECISIONS)
