"""Reads of the legal context through the access policy: proceedings, a legal officer's
calendar, statutory periods, stale cases, and the case bundle. Detail reads are audited."""

from __future__ import annotations

import calendar as cal
import datetime
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import F, FloatField, Func, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import NotFound
from setu.legal import hooks, statutes
from setu.legal.models import (
    FINISHED_STAGES,
    Accused,
    AdjournmentReason,
    Appeal,
    AppealStatus,
    Custody,
    Hearing,
    HearingOutcome,
    Judgment,
    Proceeding,
    ProtectionMeasure,
    Track,
    Verdict,
    WitnessPlan,
    WitnessPlanStatus,
)

# A proceeding with no hearing for this long is stale.
STALE_AFTER_DAYS = 90
# A statutory period is flagged this many days before it runs out.
WARN_DAYS = 14


def proceeding_list(
    *,
    actor: Actor,
    case_id: UUID | None = None,
    track: str = "",
    mine: bool = False,
) -> QuerySet[Proceeding]:
    """Proceedings the actor may see (of one case, one track, or assigned to the actor)."""
    qs = policy.scope(actor, Proceeding.objects.all(), Action.VIEW)
    if case_id:
        qs = qs.filter(case_id=case_id)
    if track:
        qs = qs.filter(track=track)
    if mine:
        qs = qs.filter(legal_officer_id=actor.user.pk)
    return qs.select_related("case", "district", "legal_officer").order_by("-created_at")


def proceeding_get(*, actor: Actor, proceeding_id: Any, action: Action = Action.VIEW) -> Proceeding:
    """One proceeding with its accused, verdicts, measures and hearings; a VIEW is audited."""
    proceeding = (
        policy.scope(actor, Proceeding.objects.all(), Action.VIEW)
        .select_related("case", "district", "legal_officer", "owner_org")
        .prefetch_related(
            Prefetch("accused", queryset=Accused.objects.prefetch_related("judgments")),
            "measures",
            # The witness plan's status is shown on each hearing (no query per row).
            Prefetch("hearings", queryset=Hearing.objects.select_related("witness_plan")),
            APPEALS,
        )
        .filter(pk=proceeding_id)
        .first()
    )
    if proceeding is None:
        raise NotFound(action=action, target=("legal.proceeding", str(proceeding_id), None))
    if action != Action.VIEW:
        policy.require(actor, action, proceeding)
    else:
        audit.record(actor=actor, action=AuditAction.VIEW, target=proceeding)
    return proceeding


# A proceeding's appeals with their court's place and the verdicts appealed (and whose).
APPEALS = Prefetch(
    "appeals",
    queryset=Appeal.objects.select_related("state", "district", "appeal_from").prefetch_related(
        Prefetch("judgments", queryset=Judgment.objects.select_related("accused"))
    ),
)


def has_assigned(*, actor: Actor) -> bool:
    """Whether any proceeding the actor may see is assigned to her."""
    return proceeding_list(actor=actor, mine=True).exists()


