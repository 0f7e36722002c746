"""Aggregate counts for analysts, coordinators and organisation admins. Never identities.

Counts below ``SMALL_CELL`` are shown as "fewer than 5" so that a rare combination (one
Odia-speaking boy rescued in Surat this year) cannot single out a person. Because totals can be
worked out (the cells of a table add up to a total shown elsewhere, two tables count the same
survivors), a hidden cell must not be recoverable by subtraction either: wherever cells add up
to a total, further cells are hidden until no hidden cell stands alone (secondary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.registry.models import (
    Case,
    CaseExploitation,
    CasePerson,
    CaseRole,
    CaseStatus,
    EventKind,
    ExploitationForm,
    Gender,
    TraffickingEvent,
)

SMALL_CELL = 5


@dataclass(frozen=True)
class Cell:
    """One counted category; ``count`` is None when it is suppressed as too small."""

    label: str
    count: int | None
    share: float = 0.0  # of the largest cell in the table, for bar widths

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Table:
    """One counted breakdown: its shown cells, and those suppressed, listed apart."""

    title: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def shown(self) -> list[Cell]:
        return [cell for cell in self.cells if not cell.suppressed]

    @property
    def suppressed(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.suppressed]


@dataclass(frozen=True)
class Overview:
    """The statistics page's numbers; ``per_year`` feeds its chart (None: fewer than 5)."""

    cases_counted: int | None
    open_cases: int | None
    tables: list[Table]
    per_year: list[tuple[str, int | None]] = field(default_factory=list)


def suppress(counts: dict[str, int], sums: list[list[str]]) -> set[str]:
    """Keys of ``counts`` to hide: the small ones, then more until no sum gives one away.

    Each entry of ``sums`` is a set of keys whose counts add up to something a reader knows or
    can work out (a total shown, or the same total counted by another table). Within each such
    set the hidden cells are none, or at least two adding up to at least ``SMALL_CELL``, so that
    subtraction yields only the sum of several hidden cells, never one of them.
    """
    hidden = {key for key, count in counts.items() if 0 < count < SMALL_CELL}
    changed = True
    while changed:
        changed = False
        for keys in sums:
            members = [k for k in keys if counts.get(k, 0) > 0]
            shut = [k for k in members if k in hidden]
            if not shut:
                continue
            if len(shut) >= 2 and sum(counts[k] for k in shut) >= SMALL_CELL:
                continue
            visible = sorted((counts[k], k) for k in members if k not in hidden)
            if visible:
                hidden.add(visible[0][1])
                changed = True
    return hidden


def _table(title: str, rows: list[tuple[str, int]], hidden: set[str], prefix: str) -> Table:
    shown = [(label, count) for label, count in rows if count > 0]
    visible = [count for label, count in shown if f"{prefix}:{label}" not in hidden]
    biggest = max(visible, default=0) or 1
    cells = []
    for label, count in shown:
        if f"{prefix}:{label}" in hidden:
            cells.append(Cell(label, None))
        else:
            cells.append(Cell(label, count, share=count / biggest))
    return Table(title, cells)


def counted_cases(*, actor: Actor) -> QuerySet[Case]:
    """Cases the actor may count (policy: own organisation's, and others' with statistics consent)."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "insights")
    return policy.scope(
        actor, Case.objects.filter(archived_at__isnull=True), Action.VIEW_AGGREGATES
    )


def network_overview(*, actor: Actor) -> Overview:
    """The network's counts by status, exploitation, events, places, sex, age group and year."""
    cases = counted_cases(actor=actor)
    case_ids = cases.values("pk")
    labels_status = dict(CaseStatus.choices)
    by_status = [
        (str(labels_status.get(row["status"], row["status"])), row["n"])
        for row in cases.values("status").annotate(n=Count("pk")).order_by("-n")
    ]
    labels_form = dict(ExploitationForm.choices)
    by_form = [
        (str(labels_form.get(row["form"], row["form"])), row["n"])
        for row in CaseExploitation.objects.filter(case_id__in=case_ids)
        .values("form")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n")
    ]
    events = TraffickingEvent.objects.filter(case_id__in=case_ids)
    labels_event = dict(EventKind.choices)
    by_event = [
        (str(labels_event.get(row["kind"], row["kind"])), row["n"])
        for row in events.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    rescue_kinds = [EventKind.RESCUE, EventKind.INTERCEPTION]
    rescues_by_state = [
        (row["state__name"] or _("Place not recorded"), row["n"])
        for row in events.filter(kind__in=rescue_kinds)
        .values("state__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    recruitment_by_state = [
        (row["state__name"] or _("Place not recorded"), row["n"])
        for row in events.filter(kind=EventKind.RECRUITMENT)
        .values("state__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    survivors = CasePerson.objects.filter(case_id__in=case_ids, role=CaseRole.VICTIM)
    labels_gender = dict(Gender.choices)
    by_gender = [
        (str(labels_gender.get(row["person__gender"], row["person__gender"])), row["n"])
        for row in survivors.values("person__gender")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n")
    ]
    children = survivors.filter(age_when_trafficked__lt=18).values("person_id").distinct().count()
    adults = survivors.filter(age_when_trafficked__gte=18).values("person_id").distinct().count()
    unknown_age = (
        survivors.filter(age_when_trafficked__isnull=True).values("person_id").distinct().count()
    )
    by_year = [
        (str(row["year"]), row["n"])
        for row in cases.annotate(year=ExtractYear("opened_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    ]
    total = cases.count()
    open_statuses = [CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP]
    open_count = cases.filter(status__in=open_statuses).count()
    by_age = [
        (str(_("Under 18")), children),
        (str(_("18 and over")), adults),
        (str(_("Age not recorded")), unknown_age),
    ]
    tables = {
        "status": (_("Cases by status"), by_status),
        "form": (_("Cases by form of exploitation"), by_form),
        "event": (_("Events recorded"), by_event),
        "rescue": (_("Rescues and interceptions by state"), rescues_by_state),
        "recruitment": (_("Recruitment by state"), recruitment_by_state),
        "gender": (_("Survivors by gender"), by_gender),
        "age": (_("Survivors by age when trafficked"), by_age),
        "year": (_("Cases opened by year"), by_year),
    }
    counts = {"total": total, "open": open_count}
    for prefix, (_title, rows) in tables.items():
        counts.update({f"{prefix}:{label}": count for label, count in rows})

    def keys(prefix: str) -> list[str]:
        return [f"{prefix}:{label}" for label, _n in tables[prefix][1]]

    def label_of(choices: type, value: str) -> str:
        return f"event:{dict(choices.choices).get(value, value)}"

    rescue_rows = [label_of(EventKind, kind) for kind in rescue_kinds]
    open_rows = [f"status:{dict(CaseStatus.choices).get(s, s)}" for s in open_statuses]
    sums = [keys(prefix) for prefix in tables]  # any table's total may be known elsewhere
    sums += [
        [*keys("status"), "total"],
        [*keys("year"), "total"],
        [*keys("gender"), *keys("age")],  # the same survivors, counted twice
        [*rescue_rows, *keys("rescue")],  # rescue and interception events, by state
        [label_of(EventKind, EventKind.RECRUITMENT), *keys("recruitment")],
        [*open_rows, "open"],
    ]
    hidden = suppress(counts, sums)
    return Overview(
        cases_counted=None if "total" in hidden else total,
        open_cases=None if "open" in hidden else open_count,
        tables=[_table(title, rows, hidden, prefix) for prefix, (title, rows) in tables.items()],
        per_year=[(year, None if f"year:{year}" in hidden else count) for year, count in by_year],
    )
