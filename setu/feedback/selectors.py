"""Reads of the feedback context: feedback one by one (for those who code and answer it),
campaigns, subjects, "you said, we did" notes, and the reports.

Reports count whole past months only (one new answer does not show the next day), and hide
every count under ``SMALL_CELL`` with the insights app's suppression, including secondary
suppression wherever shown cells add up to a shown total.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import NotFound
from setu.entitlements import selectors as entitlements
from setu.feedback.models import Campaign as Campaign
from setu.feedback.models import (
    ChangeNote,
    ComplaintDesk,
    Feedback,
    Lane,
    Status,
    Subject,
    SubjectKind,
    Theme,
)
from setu.feedback.models import Channel as Channel
from setu.feedback.models import Entitled as Entitled
from setu.feedback.models import Safe as Safe
from setu.feedback.models import Serious as Serious
from setu.feedback.models import Treated as Treated
from setu.insights import selectors as insights
from setu.orgs import selectors as orgs

# Feedback is about a few services in a few districts: a count under 11 could point at one
# woman who spoke about one police station, so the threshold is stricter than insights' 5.
SMALL_CELL = 11


# --- For the public pages (no actor: she has no account) ---------------------------------------


def subjects_public(*, kind: str = "") -> QuerySet[Subject]:
    """Active subjects she may choose from when her invitation names none (public names of
    police stations, courts, offices and schemes; no personal data)."""
    rows = Subject.objects.filter(is_active=True).select_related("district")
    return rows.filter(kind=kind) if kind else rows


def subject_for_channel(*, subject_id: UUID | None, kind: str = "") -> Subject:
    """The subject a phone flow names, or for a kind she chose by keypad the network's general
    subject of that kind (made once, without a district). A system read for ``feedback.phone``."""
    if subject_id:
        found = Subject.objects.filter(pk=subject_id, is_active=True).first()
        if found is None:
            raise NotFound
        return found
    if kind not in SubjectKind.values:
        raise NotFound
    subject, _created = Subject.objects.get_or_create(
        kind=kind, name=str(SubjectKind(kind).label), district=None
    )
    return subject


def change_notes_public(*, organisation_id: Any = None, limit: int = 3) -> list[ChangeNote]:
    """The latest "you said, we did" notes, for survivors (what organisations changed)."""
    rows = ChangeNote.objects.select_related("organisation")
    if organisation_id:
        rows = rows.filter(organisation_id=organisation_id)
    return list(rows[:limit])


# --- For members --------------------------------------------------------------------------------


def require_member(*, actor: Actor) -> None:
    """Feedback desks and lists are for members of the network (platform admins run
    organisations, not feedback): others get a 404."""
    if not actor.has_membership:
        raise NotFound(action=Action.VIEW, target=("feedback.desk", "", None))


def feedback_list(
    *, actor: Actor, lane: str = "", status: str = "", campaign_id: Any = None
) -> QuerySet[Feedback]:
    """Feedback the actor codes or answers (never about the actor's own organisation)."""
    rows = policy.scope(actor, Feedback.objects.all(), Action.VIEW)
    if lane:
        rows = rows.filter(lane=lane)
    if status:
        rows = rows.filter(status=status)
    if campaign_id:
        rows = rows.filter(campaign_id=campaign_id)
    return rows.select_related("subject__organisation", "district", "campaign")


def feedback_get(*, actor: Actor, feedback_id: UUID) -> Feedback:
    """One piece of feedback, its free text included; the read is audited (without its giver,
    whom nobody knows)."""
    feedback = feedback_list(actor=actor).filter(pk=feedback_id).first()
    if feedback is None:
        raise NotFound(action=Action.VIEW, target=("feedback.feedback", str(feedback_id), None))
    audit.record(
        actor=actor, action=AuditAction.VIEW, target=("feedback.feedback", str(feedback.pk), None)
    )
    return feedback


def feedback_counts(*, actor: Actor) -> dict[str, int]:
    """How many items wait for the actor, by lane (for the desk's headings)."""
    rows = policy.scope(actor, Feedback.objects.all(), Action.VIEW).exclude(
        status__in=[Status.CLOSED]
    )
    counts = Counter(rows.values_list("lane", flat=True))
    return {lane: counts.get(lane, 0) for lane in Lane.values}


def campaign_list(*, actor: Actor) -> QuerySet[Campaign]:
    """The actor's organisation's campaigns."""
    return policy.scope(actor, Campaign.objects.all(), Action.VIEW).select_related("subject")


def campaign_get(*, actor: Actor, campaign_id: UUID) -> Campaign:
    found = campaign_list(actor=actor).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(action=Action.VIEW, target=("feedback.campaign", str(campaign_id), None))
    return found


def subject_list(*, actor: Actor) -> QuerySet[Subject]:
    """Subjects for members' pickers."""
    return policy.scope(actor, Subject.objects.filter(is_active=True), Action.VIEW).select_related(
        "district"
    )


def subject_get(*, actor: Actor, subject_id: UUID) -> Subject:
    found = subject_list(actor=actor).filter(pk=subject_id).first()
    if found is None:
        raise NotFound(action=Action.VIEW, target=("feedback.subject", str(subject_id), None))
    return found


def subject_list_all(*, actor: Actor) -> QuerySet[Subject]:
    """Every subject, retired ones too, for the coordinators who keep the list."""
    policy.require_allowed(actor, Action.EDIT, "feedback.subject")
    return policy.scope(actor, Subject.objects.all(), Action.EDIT).select_related(
        "district", "organisation", "scheme"
    )


def subject_get_for_edit(*, actor: Actor, subject_id: UUID) -> Subject:
    found = subject_list_all(actor=actor).filter(pk=subject_id).first()
    if found is None:
        raise NotFound(action=Action.EDIT, target=("feedback.subject", str(subject_id), None))
    return found


def subject_form_choices(*, actor: Actor) -> dict[str, list[tuple[str, str]]]:
    """Districts, member organisations and schemes, by name, for the subject form."""
    return {
        "districts": [(str(d.pk), f"{d.name}, {d.state.name}") for d in orgs.district_list()],
        "organisations": [
            (str(o.pk), o.name) for o in orgs.organisation_list(actor=actor).order_by("name")
        ],
        "schemes": [
            (str(s.pk), s.name) for s in entitlements.scheme_list(actor=actor).order_by("name")
        ],
    }


def handler_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """The coordinator's colleagues who could handle serious complaints."""
    return orgs.colleague_choices(organisation_id=actor.organisation_id)


def complaint_desk_list(*, actor: Actor) -> QuerySet[ComplaintDesk]:
    """The complaints desks of the actor's organisation (named handlers of serious complaints)."""
    return policy.scope(actor, ComplaintDesk.objects.all(), Action.VIEW).select_related("handler")


def complaint_desk_get(*, actor: Actor, desk_id: UUID) -> ComplaintDesk:
    found = policy.scope(actor, ComplaintDesk.objects.all(), Action.EDIT).filter(pk=desk_id).first()
    if found is None:
        raise NotFound(action=Action.EDIT, target=("feedback.complaintdesk", str(desk_id), None))
    return found


def change_note_list(*, actor: Actor) -> QuerySet[ChangeNote]:
    """The actor's organisation's "you said, we did" notes (those it may write)."""
    return policy.scope(actor, ChangeNote.objects.all(), Action.EDIT).select_related("organisation")


# --- Reports ------------------------------------------------------------------------------------

DIMENSIONS = {
    "kind": ("kind", None),
    "subject": ("subject_id", "subject__name"),
    "district": ("district_id", "district__name"),
    "organisation": ("concerns_org_id", "concerns_org__name"),
    "scheme": ("subject_id", "subject__name"),
}


@dataclass(frozen=True)
class Row:
    """One group of a report; every figure is None when its count is under ``SMALL_CELL``."""

    label: str
    count: int | None
    rating: float | None  # mean of "how she was treated", 1-5
    entitled_yes: int | None  # per cent of those who answered
    safe_yes: int | None
    by_quarter: list[float | None] = field(default_factory=list)
    themes: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Report:
    """A report by one dimension over whole past months, with its monthly totals for the chart."""

    dimension: str
    start: datetime.date
    end: datetime.date
    total: int | None
    rows: list[Row]
    quarters: list[str]
    per_month: list[tuple[str, int | None]]


def require_reports(*, actor: Actor) -> None:
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "feedback.report")