def _child_get(model: type[Any], actor: Actor, pk: Any, action: Action) -> Any:
    obj = (
        policy.scope(actor, model.objects.all(), Action.VIEW)
        .select_related("proceeding")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise NotFound(action=action, target=(model._meta.label_lower, str(pk), None))
    if action != Action.VIEW:
        policy.require(actor, action, obj)
    return obj


def hearing_get(*, actor: Actor, hearing_id: Any, action: Action = Action.VIEW) -> Hearing:
    """One hearing (``action=EDIT`` to record its outcome)."""
    return _child_get(Hearing, actor, hearing_id, action)


def accused_get(*, actor: Actor, accused_id: Any, action: Action = Action.VIEW) -> Accused:
    """One accused (``action=EDIT`` to record custody or a verdict)."""
    return _child_get(Accused, actor, accused_id, action)


def accused_verdict_count(*, accused: Accused) -> int:
    """How many verdicts are recorded on an accused the caller already read (for a confirmation)."""
    return accused.judgments.count()


def appeal_get(*, actor: Actor, appeal_id: Any, action: Action = Action.VIEW) -> Appeal:
    """One appeal (``action=EDIT`` to correct it, record its decision or remove it)."""
    return _child_get(Appeal, actor, appeal_id, action)


def appeal_judgment_ids(*, appeal: Appeal) -> list[str]:
    """The ids of the verdicts an appeal the caller already read is against (form initial)."""
    return [str(pk) for pk in appeal.judgments.values_list("pk", flat=True)]


def proceeding_accused(*, proceeding: Proceeding) -> list[Accused]:
    """The accused of a proceeding the caller already read, with their verdicts."""
    return list(proceeding.accused.prefetch_related("judgments"))


def measure_get(
    *, actor: Actor, measure_id: Any, action: Action = Action.VIEW
) -> ProtectionMeasure:
    """One protection measure (``action=EDIT`` to correct or remove it)."""
    return _child_get(ProtectionMeasure, actor, measure_id, action)


def can_edit(*, actor: Actor, proceeding: Proceeding) -> bool:
    """Whether the actor may write this proceeding (for showing forms)."""
    return policy.can(actor, Action.EDIT, proceeding)


def can_create(*, actor: Actor) -> bool:
    """Whether the actor may open proceedings at all."""
    return policy.allowed(actor, Action.CREATE, "legal.proceeding")


def require_reader(*, actor: Actor) -> None:
    """Refuse (audited) an actor whose role reads no proceedings."""
    policy.require_allowed(actor, Action.VIEW, "legal.proceeding")


def section_choices() -> list[tuple[str, str]]:
    """The versioned list of sections, as form choices."""
    return [(code, s.label) for code, s in statutes.sections().items()]


def case_for_legal(*, actor: Actor, case_id: Any) -> Any:
    """The case (through the registry's selector, which audits the read)."""
    from setu.registry import selectors as registry_selectors

    return registry_selectors.case_get(actor=actor, case_id=case_id)


def case_claims(*, actor: Actor, case_id: Any) -> list[Any]:
    """The case's compensation claims the actor may see (entitlements' selector)."""
    from setu.entitlements import selectors as entitlements

    return list(entitlements.claim_list(actor=actor, case_id=case_id))


# --- Calendar ---------------------------------------------------------------------------------


@dataclass(slots=True)
class CalendarHearing:
    """A hearing as the calendar shows it: plain values, not a model row (a busy month has
    thousands, and building models for them and their proceedings was most of the page's time).
    ``link`` is filled by the page."""

    id: UUID
    proceeding_id: UUID
    on: datetime.date
    court: str
    purpose: str
    outcome: str
    adjournment_reason: str
    survivor_needed: bool
    label: str
    outcome_label: str
    link: str = ""
    # A scheduled hearing within WITNESS_ALERT_DAYS whose inter-state witness plan is not ready.
    witness_unready: bool = False


@dataclass
class Day:
    """One day of the calendar with its hearings."""

    date: datetime.date
    hearings: list[CalendarHearing] = field(default_factory=list)


CALENDAR_FIELDS = (
    "pk",
    "proceeding_id",
    "on",
    "court",
    "purpose",
    "outcome",
    "adjournment_reason",
    "survivor_needed",
    "proceeding__track",
    "proceeding__title",
    "proceeding__fir_number",
    "proceeding__police_station",
    "witness_plan__status",
)


def calendar_month(*, actor: Actor, year: int, month: int, mine: bool = True) -> list[Day]:
    """Hearings of the month across the actor's proceedings (``mine``: those assigned to her),
    as the days that have any, in date order (the agenda a phone shows)."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, cal.monthrange(year, month)[1])
    # The proceedings first (a hearing is seen exactly when its proceeding is, `legal.hearing`
    # VIEW), narrowed to hers before the policy's case list is applied: SQLite would otherwise
    # build the list of every proceeding of the organisation (100,000: a second) for each month.
    proceedings = Proceeding.objects.all()
    if mine:
        proceedings = proceedings.filter(legal_officer_id=actor.user.pk)
    visible = policy.scope(actor, proceedings, Action.VIEW).values("pk")
    qs = Hearing.objects.filter(proceeding__in=visible, on__gte=first, on__lte=last)
    rows = qs.order_by("on", "court", "created_at").values_list(*CALENDAR_FIELDS)
    days: dict[datetime.date, Day] = {}
    # Labels worked out once per proceeding and outcome, not per row (a busy month: 2,000).
    labels: dict[Any, str] = {}
    outcome_labels = {value: str(label) for value, label in HearingOutcome.choices}
    today = timezone.localdate()
    for pk, proceeding_id, on, court, purpose, outcome, reason, needed, *named, plan in rows:
        if proceeding_id not in labels:
            track, title, fir_number, station = named
            labels[proceeding_id] = str(
                Proceeding(track=track, title=title, fir_number=fir_number, police_station=station)
            )
        hearing = CalendarHearing(
            id=pk,
            proceeding_id=proceeding_id,
            on=on,
            court=court,
            purpose=purpose,
            outcome=outcome,
            adjournment_reason=reason,
            survivor_needed=needed,
            label=labels[proceeding_id],
            outcome_label=outcome_labels.get(outcome, ""),
            witness_unready=witness_unready(plan, on=on, outcome=outcome, today=today),
        )
        days.setdefault(on, Day(on)).hearings.append(hearing)
    return list(days.values())


# How many days before a hearing a witness plan that is not ready is flagged: time enough to
# book a train across states and find an escort.
WITNESS_ALERT_DAYS = 7


def witness_unready(
    status: str | None, *, on: datetime.date, outcome: str, today: datetime.date
) -> bool:
    """Whether a hearing's witness plan (``status``; None when it has none) needs work now."""
    return (
        status is not None
        and status != WitnessPlanStatus.READY
        and outcome == HearingOutcome.SCHEDULED
        and today <= on <= today + datetime.timedelta(days=WITNESS_ALERT_DAYS)
    )


def witness_plan_get(
    *, actor: Actor, hearing_id: Any, action: Action = Action.VIEW
) -> tuple[Hearing, WitnessPlan | None]:
    """A hearing and its witness plan (None before one is made); a VIEW is audited, as the plan
    says how and with whom a survivor travels."""
    hearing = _child_get(Hearing, actor, hearing_id, action)
    plan = (
        policy.scope(actor, WitnessPlan.objects.all(), Action.VIEW).filter(hearing=hearing).first()
    )
    if action == Action.VIEW and plan is not None:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            target=plan,
            target_org_id=hearing.proceeding.owner_org_id,
        )
    return hearing, plan


def month_weeks(
    *, year: int, month: int, days: list[Day], first_weekday: int = 0
) -> list[list[Day | None]]:
    """The month as weeks of seven cells for the grid (``None`` outside the month), every day of
    the month present, with its hearings from ``days``. ``first_weekday``: 0 is Sunday, as
    Django's ``FIRST_DAY_OF_WEEK``."""
    by_date = {day.date: day for day in days}
    weeks = cal.Calendar(firstweekday=(first_weekday - 1) % 7).monthdatescalendar(year, month)
    return [
        [by_date.get(date, Day(date)) if date.month == month else None for date in week]
        for week in weeks
    ]


# --- Statutory periods ------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A statutory period of one proceeding: what is due, by when, and the legal source."""

    proceeding: Proceeding
    code: str
    title: str
    source: str
    starts_on: datetime.date
    due_on: datetime.date
    subject: str = ""

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def status(self) -> str:
        if self.days_left < 0:
            return "overdue"
        return "soon" if self.days_left <= WARN_DAYS else "running"


def _period(proceeding: Proceeding, code: str, start: datetime.date, subject: str) -> Deadline:
    period = statutes.periods()[code]
    return Deadline(
        proceeding=proceeding,
        code=code,
        title=period.title,
        source=period.source,
        starts_on=start,
        due_on=start + datetime.timedelta(days=period.days),
        subject=subject,
    )


@dataclass(frozen=True)
class AppealWindow:
    """The statutory period an appeal was filed in: against an acquittal (90 days) or a
    conviction (60 days) from the verdicts appealed, with its source; ``late_by`` is how many
    days after the window it was filed (0: in time; late needs condonation of the delay)."""

    period: Deadline
    late_by: int


def appeal_window(appeal: Appeal, proceeding: Proceeding) -> AppealWindow | None:
    """The appeal window shown against one appeal (its verdicts prefetched); a further appeal's
    runs from the earlier appeal's decision."""
    earlier = appeal.appeal_from
    if earlier is not None and earlier.decided_on is not None:
        period = _period(proceeding, "appeal_further", earlier.decided_on, "")
        return AppealWindow(period, max(0, (appeal.filed_on - period.due_on).days))
    judgments = list(appeal.judgments.all())
    verdicts = {j.verdict for j in judgments}
    start = max((j.decided_on for j in judgments), default=proceeding.judgment_on)
    if start is None:
        return None
    code = "appeal_acquittal" if Verdict.ACQUITTED in verdicts else "appeal_conviction"
    if not verdicts:
        code = "appeal_acquittal" if appeal.appellant != "accused" else "appeal_conviction"
    period = _period(proceeding, code, start, "")
    return AppealWindow(period, max(0, (appeal.filed_on - period.due_on).days))


