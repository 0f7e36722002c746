"""Demo entitlements: survivors' scheme applications and victim-compensation claims.

Runs inside ``setu.referrals.demo.load_network_demo``. Applications carry a dated history
(applied → documents missing → approved → paid, or rejected) and claims every stage
(DLSA → SLSA → High Court), shaped as the services would leave them: a claim's status follows
its latest stage, an appeal is filed after the order it appeals, amounts paid never exceed the
amounts awarded. Some applications wait far too long and some appeal deadlines fall in the next
weeks, so the overview has something to warn about.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from setu.access.policy import ENTITLEMENT_EDIT_ROLES
from setu.entitlements.models import (
    ApplicationStatus,
    ApplicationStatusChange,
    ClaimStatus,
    CompensationClaim,
    CompensationStage,
    Forum,
    Scheme,
    SchemeApplication,
    SchemeCategory,
    StageOutcome,
)
from setu.orgs.models import Membership
from setu.registry.models import CasePerson, CaseRole

D = datetime.timedelta(days=1)
A = ApplicationStatus

# Final status of an application, and the path that led there.
PATHS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((A.APPLIED,), 22),
    ((A.APPLIED, A.DOCUMENTS_MISSING), 18),
    ((A.APPLIED, A.APPROVED), 14),
    ((A.APPLIED, A.DOCUMENTS_MISSING, A.APPLIED, A.APPROVED), 6),
    ((A.APPLIED, A.APPROVED, A.PAID), 24),
    ((A.APPLIED, A.REJECTED), 10),
    ((A.APPLIED, A.DOCUMENTS_MISSING, A.REJECTED), 6),
)
NOTES = {
    A.DOCUMENTS_MISSING: ("Address proof asked for", "Aadhaar needed first",
                          "Age certificate from the CWC asked for"),
    A.REJECTED: ("Rejected: no address proof in this state", "Rejected: income certificate not "
                 "accepted", "Rejected: applied outside the scheme's district"),
    A.APPROVED: ("Sanctioned by the district office",),
    A.PAID: ("Received in her bank account", "Card handed over"),
    A.APPLIED: ("Filed at the block office", "Re-submitted with documents"),
}  # fmt: skip
AMOUNTS = {SchemeCategory.PENSION: Decimal("6000"), SchemeCategory.HOUSING: Decimal("120000"),
           SchemeCategory.REHABILITATION: Decimal("20000"),
           SchemeCategory.COMPENSATION: Decimal("30000")}  # fmt: skip
ORDERS = {
    StageOutcome.AWARDED: "Compensation awarded under the state scheme; to be paid within 60 days.",
    StageOutcome.INTERIM: "Interim compensation awarded pending the trial.",
    StageOutcome.REJECTED: "Rejected: the authority found the FIR did not name an offence "
    "under the scheme.",
}


def _editors() -> dict[Any, list[Any]]:
    found: dict[Any, list[Any]] = defaultdict(list)
    rows = Membership.objects.filter(is_active=True, role__in=ENTITLEMENT_EDIT_ROLES).order_by(
        "role", "id"
    )
    for org_id, user_id in rows.values_list("organisation_id", "user_id"):
        found[org_id].append(user_id)
    return found


def _backdate(model: Any, rows: list[Any], when: dict[int, datetime.datetime]) -> None:
    for row in rows:
        row.created_at = row.updated_at = when[id(row)]
    model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=1000)


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Scheme applications and compensation claims for some survivors; returns counts."""
    today = timezone.localdate(now)
    schemes = list(Scheme.objects.filter(is_active=True).order_by("name"))
    if not schemes:
        return {"scheme_applications": 0, "compensation_claims": 0}
    editors = _editors()
    links = list(
        CasePerson.objects.filter(role=CaseRole.VICTIM, case__archived_at__isnull=True)
        .select_related("case__owner_org__base_district")
        .order_by("case__opened_on", "case__reference", "id")
    )
    links = [link for link in links if editors.get(link.case.owner_org_id)]
    applications: list[SchemeApplication] = []
    changes: list[ApplicationStatusChange] = []
    claims: list[CompensationClaim] = []
    stages: list[CompensationStage] = []
    when: dict[int, datetime.datetime] = {}

    def at(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(11), now.tzinfo)

    for index, link in enumerate(links):
        owner = link.case.owner_org
        state = owner.base_district.state_id if owner.base_district else None
        usable = [s for s in schemes if s.state_id in (None, state)]
        general = [s for s in usable if s.category != SchemeCategory.COMPENSATION]
        compensation = [s for s in usable if s.category == SchemeCategory.COMPENSATION]
        start = max(link.case.opened_on, today - 700 * D)
        if (today - start).days < 20:
            continue
        user = rng.choice(editors[owner.pk])
        # About one survivor in fifteen has scheme applications here; the first few always do.
        if general and (index < 8 or rng.random() < 0.07):
            for scheme in rng.sample(general, k=min(len(general), rng.randint(1, 3))):
                path = rng.choices([p for p, _w in PATHS], [w for _p, w in PATHS])[0]
                if index < len(PATHS):
                    path = PATHS[index][0]
                applied = start + rng.randint(5, max(5, (today - start).days - 5)) * D
                app = SchemeApplication(
                    case=link.case, person_id=link.person_id, owner_org_id=owner.pk,
                    scheme=scheme, applied_on=applied, created_by_id=user,
                    reference_number=f"{(scheme.short_name or scheme.name)[:4].upper()}/"
                    f"{applied.year}/{rng.randint(100, 9999):04d}",
                )  # fmt: skip
                day, previous = applied, ""
                for step, status in enumerate(path):
                    if step:
                        room = (today - day).days
                        day = day + rng.randint(min(room, 7), max(min(room, 120), 0)) * D
                    note = rng.choice(NOTES[status]) if step else ""
                    change = ApplicationStatusChange(
                        application=app, from_status=previous, to_status=status, changed_on=day,
                        note=note, recorded_by_id=user,
                    )  # fmt: skip
                    changes.append(change)
                    when[id(change)] = at(day)
                    previous = status
                app.status, app.status_changed_on = path[-1], day
                if path[-1] == A.PAID:
                    app.amount = AMOUNTS.get(scheme.category)
                applications.append(app)
                when[id(app)] = at(applied)
        # Few survivors are ever compensated; the demo follows a few claims through appeals.
        if compensation and (index < 8 or rng.random() < 0.025):
            _claim(rng, link, owner.pk, user, compensation, start, today, index, claims, stages,
                   when, at)  # fmt: skip

    SchemeApplication.objects.bulk_create(applications, batch_size=1000)
    ApplicationStatusChange.objects.bulk_create(changes, batch_size=1000)
    CompensationClaim.objects.bulk_create(claims, batch_size=500)
    for stage in stages:
        stage.claim_id = stage.claim.pk
    # Appeals point at the stage they appeal: save in filing order so the target exists first.
    CompensationStage.objects.bulk_create(stages, batch_size=500)
    for stage in stages:
        if stage.appeal_of is not None:
            stage.appeal_of_id = stage.appeal_of.pk
    CompensationStage.objects.bulk_update(stages, ["appeal_of"], batch_size=500)
    _backdate(SchemeApplication, applications, when)
    _backdate(ApplicationStatusChange, changes, when)
    _backdate(CompensationClaim, claims, when)
    _backdate(CompensationStage, stages, when)
    counts: dict[str, int] = defaultdict(int)
    for app in applications:
        counts[f"applications_{app.status}"] += 1
    for claim in claims:
        counts[f"claims_{claim.status}"] += 1
    counts["scheme_applications"] = len(applications)
    counts["application_changes"] = len(changes)
    counts["compensation_claims"] = len(claims)
    counts["compensation_stages"] = len(stages)
    counts["compensation_appeals"] = sum(1 for s in stages if s.appeal_of is not None)
    return dict(counts)