def _window(months: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last ``months`` whole months before this one: [start, end)."""
    end = today.replace(day=1)
    year, month = end.year, end.month - months
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1), end


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 1) if len(values) >= SMALL_CELL else None


def _percent(values: list[str], yes: str) -> int | None:
    if len(values) < SMALL_CELL:
        return None
    return round(100 * sum(1 for v in values if v == yes) / len(values))


def _quarter(day: datetime.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def report(
    *,
    actor: Actor,
    dimension: str = "kind",
    months: int = 12,
    campaign_org: bool = False,
    today: datetime.date | None = None,
) -> Report:
    """Ratings, entitlement and safety answers and themes per service kind, subject, district,
    organisation concerned or scheme. ``campaign_org`` keeps only answers to the actor's
    organisation's campaigns (a collective's own members)."""
    require_reports(actor=actor)
    if dimension not in DIMENSIONS:
        dimension = "kind"
    start, end = _window(months, today or timezone.localdate())
    rows = policy.scope(actor, Feedback.objects.all(), Action.VIEW_AGGREGATES).filter(
        given_on__gte=start, given_on__lt=end
    )
    if campaign_org:
        rows = rows.filter(campaign__organisation_id=actor.organisation_id)
    if dimension == "scheme":
        rows = rows.filter(kind=SubjectKind.SCHEME)
    key, label_field = DIMENSIONS[dimension]
    fields = [key, "given_on", "treated", "entitled", "felt_safe", "themes"]
    if label_field:
        fields.append(label_field)
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    labels: dict[Any, str] = {}
    per_month: Counter[str] = Counter()
    for item in rows.values(*fields):
        groups[item[key]].append(item)
        labels[item[key]] = (
            str(SubjectKind(item[key]).label)
            if dimension == "kind"
            else (item.get(label_field) or _("Not recorded"))
        )
        per_month[item["given_on"].strftime("%m-%Y")] += 1
    quarters = sorted({_quarter(i["given_on"]) for items in groups.values() for i in items})
    counts = {str(k): len(v) for k, v in groups.items()}
    hidden = insights.suppress(counts, [list(counts)], threshold=SMALL_CELL)
    total = sum(counts.values())
    out = []
    for group_key, items in sorted(groups.items(), key=lambda kv: labels[kv[0]]):
        out.append(_row(labels[group_key], items, str(group_key) in hidden, quarters))
    months_list = _months(start, end)
    month_counts = {m: per_month.get(m, 0) for m in months_list}
    month_hidden = insights.suppress(month_counts, [months_list], threshold=SMALL_CELL)
    return Report(
        dimension=dimension,
        start=start,
        end=end - datetime.timedelta(days=1),
        total=total if total >= SMALL_CELL else None,
        rows=out,
        quarters=quarters,
        per_month=[(m, None if m in month_hidden else month_counts[m]) for m in months_list],
    )


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    out, day = [], start
    while day < end:
        out.append(day.strftime("%m-%Y"))
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return out


def _row(label: str, items: list[dict[str, Any]], hidden: bool, quarters: list[str]) -> Row:
    if hidden:
        return Row(label, None, None, None, None, [None] * len(quarters), [])
    treated = [i["treated"] for i in items if i["treated"]]
    by_quarter: dict[str, list[int]] = defaultdict(list)
    for i in items:
        if i["treated"]:
            by_quarter[_quarter(i["given_on"])].append(i["treated"])
    theme_counts = Counter(code for i in items for code in i["themes"] or [])
    themes = [
        (str(Theme(code).label), n if n >= SMALL_CELL else None)
        for code, n in theme_counts.most_common()
        if code in Theme.values
    ]
    return Row(
        label=label,
        count=len(items),
        rating=_mean(treated),
        entitled_yes=_percent([i["entitled"] for i in items if i["entitled"]], Entitled.YES),
        safe_yes=_percent([i["felt_safe"] for i in items if i["felt_safe"]], Safe.YES),
        by_quarter=[_mean(by_quarter.get(q, [])) for q in quarters],
        themes=themes,
    )


@dataclass(frozen=True)
class Timing:
    """How fast feedback about one organisation or district was acknowledged and answered."""

    label: str
    count: int | None
    median_hours_to_acknowledge: float | None
    median_days_to_respond: float | None


def _median(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(statistics.median(values), 1) if len(values) >= SMALL_CELL else None


def response_times(
    *, actor: Actor, by: str = "organisation", today: datetime.date | None = None
) -> list[Timing]:
    """Median time to acknowledge and to respond, per organisation concerned or district, over
    the report's whole months; a group hidden by the report's suppression shows no figure."""
    require_reports(actor=actor)
    key, label_field = ("district_id", "district__name")
    if by == "organisation":
        key, label_field = ("concerns_org_id", "concerns_org__name")
    # The same window as the report: its total is shown, so these counts must be suppressed
    # against it (an all-time count beside a twelve-month total would give a small group away).
    start, end = _window(12, today or timezone.localdate())
    rows = (
        policy.scope(actor, Feedback.objects.all(), Action.VIEW_AGGREGATES)
        .filter(given_on__gte=start, given_on__lt=end)
        .values(key, label_field, "created_at", "acknowledged_at", "responded_at")
    )
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for item in rows:
        groups[item[key]].append(item)
    counts = {str(k): len(v) for k, v in groups.items()}
    hidden = insights.suppress(counts, [list(counts)], threshold=SMALL_CELL)
    out = []
    for group_key, items in groups.items():
        label = items[0][label_field] or _("Not recorded")
        if str(group_key) in hidden:
            out.append(Timing(label, None, None, None))
            continue
        ack = [
            (i["acknowledged_at"] - i["created_at"]).total_seconds() / 3600
            for i in items
            if i["acknowledged_at"]
        ]
        resp = [
            (i["responded_at"] - i["created_at"]).total_seconds() / 86400
            for i in items
            if i["responded_at"]
        ]
        out.append(Timing(label, len(items), _median(ack), _median(resp)))
    return sorted(out, key=lambda t: t.label)


@dataclass(frozen=True)
class SchemePerception:
    """For one scheme: what survivors said about getting it, beside the applications the
    actor's organisation made (where the actor may count them)."""

    scheme: str
    answers: int | None
    entitled_yes: int | None
    entitled_partly: int | None
    entitled_no: int | None
    applications: dict[str, int | None] | None