def appeal_list(proceeding: Proceeding) -> list[tuple[Appeal, AppealWindow | None]]:
    """A read proceeding's appeals (prefetched by ``proceeding_get``), each with its window."""
    return [(appeal, appeal_window(appeal, proceeding)) for appeal in proceeding.appeals.all()]


def proceeding_deadlines(
    proceeding: Proceeding, claims: dict[Any, Any] | None = None
) -> list[Deadline]:
    """The running statutory periods of one proceeding (its accused and judgments prefetched)."""
    found: list[Deadline] = []
    if proceeding.track == Track.CRIMINAL:
        grave = any(
            statutes.sections()[c].grave
            for c in proceeding.sections or []
            if c in statutes.sections()
        )
        code = "default_bail_90" if grave else "default_bail_60"
        accused = list(proceeding.accused.all())
        if not proceeding.chargesheet_on:
            for person in accused:
                if person.custody == Custody.IN_CUSTODY and person.arrested_on:
                    found.append(_period(proceeding, code, person.arrested_on, person.name))
        if proceeding.judgment_on:
            verdicts = {j.verdict for a in accused for j in a.judgments.all()}
            # A window closes once an appeal against such a verdict is filed (an appeal carried
            # over from the single date names no verdicts: it closes both).
            appealed: set[str] = set()
            for appeal in proceeding.appeals.all():
                named = {j.verdict for j in appeal.judgments.all()}
                appealed |= named or {Verdict.ACQUITTED, Verdict.CONVICTED}
            if Verdict.ACQUITTED in verdicts - appealed:
                found.append(_period(proceeding, "appeal_acquittal", proceeding.judgment_on, ""))
            if Verdict.CONVICTED in verdicts - appealed:
                found.append(_period(proceeding, "appeal_conviction", proceeding.judgment_on, ""))
    claim = (claims or {}).get(proceeding.compensation_claim_id)
    if claim is not None:
        for stage in claim.stages.all():
            if stage.outcome == "pending":
                found.append(
                    _period(
                        proceeding,
                        "compensation_decision",
                        stage.filed_on,
                        stage.get_forum_display(),
                    )
                )
    return sorted(found, key=lambda d: d.due_on)


def deadline_list(
    *, actor: Actor, mine: bool = False, include_running: bool = False
) -> list[Deadline]:
    """Statutory periods of the actor's open proceedings, flagged ones (overdue or within
    ``WARN_DAYS``) first by due date; ``include_running`` adds the rest."""
    from setu.entitlements import selectors as entitlements

    qs = (
        proceeding_list(actor=actor, mine=mine)
        .exclude(stage="closed")
        .prefetch_related(
            Prefetch("accused", queryset=Accused.objects.prefetch_related("judgments")),
            Prefetch("appeals", queryset=Appeal.objects.prefetch_related("judgments")),
        )
    )
    proceedings = list(qs)
    claim_ids = {p.compensation_claim_id for p in proceedings if p.compensation_claim_id}
    claims = (
        {c.pk: c for c in entitlements.claim_list(actor=actor).filter(pk__in=claim_ids)}
        if claim_ids
        else {}
    )
    found = [d for p in proceedings for d in proceeding_deadlines(p, claims)]
    if not include_running:
        found = [d for d in found if d.status != "running"]
    return sorted(found, key=lambda d: d.due_on)


# --- Stale cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stale:
    """An open proceeding with no next date, or no hearing for ``STALE_AFTER_DAYS``."""

    proceeding: Proceeding
    last_hearing_on: datetime.date | None
    no_next_date: bool


def stale_list(*, actor: Actor, mine: bool = False) -> list[Stale]:
    """Open criminal proceedings that need chasing, longest-untouched first."""
    today = timezone.localdate()
    cutoff = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    qs = (
        proceeding_list(actor=actor, mine=mine, track=Track.CRIMINAL)
        .exclude(stage__in=FINISHED_STAGES)
        .annotate(last_hearing_on=Max("hearings__on", filter=Q(hearings__on__lte=today)))
        .filter(
            Q(next_hearing_on__isnull=True)
            | Q(next_hearing_on__lt=today)
            | Q(last_hearing_on__lt=cutoff)
            | Q(last_hearing_on__isnull=True, created_at__date__lt=cutoff)
        )
    )
    rows = [
        Stale(p, p.last_hearing_on, p.next_hearing_on is None or p.next_hearing_on < today)
        for p in qs
    ]
    return sorted(
        rows, key=lambda s: (s.last_hearing_on or datetime.date.min, str(s.proceeding.pk))
    )


# --- Case bundle ------------------------------------------------------------------------------


def _timeline(proceeding: Proceeding) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []

    def add(on: datetime.date | None, kind: str, text: str) -> None:
        if on:
            events.append(
                {"date": on.isoformat(), "day": on.strftime("%d-%m-%Y"), "kind": kind, "text": text}
            )

    for name in (
        "fir_date",
        "chargesheet_on",
        "cognisance_on",
        "charges_framed_on",
        "trial_started_on",
        "judgment_on",
    ):
        add(getattr(proceeding, name), name, str(Proceeding._meta.get_field(name).verbose_name))
    for appeal in proceeding.appeals.all():
        court = appeal.court or appeal.get_court_level_display()
        by = f" · {appeal.get_appellant_display()}" if appeal.appellant else ""
        text = f"{gettext('Appeal filed')}: {court}{by}".rstrip(": ")
        if appeal.appeal_from is not None:
            text += " · " + appeal_from_label(appeal.appeal_from)
        add(appeal.filed_on, "appeal", text)
        if appeal.decided_on:
            add(
                appeal.decided_on,
                "appeal_decided",
                f"{gettext('Appeal decided')}: {appeal.get_status_display()}",
            )
    for accused in proceeding.accused.all():
        add(accused.arrested_on, "arrest", f"{accused.name}: {Custody(accused.custody).label}")
        add(accused.bail_on, "bail", accused.name)
        for j in accused.judgments.all():
            add(
                j.decided_on, "verdict", f"{accused.name} · {j.section}: {Verdict(j.verdict).label}"
            )
    for m in proceeding.measures.all():
        add(m.on, "protection", str(m.get_kind_display()))
    for h in proceeding.hearings.all():
        text = str(h.get_outcome_display())
        if h.adjournment_reason:
            text += f": {h.get_adjournment_reason_display()}"
        add(h.on, "hearing", f"{h.court} · {text}" if h.court else text)
    return sorted(events, key=lambda e: e["date"])


