"""Demo proceedings: criminal cases at every stage across the demo's states, protection steps,
hearings with adjournments, and compensation tracks linked to the entitlements demo's claims.

Runs inside ``setu.referrals.demo.load_network_demo`` after the entitlements demo. The first
cases tell fixed stories (a conviction, an acquittal, a case stuck on adjournments, an
inter-state witness, an accused in custody with the chargesheet late, a stale case); the rest
are spread over the stages. Every row is shaped as the services would leave it: dates in order,
FIR numbers of the FIR's year, verdicts only after charges, no hearing before the FIR.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from setu.access.policy import LEGAL_WRITE_ROLES
from setu.entitlements.models import CompensationClaim
from setu.legal import services
from setu.legal.models import (
    Accused,
    AdjournmentReason,
    Appeal,
    AppealCourt,
    Appellant,
    Custody,
    Hearing,
    HearingOutcome,
    Judgment,
    MeasureKind,
    Proceeding,
    ProtectionMeasure,
    Stage,
    Track,
    TravelMode,
    Verdict,
    WitnessPlan,
)
from setu.orgs.models import Membership
from setu.registry.models import CasePerson, CaseRole

D = datetime.timedelta(days=1)
SECTION_SETS = (
    ["BNS-143", "ITPA-5"],
    ["BNS-143", "BNS-144", "ITPA-6"],
    ["BNS-143", "BLSA-16", "BLSA-18"],
    ["BNS-143", "JJ-79", "CLPRA-3"],
    ["BNS-143", "BNS-98", "POCSO-6"],
)
REASONS = (
    (AdjournmentReason.WITNESS_ABSENT, 30),
    (AdjournmentReason.ACCUSED_ABSENT, 20),
    (AdjournmentReason.PROSECUTOR_ABSENT, 12),
    (AdjournmentReason.NO_ESCORT, 12),
    (AdjournmentReason.COURT_ON_LEAVE, 8),
    (AdjournmentReason.DEFENCE_REQUEST, 10),
    (AdjournmentReason.RECORDS_MISSING, 8),
)
STORIES = ("conviction", "acquittal", "stuck", "interstate", "custody", "stale")
STAGES = (
    Stage.FIR,
    Stage.CHARGESHEET,
    Stage.COGNISANCE,
    Stage.CHARGES,
    Stage.TRIAL,
    Stage.JUDGMENT,
)


def _officers() -> dict[Any, Any]:
    """A legal officer of each organisation, else its admin, to follow its proceedings."""
    found: dict[Any, Any] = {}
    # "legal_officer" sorts before "org_admin": the first writer found is a legal officer if
    # the organisation has one.
    rows = Membership.objects.filter(is_active=True, role__in=LEGAL_WRITE_ROLES).order_by(
        "role", "id"
    )
    for org_id, user_id in rows.values_list("organisation_id", "user_id"):
        found.setdefault(org_id, user_id)
    return found


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Proceedings for about one survivor's case in four; returns counts by stage and story."""
    today = timezone.localdate(now)
    officers = _officers()
    links = list(
        CasePerson.objects.filter(role=CaseRole.VICTIM, case__archived_at__isnull=True)
        .select_related("case__owner_org__base_district__state")
        .order_by("case__opened_on", "case__reference", "id")
    )
    seen: set[Any] = set()
    proceedings: list[Proceeding] = []
    accused: list[Accused] = []
    judgments: list[Judgment] = []
    measures: list[ProtectionMeasure] = []
    hearings: list[Hearing] = []
    counts: dict[str, int] = {}
    serial = 0
    interstate: Proceeding | None = None
    convicted: Proceeding | None = None
    for link in links:
        case = link.case
        if case.pk in seen or case.owner_org_id not in officers:
            continue
        seen.add(case.pk)
        story = STORIES[len(proceedings)] if len(proceedings) < len(STORIES) else ""
        if not story and rng.random() > 0.25:
            continue
        fir_date = max(case.opened_on, today - 900 * D) + rng.randint(1, 10) * D
        if (today - fir_date).days < 150:
            continue
        serial += 1
        district = case.owner_org.base_district
        stage = {
            "conviction": Stage.JUDGMENT, "acquittal": Stage.JUDGMENT, "stuck": Stage.TRIAL,
            "interstate": Stage.TRIAL, "custody": Stage.FIR, "stale": Stage.CHARGESHEET,
        }.get(story) or rng.choice(STAGES)  # fmt: skip
        sections = SECTION_SETS[serial % len(SECTION_SETS)]
        p = Proceeding(
            case=case,
            owner_org_id=case.owner_org_id,
            track=Track.CRIMINAL,
            stage=stage,
            legal_officer_id=officers[case.owner_org_id],
            police_station=f"{district.name} Police Station" if district else "AHTU Police Station",
            district=district,
            fir_number=f"{serial:04d}/{fir_date.year}",
            fir_date=fir_date,
            sections=sections,
            created_by_id=officers[case.owner_org_id],
        )
        # The steps reached, spaced as they often are (chargesheets late, trials long).
        order = [s for s in STAGES if STAGES.index(s) <= STAGES.index(stage)]
        day = fir_date
        span = (today - fir_date).days
        steps = {
            Stage.CHARGESHEET: "chargesheet_on",
            Stage.COGNISANCE: "cognisance_on",
            Stage.CHARGES: "charges_framed_on",
            Stage.TRIAL: "trial_started_on",
            Stage.JUDGMENT: "judgment_on",
        }
        for s in order[1:]:
            day = min(day + rng.randint(10, max(11, span // 7)) * D, today - 5 * D)
            setattr(p, steps[s], day)
        if story == "custody":
            arrested = today - 52 * D
            p.fir_date = arrested - 2 * D
            p.fir_number = f"{serial:04d}/{p.fir_date.year}"
        if stage in (Stage.CHARGES, Stage.TRIAL, Stage.JUDGMENT) or story in (
            "stuck",
            "interstate",
        ):
            p.court = f"Sessions Court, {district.name}" if district else "Sessions Court"
            p.cnr_number = _cnr(district, rng, p.fir_date.year)
        proceedings.append(p)
        counts[f"stage_{p.stage}"] = counts.get(f"stage_{p.stage}", 0) + 1
        if story:
            counts[f"story_{story}"] = 1
        # Accused: two or three, most arrested within days of the FIR.
        for n in range(rng.randint(2, 3)):
            arrested_on = (
                (today - 52 * D) if story == "custody" else p.fir_date + rng.randint(0, 6) * D
            )
            custody = (
                Custody.IN_CUSTODY
                if story == "custody"
                else rng.choice(
                    [Custody.BAIL, Custody.BAIL, Custody.IN_CUSTODY, Custody.ABSCONDING]
                )
            )
            a = Accused(
                proceeding=p,
                name=f"Accused {n + 1}",
                custody=custody,
                arrested_on=arrested_on,
                bail_on=arrested_on + rng.randint(20, 90) * D if custody == Custody.BAIL else None,
            )
            if a.bail_on and a.bail_on > today:
                a.bail_on = today
            accused.append(a)
            if p.judgment_on:
                verdict = {"conviction": Verdict.CONVICTED, "acquittal": Verdict.ACQUITTED}.get(
                    story
                ) or rng.choice([Verdict.CONVICTED, Verdict.ACQUITTED, Verdict.ACQUITTED])
                judgments.append(
                    Judgment(
                        accused=a,
                        section=sections[0],
                        verdict=verdict,
                        decided_on=p.judgment_on,
                        sentence="Rigorous imprisonment, 10 years"
                        if verdict == Verdict.CONVICTED
                        else "",
                    )
                )
        statement_on = p.fir_date + rng.randint(2, 20) * D
        if statement_on < today:
            measures.append(
                ProtectionMeasure(proceeding=p, kind=MeasureKind.STATEMENT_183, on=statement_on)
            )
        if story == "conviction":
            convicted = p
        if story == "interstate":
            interstate = p
            # She agreed to hear about her case by SMS, in Bengali (a made-up demo number).
            p.reminder_consent_on = p.fir_date + 3 * D
            p.reminder_phone = "+919000000024"
            p.reminder_language = "bn"
            measures.append(
                ProtectionMeasure(
                    proceeding=p,
                    kind=MeasureKind.INTERSTATE_TRAVEL,
                    on=today + 6 * D,
                    detail="Survivor now lives in another state: train fare, a woman escort and "
                    "a daily allowance for the hearing; video link asked for as a fallback.",
                )
            )
            measures.append(
                ProtectionMeasure(proceeding=p, kind=MeasureKind.VIDEO_TESTIMONY, on=today - 20 * D)
            )
        # Only this proceeding's own (scanning every hearing so far for each made the demo
        # load quadratic: 3 million reads of ``hearing.proceeding``).
        own = _hearings(p, story, rng, today)
        hearings.extend(own)
        if p.stage not in (Stage.JUDGMENT, Stage.CLOSED) and story != "stale":
            upcoming = [h.on for h in own if h.on >= today]
            p.next_hearing_on = min(upcoming) if upcoming else None
    # Compensation tracks for the claims the entitlements demo opened.
    for claim in CompensationClaim.objects.filter(case_id__in=seen).order_by("created_at", "id"):
        proceedings.append(
            Proceeding(
                case_id=claim.case_id,
                owner_org_id=claim.owner_org_id,
                track=Track.COMPENSATION,
                stage=Stage.COMPLAINT,
                title="Victim compensation",
                compensation_claim=claim,
                legal_officer_id=officers.get(claim.owner_org_id),
            )
        )
        counts["compensation_tracks"] = counts.get("compensation_tracks", 0) + 1
    Proceeding.objects.bulk_create(proceedings, batch_size=1000)
    Accused.objects.bulk_create(accused, batch_size=1000)
    # Each with its proceeding's place, as the services write them (the outcome statistics).
    placed_verdicts = [services.verdict_placed(j, j.accused.proceeding) for j in judgments]
    Judgment.objects.bulk_create(placed_verdicts, batch_size=1000)
    ProtectionMeasure.objects.bulk_create(measures, batch_size=1000)
    # Each with its proceeding's place, as the services write them (the outcome statistics).
    placed = [services.hearing_placed(h, h.proceeding) for h in hearings]
    Hearing.objects.bulk_create(placed, batch_size=2000)
    WitnessPlan.objects.bulk_create(_witness_plans(hearings, interstate, today))
    if convicted is not None and convicted.judgment_on:
        _convicts_appeal(convicted, rng, today, counts)
    counts.update(proceedings=len(proceedings), hearings=len(hearings), judgments=len(judgments))
    return counts


def _witness_plans(
    hearings: list[Hearing], interstate: Proceeding | None, today: datetime.date
) -> list[WitnessPlan]:
    """The inter-state witness's coming hearing: train and allowance planned, the escort not yet
    found, a video link asked for; not ready within a week, so the calendar flags it."""
    return [
        WitnessPlan(
            hearing=h,
            proceeding=h.proceeding,
            travel_from="Murshidabad, West Bengal",
            travel_to=h.court,
            travel_mode=TravelMode.TRAIN,
            travel_on=h.on - 2 * D,
            allowance_rupees=2400,
            video_requested=True,
            notes="Woman escort to be confirmed by the district police.",
        )
        for h in hearings
        if interstate is not None and h.proceeding is interstate and h.on >= today
    ]


def _convicts_appeal(
    p: Proceeding, rng: random.Random, today: datetime.date, counts: dict[str, int]
) -> None:
    """The convicted accused appeal to the High Court of the state (pending), within the
    60 days; the proceeding moves to appeal."""
    state = p.district.state if p.district else None
    filed_on = min(p.judgment_on + rng.randint(20, 55) * D, today)
    code = state.iso_3166_2[-2:] if state and state.iso_3166_2 else "XX"
    appeal = Appeal(
        proceeding=p,
        appellant=Appellant.ACCUSED,
        court_level=AppealCourt.HIGH_COURT,
        court=f"High Court ({state.name})" if state else "High Court",
        state=state,
        cnr_number=f"{code}HC01{rng.randint(1, 999999):06d}{filed_on.year}",
        filed_on=filed_on,
    )
    services.appeal_placed(appeal, p).save()
    appeal.judgments.set(Judgment.objects.filter(accused__proceeding=p, verdict=Verdict.CONVICTED))
    Proceeding.objects.filter(pk=p.pk).update(appeal_filed_on=filed_on, stage=Stage.APPEAL)
    counts[f"stage_{p.stage}"] -= 1
    counts[f"stage_{Stage.APPEAL}"] = counts.get(f"stage_{Stage.APPEAL}", 0) + 1
    counts["appeals"] = 1


def _cnr(district: Any, rng: random.Random, year: int) -> str:
    state = district.state.iso_3166_2[-2:] if district and district.state.iso_3166_2 else "XX"
    place = (district.name if district else "XX").upper().replace(" ", "")[:2].ljust(2, "X")
    return f"{state}{place}01{rng.randint(1, 999999):06d}{year}"


def _hearings(p: Proceeding, story: str, rng: random.Random, today: datetime.date) -> list[Hearing]:
    """Hearings from cognisance on, about monthly; most adjourned; one coming date."""
    start = p.cognisance_on or p.chargesheet_on
    if start is None:
        return []
    if story == "stale":
        return [Hearing(proceeding=p, on=min(start + 10 * D, today - 130 * D), court=p.court,
                        outcome=HearingOutcome.HELD, purpose="Scrutiny of documents")]  # fmt: skip
    end = p.judgment_on or today
    rows: list[Hearing] = []
    day = start + rng.randint(7, 30) * D
    weights = [w for _r, w in REASONS]
    while day < end:
        adjourned = story == "stuck" or rng.random() < 0.6
        rows.append(
            Hearing(
                proceeding=p,
                on=day,
                court=p.court,
                purpose="Evidence of the prosecution"
                if p.trial_started_on and day >= p.trial_started_on
                else "Hearing",
                outcome=HearingOutcome.ADJOURNED if adjourned else HearingOutcome.EVIDENCE,
                adjournment_reason=rng.choices([r for r, _w in REASONS], weights)[0]
                if adjourned
                else "",
                survivor_needed=story == "interstate",
            )
        )
        day += rng.randint(21, 45) * D
    if p.judgment_on:
        rows.append(Hearing(proceeding=p, on=p.judgment_on, court=p.court,
                            outcome=HearingOutcome.PRONOUNCED, purpose="Judgment"))  # fmt: skip
    else:
        rows.append(
            Hearing(
                proceeding=p,
                on=today + (6 if story == "interstate" else rng.randint(3, 40)) * D,
                court=p.court,
                purpose="Evidence of the survivor" if story == "interstate" else "Hearing",
                survivor_needed=story in ("interstate", "stuck") or rng.random() < 0.3,
            )
        )
    return rows