def scheme_perception(
    *, actor: Actor, today: datetime.date | None = None
) -> list[SchemePerception]:
    """Perception of schemes ("did you get what you were entitled to?") linked to the
    entitlements applied for."""
    require_reports(actor=actor)
    start, end = _window(12, today or timezone.localdate())
    rows = policy.scope(actor, Feedback.objects.all(), Action.VIEW_AGGREGATES).filter(
        kind=SubjectKind.SCHEME, given_on__gte=start, given_on__lt=end
    )
    answers: dict[str, list[str]] = defaultdict(list)
    for name, short, entitled in rows.values_list(
        "subject__scheme__name", "subject__scheme__short_name", "entitled"
    ):
        if name and entitled:
            answers[short or name].append(entitled)
    labels = dict(entitlements.ApplicationStatus.choices)
    applied = {
        s.scheme: {
            str(labels.get(k, k)): (n if n >= SMALL_CELL else None)
            for k, n in s.by_status.items()
            if n
        }
        for s in entitlements.application_summary(actor=actor)
    }
    # The schemes' answers add up to the report's scheme total: hide whatever would give a
    # small one away, as the report does.
    hidden = insights.suppress(
        {s: len(v) for s, v in answers.items()}, [list(answers)], threshold=SMALL_CELL
    )
    out = []
    for scheme in sorted(set(answers) | set(applied)):
        given = answers.get(scheme, [])
        shown = scheme not in hidden and len(given) >= SMALL_CELL
        out.append(
            SchemePerception(
                scheme=scheme,
                answers=len(given) if shown else None,
                entitled_yes=_percent(given, Entitled.YES) if shown else None,
                entitled_partly=_percent(given, Entitled.PARTLY) if shown else None,
                entitled_no=_percent(given, Entitled.NO) if shown else None,
                applications=applied.get(scheme),
            )
        )
    return out