def bundle(*, actor: Actor, proceeding_id: Any, fmt: str = "json") -> dict[str, Any]:
    """The legal timeline of a proceeding for a court file, watermarked with who took it and
    when; the export is audited. (The files for download go through
    ``services.bundle_export``: encrypted, and audited there.)"""
    proceeding, data = bundle_unaudited(actor=actor, proceeding_id=proceeding_id)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=proceeding,
        details={
            "format": fmt,
            "events": len(data["timeline"]),
            "annexures": [annexure["key"] for annexure in data["annexures"]],
        },
    )
    return data


def bundle_unaudited(*, actor: Actor, proceeding_id: Any) -> tuple[Proceeding, dict[str, Any]]:
    """The proceeding (Action.EXPORT checked) and its bundle, for a caller that audits it."""
    proceeding = proceeding_get(actor=actor, proceeding_id=proceeding_id, action=Action.EXPORT)
    now = timezone.localtime()
    sections = statutes.sections()
    data = {
        "proceeding": str(proceeding.pk),
        "case": proceeding.case.reference,
        "track": proceeding.track,
        "stage": proceeding.stage,
        "police_station": proceeding.police_station,
        "district": proceeding.district.name if proceeding.district else "",
        "fir_number": proceeding.fir_number,
        "court": proceeding.court,
        "cnr_number": proceeding.cnr_number,
        "sections": [
            {"code": c, "label": sections[c].label if c in sections else c}
            for c in proceeding.sections or []
        ],
        "statute_list_version": statutes.version(),
        "timeline": _timeline(proceeding),
        "appeals": [_appeal_data(appeal, window) for appeal, window in appeal_list(proceeding)],
        "deadlines": [
            {"title": d.title, "due_on": d.due_on.isoformat(), "source": d.source}
            for d in proceeding_deadlines(proceeding)
        ],
        # What other apps add (legal.hooks), under the same watermark and audit entry.
        "annexures": [
            {
                "key": key,
                "title": str(section.title),
                "note": str(section.note),
                "rows": [
                    {
                        "date": row.on.isoformat() if row.on else None,
                        "day": row.on.strftime("%d-%m-%Y") if row.on else "",
                        "text": str(row.text),
                        "source": str(row.source),
                    }
                    for row in section.rows
                ],
            }
            for key, section in hooks.bundle_sections(actor, proceeding.case_id)
        ],
        "watermark": {"user": actor.user.username, "at": now.strftime("%d-%m-%Y %H:%M")},
    }
    return proceeding, data


def appeal_from_label(earlier: Appeal) -> str:
    """How a further appeal names the appeal it is against: its court and decision."""
    court = earlier.court or earlier.get_court_level_display()
    return gettext("against the decision of %(court)s of %(date)s (%(status)s)") % {
        "court": court,
        "date": earlier.decided_on.strftime("%d-%m-%Y") if earlier.decided_on else "",
        "status": earlier.get_status_display(),
    }


def _appeal_data(appeal: Appeal, window: AppealWindow | None) -> dict[str, Any]:
    """One appeal as the bundle carries it (JSON, printable page, PDF)."""

    def day(value: datetime.date | None) -> str:
        return value.strftime("%d-%m-%Y") if value else ""

    return {
        "id": str(appeal.pk),
        "appellant": appeal.get_appellant_display() if appeal.appellant else "",
        "court_level": appeal.get_court_level_display() if appeal.court_level else "",
        "court": appeal.court,
        "district": appeal.district.name if appeal.district else "",
        "state": appeal.state.name if appeal.state else "",
        "cnr_number": appeal.cnr_number,
        "filed_on": appeal.filed_on.isoformat(),
        "filed_day": day(appeal.filed_on),
        "status": appeal.status,
        "status_label": str(appeal.get_status_display()),
        "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else None,
        "decided_day": day(appeal.decided_on),
        # The earlier appeal a further appeal is against (its id in this bundle's "appeals").
        "appeal_from": str(appeal.appeal_from_id) if appeal.appeal_from_id else None,
        "appeal_from_label": appeal_from_label(appeal.appeal_from) if appeal.appeal_from else "",
        "against": [
            f"{j.accused.name} · {j.section}: {Verdict(j.verdict).label}"
            for j in appeal.judgments.all()
        ],
        "window": (
            {
                "title": window.period.title,
                "due_on": window.period.due_on.isoformat(),
                "due_day": day(window.period.due_on),
                "source": window.period.source,
                "late_by_days": window.late_by,
            }
            if window
            else None
        ),
    }


# --- Outcomes ---------------------------------------------------------------------------------

# Cells under this count are hidden outside the owning organisation (the statistics rule for
# legal outcomes, stricter than the general one: convictions in a small court identify people).
OUTCOME_SMALL_CELL = 11

# Grouped by ids where there are ids (names looked up after), so the database hashes small keys.
GROUPINGS = {
    "state": "district__state_id",
    "district": "district_id",
    "police_station": "police_station",
    "court": "court",
}
OUTCOME_COLUMNS = ("proceedings", "chargesheet", "trial", "judgment", "convicted")
# Each average stage duration and the count of proceedings it is taken over.
AVERAGED_OVER = {
    "to_chargesheet": "chargesheet",
    "to_judgment": "judgment",
    "chargesheet_to_charges": "charges",
    "charges_to_judgment": "judgment",
}


@dataclass
class OutcomeRow:
    """One place's counts (None: suppressed), average stage durations in days, conviction rate."""

    label: str
    counts: dict[str, int | None]
    days_to_chargesheet: int | None
    days_to_judgment: int | None
    conviction_rate: int | None  # percent of judged proceedings with a conviction
    # How long the stages between take: chargesheet to charges framed (cognisance and
    # committal), charges framed to judgment (the trial).
    days_chargesheet_to_charges: int | None = None
    days_charges_to_judgment: int | None = None
    # How long the appeals took: filing to the higher court's decision, over decided appeals.
    days_appeal_to_decision: int | None = None
    share: float = 0.0