# How a claim's story goes: the outcome at each forum in turn ("" = still pending there).
CLAIM_STORIES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("",), 25),
    ((StageOutcome.INTERIM,), 10),
    ((StageOutcome.AWARDED,), 25),
    ((StageOutcome.REJECTED,), 10),
    ((StageOutcome.REJECTED, ""), 12),
    ((StageOutcome.REJECTED, StageOutcome.AWARDED), 8),
    ((StageOutcome.AWARDED, StageOutcome.AWARDED), 4),  # appealed for a higher amount
    ((StageOutcome.REJECTED, StageOutcome.REJECTED, ""), 6),
)


def _claim(
    rng: random.Random,
    link: CasePerson,
    owner_id: Any,
    user: Any,
    compensation: list[Scheme],
    start: datetime.date,
    today: datetime.date,
    index: int,
    claims: list[CompensationClaim],
    stages: list[CompensationStage],
    when: dict[int, datetime.datetime],
    at: Any,
) -> None:
    story = rng.choices([s for s, _w in CLAIM_STORIES], [w for _s, w in CLAIM_STORIES])[0]
    if index < len(CLAIM_STORIES):
        story = CLAIM_STORIES[index][0]
    state_schemes = [s for s in compensation if s.state_id is not None]
    scheme = rng.choice(state_schemes or compensation)
    # Each forum takes months; start early enough for the whole story to have happened (a
    # recent case tells only its beginning: the loop below stops where today is reached).
    needed = 150 * len(story) + 30
    filed = max(start, today - rng.randint(needed, needed + 200) * D)
    claim = CompensationClaim(
        case=link.case, person_id=link.person_id, owner_org_id=owner_id, scheme=scheme,
        created_by_id=user,
    )  # fmt: skip
    claims.append(claim)
    when[id(claim)] = at(filed)
    claimed = Decimal(rng.choice((200000, 300000, 400000, 500000)))
    previous: CompensationStage | None = None
    forums = (Forum.DLSA, Forum.SLSA, Forum.HIGH_COURT)
    day = filed
    claim_stages: list[CompensationStage] = []
    for step, outcome in enumerate(story):
        if day >= today:
            break  # the appeal is not filed yet: the story stops at the last order
        if outcome and day + 100 * D > today:
            outcome = ""  # too recent for an order: still being heard
        stage = CompensationStage(
            claim=claim, forum=forums[step], appeal_of=previous, filed_on=day,
            # An appeal against an award asks for more; one against a rejection for the same.
            amount_claimed=claimed * 2 if previous and previous.outcome != "rejected" else claimed,
            reference=f"{forums[step].upper()}/{day.year}/{rng.randint(10, 999)}",
        )  # fmt: skip
        hearings = []
        hearing = day
        for _ in range(rng.randint(1, 4)):
            hearing = hearing + rng.randint(20, 45) * D
            if hearing < today:
                hearings.append(hearing)
        if not outcome:
            stage.next_hearing_on = today + rng.randint(5, 60) * D
            hearings.append(stage.next_hearing_on)
        stage.hearing_dates = [str(h) for h in hearings]
        if outcome:
            stage.outcome = outcome
            stage.order_on = min(today - 5 * D, day + rng.randint(80, 120) * D)
            stage.order_summary = ORDERS[outcome]
            if outcome in (StageOutcome.AWARDED, StageOutcome.INTERIM):
                share = Decimal("0.25") if outcome == StageOutcome.INTERIM else Decimal("1")
                stage.amount_awarded = (stage.amount_claimed * share).quantize(Decimal("1"))
                if rng.random() < 0.6:
                    stage.amount_paid = stage.amount_awarded
                    stage.paid_on = min(today, stage.order_on + rng.randint(20, 120) * D)
                elif rng.random() < 0.5:
                    stage.amount_paid = (stage.amount_awarded / 2).quantize(Decimal("1"))
                    stage.paid_on = min(today, stage.order_on + rng.randint(20, 120) * D)
            # The deadline is entered from the order; some fall due in the coming weeks.
            stage.appeal_deadline = stage.order_on + rng.choice((30, 60, 90)) * D
            day = stage.order_on + rng.randint(10, 25) * D
        stages.append(stage)
        claim_stages.append(stage)
        when[id(stage)] = at(stage.filed_on)
        previous = stage
    claim.status = _status(claim_stages)


def _status(claim_stages: list[CompensationStage]) -> str:
    """As ``services._claim_status``: the latest stage decides."""
    latest = claim_stages[-1]
    if latest.outcome == StageOutcome.PENDING:
        return ClaimStatus.APPEALED if latest.appeal_of is not None else ClaimStatus.PENDING
    if latest.outcome == StageOutcome.REJECTED:
        return ClaimStatus.REJECTED
    paid = sum((s.amount_paid for s in claim_stages), Decimal("0"))
    awarded = latest.amount_awarded
    return ClaimStatus.PAID if awarded and paid >= awarded else ClaimStatus.AWARDED
