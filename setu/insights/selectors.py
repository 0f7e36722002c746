"""Aggregate counts for analysts, coordinators and organisation admins. Never identities.

Counts below ``SMALL_CELL`` are shown as "fewer than 5" so that a rare combination (one
Odia-speaking boy rescued in Surat this year) cannot single out a person.
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


def _suppress(value: int) -> int | None:
    return value if value >= SMALL_CELL else None


def _table(title: str, rows: list[tuple[str, int]]) -> Table:
    biggest = max((count for _, count in rows), default=0) or 1
    cells = [
        Cell(label, _suppress(count), share=(count / biggest if count >= SMALL_CELL else 0.0))
        for label, count in rows
        if count > 0
    ]
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
    open_count = cases.filter(status__in=[CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP]).count()
    return Overview(
        cases_counted=_suppress(total),
        open_cases=_suppress(open_count),
        tables=[
            _table(_("Cases by status"), by_status),
            _table(_("Cases by form of exploitation"), by_form),
            _table(_("Events recorded"), by_event),
            _table(_("Rescues and interceptions by state"), rescues_by_state),
            _table(_("Recruitment by state"), recruitment_by_state),
            _table(_("Survivors by gender"), by_gender),
            _table(
                _("Survivors by age when trafficked"),
                [
                    (_("Under 18"), children),
                    (_("18 and over"), adults),
                    (_("Age not recorded"), unknown_age),
                ],
            ),
            _table(_("Cases opened by year"), by_year),
        ],
        per_year=[(year, _suppress(count)) for year, count in by_year],
    )