@dataclass
class ReasonRow:
    """One place's adjourned hearings, in all and per reason (None: suppressed)."""

    label: str
    total: int | None
    counts: dict[str, int | None]
    # (reason's label, count) in the order of the columns.
    cells: list[tuple[str, int | None]] = field(default_factory=list)


@dataclass
class Outcomes:
    """Outcome statistics by one grouping, and the most common adjournment reasons, overall and
    per place; ``year`` (of the FIR or of the judgment, ``year_of``) narrows them to one year."""

    by: str
    rows: list[OutcomeRow]
    reasons: list[tuple[str, int | None, float]]
    suppressed_any: bool
    year: int | None = None
    year_of: str = "fir"
    # The reasons counted anywhere, as (code, label), most common first: the per-place columns.
    reason_columns: list[tuple[str, str]] = field(default_factory=list)
    reason_rows: list[ReasonRow] = field(default_factory=list)
    # Appeals per place: filed, pending, and decided by outcome (columns as (code, label), the
    # outcomes counted anywhere).
    appeal_columns: list[tuple[str, str]] = field(default_factory=list)
    appeal_rows: list[AppealRow] = field(default_factory=list)


@dataclass
class AppealRow:
    """One place's appeals: filed, pending and each decided outcome (None: suppressed)."""

    label: str
    counts: dict[str, int | None]
    # (column's label, count) in the order of ``Outcomes.appeal_columns``.
    cells: list[tuple[str, int | None]] = field(default_factory=list)


# Every appeal's outcome once decided, in the model's order (the CSV's and the API's columns).
APPEAL_DECIDED = [s.value for s in AppealStatus if s != AppealStatus.PENDING]
APPEAL_COLUMNS = ("filed", "pending", *APPEAL_DECIDED)


# Every adjournment reason's code, in the model's order (the CSV's columns).
ADJOURNMENT_REASONS = [reason.value for reason in AdjournmentReason]
# The proceeding's date whose year the year filter looks at.
YEAR_OF = {"fir": "fir_date", "judgment": "judgment_on"}
# Years offered by the filter: Setu's records start with cases from the 2000s.
FIRST_YEAR = 2000


def outcome_years() -> list[int]:
    """The years the outcome pages can be narrowed to, latest first."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _days(value: Any) -> int | None:
    if value is None:
        return None
    return round(float(value))


class _DaysBetween(Func):
    """Whole days from the first date to the second, computed by the database: PostgreSQL
    subtracts dates into days; SQLite compares Julian day numbers (Django's own date arithmetic
    on SQLite calls a Python function per row: seconds at 100,000 proceedings)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )


def _average(row: dict[str, Any], key: str) -> int | None:
    """A row's average stage duration in days. An average over a few of another organisation's
    cases tells their dates, so it is shown only when the cases it is taken over are not a
    small cell."""
    if row["others"] and row[AVERAGED_OVER[key]] < OUTCOME_SMALL_CELL:
        return None
    return _days(row[key])


def _place_names(by: str) -> dict[Any, str]:
    """Names of states or districts by code (the outcome rows are grouped by code)."""
    from setu.orgs import selectors as orgs

    if by == "state":
        return {s.code: s.name for s in orgs.state_list()}
    if by == "district":
        return {d.code: d.name for d in orgs.district_list()}
    return {}


@policy.system_read
def outcomes(
    *, actor: Actor, by: str = "state", year: int | None = None, year_of: str = "fir"
) -> Outcomes:
    """Counts per place of proceedings reaching each stage, durations, conviction rates and
    adjournment reasons (overall and per place), for all years or the proceedings whose FIR or
    judgment fell in ``year``; cells under ``OUTCOME_SMALL_CELL`` hidden unless all the row's
    proceedings are the actor's organisation's own (insights' secondary suppression)."""
    from django.db.models import Avg, Count

    from setu.insights import selectors as insights

    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "legal.outcomes")
    by = by if by in GROUPINGS else "state"
    year_of = year_of if year_of in YEAR_OF else "fir"
    group = GROUPINGS[by]
    names = _place_names(by)
    base = policy.scope(
        actor,
        Proceeding.objects.filter(_in_year("", year, year_of), track=Track.CRIMINAL),
        Action.VIEW_AGGREGATES,
    )
    # Proceedings with a conviction, per place: one grouped query over the verdicts, which
    # carry their proceeding, its organisation, case and place (``services.verdict_placed``),
    # so it reads only the covering index of the place, joining nothing.
    verdicts = Judgment.objects.filter(
        _parts_in_year(year, year_of), verdict=Verdict.CONVICTED, track=Track.CRIMINAL
    )
    convictions = dict(
        policy.scope(actor, verdicts, Action.VIEW_AGGREGATES)
        .values_list(PART_GROUPINGS[by])
        .annotate(n=Count("proceeding", distinct=True))
        .order_by()
    )
    appeal_columns, appeal_rows, appeals_hidden, appeal_days = _appeals(
        actor, by, _parts_in_year(year, year_of), names
    )

    def span(start: str, end: str) -> Any:
        return Avg(_DaysBetween(start, end))

    own = actor.organisation_id
    rows = (
        base.values(group)
        .annotate(
            proceedings=Count("id"),
            chargesheet=Count("id", filter=Q(chargesheet_on__isnull=False)),
            trial=Count("id", filter=Q(trial_started_on__isnull=False)),
            judgment=Count("id", filter=Q(judgment_on__isnull=False)),
            others=Count("id", filter=~Q(owner_org_id=own)),
            to_chargesheet=span("fir_date", "chargesheet_on"),
            to_judgment=span("fir_date", "judgment_on"),
            charges=Count("id", filter=Q(charges_framed_on__isnull=False)),
            chargesheet_to_charges=span("chargesheet_on", "charges_framed_on"),
            charges_to_judgment=span("charges_framed_on", "judgment_on"),
        )
        .order_by()
    )
    found: list[OutcomeRow] = []
    suppressed_any = False
    biggest = 1
    for row in rows:
        label = names.get(row[group], row[group]) or "—"
        row["convicted"] = convictions.get(row[group], 0)
        counts = {c: row[c] for c in OUTCOME_COLUMNS}
        hidden: set[str] = set()
        if row["others"]:
            keyed = {c: v for c, v in counts.items()}
            hidden = insights.suppress(keyed, sums=[], threshold=OUTCOME_SMALL_CELL)
            # A suppressed total would be recovered from the stages; hide the row's detail then.
            if "proceedings" in hidden:
                hidden = set(OUTCOME_COLUMNS)
        shown = {c: (None if c in hidden else v) for c, v in counts.items()}
        suppressed_any = suppressed_any or bool(hidden)
        rate = None
        if shown["judgment"] and shown["convicted"] is not None:
            rate = round(100 * shown["convicted"] / shown["judgment"])
        found.append(
            OutcomeRow(
                label=label,
                counts=shown,
                days_to_chargesheet=_average(row, "to_chargesheet"),
                days_to_judgment=_average(row, "to_judgment"),
                conviction_rate=rate,
                days_chargesheet_to_charges=_average(row, "chargesheet_to_charges"),
                days_charges_to_judgment=_average(row, "charges_to_judgment"),
                days_appeal_to_decision=_appeal_average(row, appeal_days.get(row[group])),
            )
        )
        biggest = max(biggest, shown["proceedings"] or 0)
    found.sort(key=lambda r: str(r.label))
    for r in found:
        r.share = (r.counts["proceedings"] or 0) / biggest
    reasons, columns, reason_rows, reasons_hidden = _adjournments(
        actor, by, _parts_in_year(year, year_of), names
    )
    return Outcomes(
        by,
        found,
        reasons,
        suppressed_any or reasons_hidden or appeals_hidden,
        year=year,
        year_of=year_of,
        reason_columns=columns,
        reason_rows=reason_rows,
        appeal_columns=appeal_columns,
        appeal_rows=appeal_rows,
    )


