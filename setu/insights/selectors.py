"""Aggregate counts for analysts, coordinators and organisation admins. Never identities.

Counts below ``SMALL_CELL`` are shown as "fewer than 5" so that a rare combination (one
Odia-speaking boy rescued in Surat this year) cannot single out a person. Because totals can be
worked out (the cells of a table add up to a total shown elsewhere, two tables count the same
survivors), a hidden cell must not be recoverable by subtraction either: wherever cells add up
to a total, further cells are hidden until no hidden cell stands alone (secondary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.registry import selectors as registry

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


def suppress(
    counts: dict[str, int],
    sums: list[list[str]],
    threshold: int = SMALL_CELL,
    also: set[str] | None = None,
) -> set[str]:
    """Keys of ``counts`` to hide: the small ones, then more until no sum gives one away.

    Each entry of ``sums`` is a set of keys whose counts add up to something a reader knows or
    can work out (a total shown, or the same total counted by another table). Within each such
    set the hidden cells are none, or at least two adding up to at least ``SMALL_CELL``, so that
    subtraction yields only the sum of several hidden cells, never one of them. ``threshold``
    replaces ``SMALL_CELL`` where a context's rule is stricter (legal outcomes hide under 11).
    ``also`` names cells hidden for another reason (a count of hearings over too few cases);
    the sums then protect them as well.
    """
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    hidden |= {key for key in also or () if counts.get(key, 0) > 0}
    changed = True
    while changed:
        changed = False
        for keys in sums:
            members = [k for k in keys if counts.get(k, 0) > 0]
            shut = [k for k in members if k in hidden]
            if not shut:
                continue
            if len(shut) >= 2 and sum(counts[k] for k in shut) >= threshold:
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


def counted_cases(*, actor: Actor) -> QuerySet[Any]:
    """Cases the actor may count (policy: own organisation's, and others' with statistics consent)."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "insights")
    return registry.countable_cases(actor=actor)


def network_overview(*, actor: Actor) -> Overview:
    """The network's counts by status, exploitation, events, places, sex, age group and year."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "insights")
    stats = registry.case_statistics(actor=actor)
    by_status, by_form, by_event = stats.by_status, stats.by_form, stats.by_event
    rescues_by_state = [(p or _("Place not recorded"), n) for p, n in stats.rescues_by_state]
    recruitment_by_state = [
        (p or _("Place not recorded"), n) for p, n in stats.recruitment_by_state
    ]
    by_gender, by_year = stats.by_gender, stats.by_year
    total, open_count = stats.total, stats.open
    by_age = [
        (str(_("Under 18")), stats.children),
        (str(_("18 and over")), stats.adults),
        (str(_("Age not recorded")), stats.unknown_age),
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

    rescue_rows = [f"event:{label}" for label in stats.rescue_event_labels]
    open_rows = [f"status:{label}" for label in stats.open_status_labels]
    sums = [keys(prefix) for prefix in tables]  # any table's total may be known elsewhere
    sums += [
        [*keys("status"), "total"],
        [*keys("year"), "total"],
        [*keys("gender"), *keys("age")],  # the same survivors, counted twice
        [*rescue_rows, *keys("rescue")],  # rescue and interception events, by state
        [f"event:{stats.recruitment_event_label}", *keys("recruitment")],
        [*open_rows, "open"],
    ]
    hidden = suppress(counts, sums)
    return Overview(
        cases_counted=None if "total" in hidden else total,
        open_cases=None if "open" in hidden else open_count,
        tables=[_table(title, rows, hidden, prefix) for prefix, (title, rows) in tables.items()],
        per_year=[(year, None if f"year:{year}" in hidden else count) for year, count in by_year],
    )