def outcomes_read(
    *, actor: Actor, channel: str, by: str = "state", year: int | None = None, year_of: str = "fir"
) -> Outcomes:
    """The outcome statistics for the page (``channel="page"``), a CSV file (``"csv"``, an
    export) or the API (``"api"``), the read audited: what was asked, never a count."""
    data = outcomes(actor=actor, by=by, year=year, year_of=year_of)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT if channel == "csv" else AuditAction.VIEW,
        target=("legal.outcomes", "", None),
        details={"by": data.by, "year": data.year, "year_of": data.year_of, "channel": channel},
    )
    return data


def outcomes_payload(data: Outcomes) -> dict[str, Any]:
    """The outcome statistics as the API gives them: the same suppressed counts as the page
    (None where the page says "fewer than 11"), every column named by its code."""
    return {
        "by": data.by,
        "year": data.year,
        "year_of": data.year_of,
        "suppressed_any": data.suppressed_any,
        "cases": [
            {
                "place": row.label,
                "counts": row.counts,
                "conviction_rate_percent": row.conviction_rate,
                "avg_days_fir_to_chargesheet": row.days_to_chargesheet,
                "avg_days_chargesheet_to_charges": row.days_chargesheet_to_charges,
                "avg_days_charges_to_judgment": row.days_charges_to_judgment,
                "avg_days_fir_to_judgment": row.days_to_judgment,
                "avg_days_appeal_filed_to_decided": row.days_appeal_to_decision,
            }
            for row in data.rows
        ],
        # The reasons overall, most common first (the columns are in the same order).
        "adjournment_reasons": [
            {"reason": code, "label": label, "hearings": n}
            for (code, label), (_label, n, _share) in zip(
                data.reason_columns, data.reasons, strict=True
            )
        ],
        "adjournments": [
            {"place": row.label, "adjourned_hearings": row.total, "by_reason": row.counts}
            for row in data.reason_rows
        ],
        "appeals": [{"place": row.label, "counts": row.counts} for row in data.appeal_rows],
    }


def _in_year(prefix: str, year: int | None, year_of: str) -> Q:
    """Proceedings (behind ``prefix``) whose FIR or judgment fell in ``year``; all when None.
    A range of dates, not the year extracted, so an index on the date could serve it."""
    if not year:
        return Q()
    on = f"{prefix}{YEAR_OF[year_of]}"
    return Q(
        **{f"{on}__gte": datetime.date(year, 1, 1), f"{on}__lt": datetime.date(year + 1, 1, 1)}
    )


# A hearing's or a verdict's own copy of its proceeding's place (``services.hearing_placed``,
# ``services.verdict_placed``), per grouping; a hearing's court is its own, else the
# proceeding's, a verdict's the proceeding's (the trial court).
PART_GROUPINGS = {
    "state": "state_id",
    "district": "district_id",
    "police_station": "police_station",
    "court": "place_court",
}
# An appeal's copy (``services.appeal_placed``): its own state, district and court are the
# appellate court's.
APPEAL_GROUPINGS = {
    "state": "place_state_id",
    "district": "place_district_id",
    "police_station": "police_station",
    "court": "place_court",
}


def _parts_in_year(year: int | None, year_of: str) -> Q:
    """Hearings, verdicts or appeals of the proceedings whose FIR or judgment fell in ``year``
    (all when None): the year's proceedings as a subquery, not a join of every row to its
    proceeding."""
    if not year:
        return Q()
    return Q(proceeding_id__in=Proceeding.objects.filter(_in_year("", year, year_of)).values("pk"))


def _adjournments(
    actor: Actor, by: str, in_year: Q, names: dict[Any, str]
) -> tuple[list[tuple[str, int | None, float]], list[tuple[str, str]], list[ReasonRow], bool]:
    """Adjourned hearings per reason, overall and per place, suppressed as the outcome table.

    A hearing is placed in its own court when one is recorded (the case may have moved from a
    magistrate to the Sessions Court), else in its proceeding's. The hearings carry their
    proceeding's organisation, case and place, so 100,000 of them are grouped without a join. A count of hearings can come
    from one case adjourned again and again, and the actor knows her own organisation's part of
    a cell, so outside the owning organisation a cell is also hidden when it holds another
    organisation's hearings from fewer than ``OUTCOME_SMALL_CELL`` of their cases; and as the
    overall counts and each place's total are shown, the hidden cells of a column or of a row
    never add up to one that subtraction would give away (insights' secondary suppression)."""
    from django.db.models import Count

    from setu.insights import selectors as insights

    own = actor.organisation_id
    hearings = policy.scope(
        actor,
        Hearing.objects.filter(in_year, adjournment_reason__gt="", track=Track.CRIMINAL),
        Action.VIEW_AGGREGATES,
    ).annotate(place=F(PART_GROUPINGS[by]))
    others = ~Q(owner_org_id=own)
    # Counted without DISTINCT, which would make PostgreSQL sort every hearing (spilling to
    # disk at 100,000) instead of hashing the groups; the other organisations' cases behind a
    # cell are counted apart, over their hearings only, and only when there are some.
    # Counted over columns of the covering index of the place (not the id), so the database
    # reads only that index.
    cells = list(
        hearings.values("place", "adjournment_reason")
        .annotate(n=Count("*"), others=Count("owner_org", filter=others))
        .order_by()
    )
    their_cases: dict[tuple[Any, str], int] = {}
    if any(cell["others"] for cell in cells):
        their_cases = {
            (row["place"], row["adjournment_reason"]): row["cases"]
            for row in hearings.filter(others)
            .values("place", "adjournment_reason")
            .annotate(cases=Count("proceeding", distinct=True))
            .order_by()
        }
    # Overall, per reason: the sums of the places' cells. A case lies in one state, district or
    # police station, so its cases add up too; by court a case may have been heard in two, so
    # only the most behind one court's cell is sure (fewer, so more is hidden, never less).
    overall: dict[str, int] = {}
    overall_cases: dict[str, int] = {}
    any_other = False
    places: dict[Any, dict[str, Any]] = {}
    for cell in cells:
        reason = cell["adjournment_reason"]
        cell["cases"] = their_cases.get((cell["place"], reason), 0)
        overall[reason] = overall.get(reason, 0) + cell["n"]
        known = overall_cases.get(reason, 0)
        overall_cases[reason] = (
            max(known, cell["cases"]) if by == "court" else known + cell["cases"]
        )
        any_other = any_other or bool(cell["others"])
        entry = places.setdefault(cell["place"], {"cells": {}, "others": False})
        entry["cells"][reason] = cell
        entry["others"] = entry["others"] or bool(cell["others"])
    ranked = sorted(overall, key=lambda k: (-overall[k], k))
    # Each reason's label translated once, not once a cell (thousands by court).
    label_of = {key: str(AdjournmentReason(key).label) for key in ranked}
    hidden = (
        insights.suppress(
            overall,
            sums=[ranked],
            threshold=OUTCOME_SMALL_CELL,
            also={k for k in ranked if 0 < overall_cases[k] < OUTCOME_SMALL_CELL},
        )
        if any_other
        else set()
    )
    top = max(overall.values(), default=1) or 1
    reasons = [
        (
            label_of[key],
            None if key in hidden else overall[key],
            0.0 if key in hidden else overall[key] / top,
        )
        for key in ranked
    ]
    # Per place: cells keyed "<row>:<reason>", the row's total "<row>:" (only rows that count
    # another organisation's hearings take part; the actor's own are shown as they are).
    keyed: dict[str, int] = {}
    few_cases: set[str] = set()
    order = list(places)
    for i, key in enumerate(order):
        entry = places[key]
        if not entry["others"]:
            continue
        keyed[f"{i}:"] = sum(c["n"] for c in entry["cells"].values())
        for reason, cell in entry["cells"].items():
            keyed[f"{i}:{reason}"] = cell["n"]
            if cell["others"] and cell["cases"] < OUTCOME_SMALL_CELL:
                few_cases.add(f"{i}:{reason}")
    rows_counted = [i for i, key in enumerate(order) if places[key]["others"]]
    # A row's total is in its row's group: with one cell hidden the total alone would give it
    # back, and when nothing else in the row can be hidden the total is (and the row with it).
    sums = [[f"{i}:", *(f"{i}:{r}" for r in ranked)] for i in rows_counted]
    sums += [[f"{i}:{r}" for i in rows_counted] for r in ranked]
    sums.append([f"{i}:" for i in rows_counted])
    cell_hidden = (
        insights.suppress(keyed, sums=sums, threshold=OUTCOME_SMALL_CELL, also=few_cases)
        if rows_counted
        else set()
    )
    reason_rows = []
    for i, key in enumerate(order):
        entry = places[key]
        total = sum(c["n"] for c in entry["cells"].values())
        row_hidden = f"{i}:" in cell_hidden
        counts: dict[str, int | None] = {}
        for reason in ranked:
            n = entry["cells"][reason]["n"] if reason in entry["cells"] else 0
            counts[reason] = None if row_hidden or f"{i}:{reason}" in cell_hidden else n
        reason_rows.append(
            ReasonRow(
                label=names.get(key, key) or "—",
                total=None if row_hidden else total,
                counts=counts,
                cells=[(label_of[r], counts[r]) for r in ranked],
            )
        )
    reason_rows.sort(key=lambda r: str(r.label))
    columns = [(key, label_of[key]) for key in ranked]
    return reasons, columns, reason_rows, bool(hidden or cell_hidden)


def _appeals(
    actor: Actor, by: str, in_year: Q, names: dict[Any, str]
) -> tuple[list[tuple[str, str]], list[AppealRow], bool, dict[Any, dict[str, Any]]]:
    """Appeals per place of their proceeding (by court: the trial court), filed, pending and
    decided by outcome, suppressed as the outcome table: in a row with another organisation's
    appeals a cell under ``OUTCOME_SMALL_CELL`` is hidden, and so is one behind which are fewer
    than that many of their cases (a case can be appealed twice); as a row's filed appeals are
    its pending and decided ones added up, its hidden cells are never one that subtraction
    would give back (insights' secondary suppression).

    Also, per place, how long the decided appeals took (filing to decision): the average days,
    and the cases and other organisations' appeals behind it, for ``_appeal_average``."""
    from django.db.models import Avg, Count

    from setu.insights import selectors as insights

    own = actor.organisation_id
    others = ~Q(owner_org_id=own)
    # The appeals carry their proceeding's organisation, case and place
    # (``services.appeal_placed``): grouped from the covering index of the place, no join.
    appeals = policy.scope(
        actor,
        Appeal.objects.filter(in_year, track=Track.CRIMINAL),
        Action.VIEW_AGGREGATES,
    ).annotate(place=F(APPEAL_GROUPINGS[by]))
    cells = (
        appeals.values("place", "status")
        .annotate(
            n=Count("*"),
            others=Count("owner_org", filter=others),
            their_cases=Count("proceeding", filter=others, distinct=True),
        )
        .order_by()
    )
    places: dict[Any, dict[str, Any]] = {}
    for cell in cells:
        entry = places.setdefault(cell["place"], {"counts": {}, "others": 0, "cases": {}})
        entry["counts"][cell["status"]] = cell["n"]
        entry["others"] += cell["others"]
        entry["cases"][cell["status"]] = cell["their_cases"]
    # The cases behind each place's decided appeals, all organisations' (a case appealed twice
    # counts once), for the suppression of the average duration; asked only where some were
    # decided.
    durations: dict[Any, dict[str, Any]] = {}
    if any(
        n for entry in places.values() for s, n in entry["counts"].items() if s in APPEAL_DECIDED
    ):
        durations = {
            row["place"]: row
            for row in appeals.filter(status__in=APPEAL_DECIDED)
            .values("place")
            .annotate(
                cases=Count("proceeding", distinct=True),
                others=Count("owner_org", filter=others),
                days=Avg(_DaysBetween("filed_on", "decided_on")),
            )
            .order_by()
        }
    counted: set[str] = set()
    rows: list[AppealRow] = []
    hidden_any = False
    for key, entry in places.items():
        by_status = entry["counts"]
        counts = {
            "filed": sum(by_status.values()),
            "pending": by_status.get(AppealStatus.PENDING, 0),
            **{status: by_status.get(status, 0) for status in APPEAL_DECIDED},
        }
        counted |= {status for status, n in by_status.items() if n}
        hidden: set[str] = set()
        if entry["others"]:
            few = {s for s, n in entry["cases"].items() if 0 < n < OUTCOME_SMALL_CELL}
            # Their cases behind the row: at least the most behind one outcome (fewer, so more
            # is hidden, never less; a case's two appeals may have two outcomes).
            if 0 < max(entry["cases"].values()) < OUTCOME_SMALL_CELL:
                few.add("filed")
            hidden = insights.suppress(
                counts,
                sums=[list(APPEAL_COLUMNS)],
                threshold=OUTCOME_SMALL_CELL,
                also=few,
            )
            # With the filed appeals hidden, each outcome's share of them would still tell.
            if "filed" in hidden:
                hidden = set(APPEAL_COLUMNS)
        hidden_any = hidden_any or bool(hidden)
        shown = {c: (None if c in hidden else n) for c, n in counts.items()}
        rows.append(AppealRow(label=names.get(key, key) or "—", counts=shown))
    columns = [("filed", gettext("Appeals filed")), ("pending", str(AppealStatus.PENDING.label))]
    columns += [(s, str(AppealStatus(s).label)) for s in APPEAL_DECIDED if s in counted]
    for row in rows:
        row.cells = [(label, row.counts[code]) for code, label in columns]
    rows.sort(key=lambda r: str(r.label))
    return columns, rows, hidden_any, durations


def _appeal_average(row: dict[str, Any], spent: dict[str, Any] | None) -> int | None:
    """A place's average days from filing an appeal to its decision, over its decided appeals
    (first and further). Hidden as the other stages' averages are, when it is taken over fewer
    than ``OUTCOME_SMALL_CELL`` cases and the place counts another organisation's cases or
    appeals: an average over a few of their appeals tells their dates."""
    if not spent:
        return None
    if (row["others"] or spent["others"]) and spent["cases"] < OUTCOME_SMALL_CELL:
        return None
    return _days(spent["days"])


# --- The survivor's view --------------------------------------------------------------------


def plain_status(proceeding: Proceeding, *, language: str = "") -> str:
    """Where her case stands, in plain words a caseworker can read out or send (no names); in
    ``language`` (hers) when given, else the page's."""
    from django.utils import translation

    if language:
        with translation.override(language):
            return _plain_status(proceeding)
    return _plain_status(proceeding)


def her_language(proceeding: Proceeding) -> tuple[str, str]:
    """The survivor's language for messages (code, name in that language), when it is one Setu
    speaks; ("", "") when none is recorded."""
    from django.conf import settings
    from django.utils.translation import get_language_info

    code = proceeding.reminder_language
    if code not in dict(settings.LANGUAGES):
        return "", ""
    return code, get_language_info(code)["name_local"]


def can_send_status(*, actor: Actor, proceeding: Proceeding) -> bool:
    """Whether the actor may send the survivor her case's status, and she agreed to SMS."""
    return bool(
        proceeding.reminder_consent_on
        and proceeding.reminder_phone
        and policy.can(actor, Action.SEND_MESSAGE, proceeding)
    )


def _plain_status(proceeding: Proceeding) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    def day(value: datetime.date | None) -> str:
        return date_format(value, "DATE_FORMAT") if value else ""

    p = proceeding
    verdicts = {j.verdict for a in p.accused.all() for j in a.judgments.all()}
    if p.stage == "closed":
        text = _("The case is closed.")
    elif decided := [a for a in p.appeals.all() if a.status != AppealStatus.PENDING]:
        text = _("The higher court decided the appeal on %(date)s.") % {
            "date": day(max((a.decided_on for a in decided if a.decided_on), default=None))
        }
        if any(a.status == AppealStatus.PENDING for a in p.appeals.all()):
            text += " " + _("Another appeal is still pending in the higher court.")
    elif p.appeal_filed_on:
        text = _("An appeal was filed on %(date)s; the case goes on in the higher court.") % {
            "date": day(p.appeal_filed_on)
        }
    elif p.judgment_on and verdicts == {Verdict.CONVICTED}:
        text = _("The court gave its judgment on %(date)s: the accused were found guilty.") % {
            "date": day(p.judgment_on)
        }
    elif p.judgment_on and Verdict.CONVICTED in verdicts:
        text = _(
            "The court gave its judgment on %(date)s: some of the accused were found guilty."
        ) % {"date": day(p.judgment_on)}
    elif p.judgment_on:
        text = _("The court gave its judgment on %(date)s: the accused were not found guilty.") % {
            "date": day(p.judgment_on)
        }
    elif p.trial_started_on:
        text = _("The trial in court is going on.")
    elif p.charges_framed_on:
        text = _("On %(date)s the court charged the accused. The trial comes next.") % {
            "date": day(p.charges_framed_on)
        }
    elif p.chargesheet_on:
        text = _("The police filed their report (chargesheet) in court on %(date)s.") % {
            "date": day(p.chargesheet_on)
        }
    elif p.fir_date:
        text = _("The police registered the case (FIR) on %(date)s and are investigating.") % {
            "date": day(p.fir_date)
        }
    else:
        text = _("The complaint has been made; the police have not yet registered the case.")
    if p.stage in FINISHED_STAGES or p.appeal_filed_on:
        return text
    if p.next_hearing_on:
        return text + " " + _("The next court date is %(date)s.") % {"date": day(p.next_hearing_on)}
    return text + " " + _("No next court date has been set yet.")
