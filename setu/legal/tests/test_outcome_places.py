"""Verdicts and appeals carry their proceeding's organisation, case, track and place (so the
convictions and the appeals per place are counted without a join): written by the services,
kept in step when the proceeding's place changes, filled for existing rows by migration 0010,
and counted exactly as through the joined proceeding, suppression included. Also how long the
appeals took (filing to decision) in the stage durations: page, CSV and API."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from setu.access import policy
from setu.access.policy import Action
from setu.legal import selectors, services
from setu.legal.models import Appeal, AppealStatus, Judgment, Proceeding, Verdict
from setu.legal.tests.factories import (
    AccusedFactory,
    AppealFactory,
    JudgmentFactory,
    ProceedingFactory,
)
from setu.orgs.models import District
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MUMBAI = 482
FIR = D(2026, 1, 10)


def _elsewhere() -> District:
    """A district in another state than Mumbai's."""
    mumbai = District.objects.get(pk=MUMBAI)
    return District.objects.exclude(state_id=mumbai.state_id).order_by("pk").first()


def _judged(case, district_id=MUMBAI, verdicts=(Verdict.CONVICTED,), fir=FIR, **kw):
    """A judged proceeding of ``case`` with one accused per verdict (judged 9-7 of the FIR's
    year)."""
    judged = D(fir.year, 7, 9)
    p = ProceedingFactory(
        case=case,
        district_id=district_id,
        fir_date=fir,
        fir_number=f"0042/{fir.year}",
        chargesheet_on=fir + datetime.timedelta(days=60),
        charges_framed_on=D(fir.year, 4, 1),
        trial_started_on=D(fir.year, 4, 2),
        judgment_on=judged,
        stage="judgment",
        **kw,
    )
    for verdict in verdicts:
        JudgmentFactory(accused=AccusedFactory(proceeding=p), verdict=verdict, decided_on=judged)
    return p


def _appeal(p, status=AppealStatus.PENDING, days=None, **kw):
    """An appeal of ``p`` filed 1 August of its judgment's year, decided ``days`` after."""
    filed = D(p.judgment_on.year, 8, 1)
    decided = filed + datetime.timedelta(days=days) if days is not None else None
    return AppealFactory(proceeding=p, status=status, filed_on=filed, decided_on=decided, **kw)


def _counted_case(org):
    """Another organisation's case whose survivor consented to anonymous statistics."""
    case = CaseFactory(owner_org=org)
    ConsentFactory(person=CasePersonFactory(case=case).person, scopes=["statistics"])
    return case


@pytest.fixture
def cases(personas):
    """The own organisation's judged cases in Mumbai (one convicted twice over two accused),
    one of 2025 elsewhere; another organisation's twelve counted cases elsewhere and one in
    Mumbai not counted (no consent)."""
    own = personas.case
    elsewhere = _elsewhere()
    twice = _judged(own, verdicts=(Verdict.CONVICTED, Verdict.CONVICTED))
    _appeal(twice, AppealStatus.CONVICTION_UPHELD, days=100)
    earlier = _appeal(twice, AppealStatus.DISMISSED, days=40)
    _appeal(twice, appeal_from=earlier)
    once = _judged(own, verdicts=(Verdict.CONVICTED, Verdict.ACQUITTED), police_station="Colaba PS")
    _appeal(once, AppealStatus.DISMISSED, days=50)
    _judged(own, verdicts=(Verdict.ACQUITTED,), court="CJM Court, Mumbai")
    old = _judged(own, district_id=elsewhere.pk, fir=D(2025, 2, 1), court="Sessions Court, X")
    _appeal(old, AppealStatus.ALLOWED, days=300)
    for n in range(12):
        theirs = _judged(
            _counted_case(personas.other_org),
            district_id=elsewhere.pk,
            verdicts=(Verdict.CONVICTED if n < 5 else Verdict.ACQUITTED,),
            court="Sessions Court, X",
        )
        _appeal(theirs, AppealStatus.CONVICTION_SET_ASIDE if n == 0 else AppealStatus.PENDING, 90)
    hidden = _judged(CaseFactory(owner_org=personas.other_org))
    _appeal(hidden, AppealStatus.DISMISSED, days=10)
    return elsewhere


# The proceeding's own columns, as the outcome queries grouped by them through the join.
JOINED = {
    "state": "district__state_id",
    "district": "district_id",
    "police_station": "police_station",
    "court": "court",
}


def _joined(actor, by: str, year: int | None, year_of: str) -> dict[str, dict[str, Any]]:
    """Per place's label: the convictions, the appeals per status and their average duration,
    counted through each verdict's and appeal's proceeding (as before they carried its place),
    unsuppressed."""
    counted = policy.scope(
        actor, Proceeding.objects.filter(track="criminal"), Action.VIEW_AGGREGATES
    )
    if year:
        counted = counted.filter(**{f"{selectors.YEAR_OF[year_of]}__year": year})
    place = JOINED[by]
    names = selectors._place_names(by)
    out: dict[str, dict[str, Any]] = {}

    def row(key) -> dict[str, Any]:
        label = names.get(key, key) or "—"
        return out.setdefault(label, {"convicted": 0, "appeals": {}, "days": []})

    convicted = (
        Judgment.objects.filter(verdict=Verdict.CONVICTED, accused__proceeding__in=counted)
        .values(f"accused__proceeding__{place}")
        .annotate(n=Count("accused__proceeding", distinct=True))
    )
    for cell in convicted:
        row(cell[f"accused__proceeding__{place}"])["convicted"] = cell["n"]
    for appeal in Appeal.objects.filter(proceeding__in=counted).select_related("proceeding"):
        key = Proceeding.objects.filter(pk=appeal.proceeding_id).values_list(place, flat=True)[0]
        entry = row(key)
        entry["appeals"][appeal.status] = entry["appeals"].get(appeal.status, 0) + 1
        if appeal.decided_on:
            entry["days"].append((appeal.decided_on - appeal.filed_on).days)
    return out


YEARS = [(None, "fir"), (2026, "fir"), (2025, "fir"), (2026, "judgment"), (2025, "judgment")]


@pytest.mark.parametrize("by", list(JOINED))
@pytest.mark.parametrize(("year", "year_of"), YEARS)
def test_counted_on_their_own_columns_as_through_the_proceeding(personas, cases, by, year, year_of):
    actor = personas["analyst"]
    out = selectors.outcomes(actor=actor, by=by, year=year, year_of=year_of)
    expected = _joined(actor, by, year, year_of)
    assert {r.label for r in out.appeal_rows} == {
        label for label, e in expected.items() if e["appeals"]
    }
    for r in out.rows:
        want = expected.get(r.label, {"convicted": 0, "appeals": {}, "days": []})
        assert r.counts["convicted"] in (None, want["convicted"]), r.label
        spent = want["days"]
        average = round(sum(spent) / len(spent)) if spent else None
        assert r.days_appeal_to_decision in (None, average), r.label
    for r in out.appeal_rows:
        want = expected[r.label]["appeals"]
        assert r.counts["filed"] in (None, sum(want.values())), r.label
        for status in AppealStatus:
            assert r.counts[status] in (None, want.get(status, 0)), (r.label, status)


def test_the_owning_organisations_rows_are_exact_and_others_suppressed(personas, cases):
    by_district = selectors.outcomes(actor=personas["analyst"], by="district")
    rows = {r.label: r for r in by_district.rows}
    mumbai, elsewhere = rows["Mumbai"], rows[cases.name]
    # Two convicted cases (one with two convicted accused: one case), not the other
    # organisation's case without consent.
    assert mumbai.counts["convicted"] == 2 and mumbai.conviction_rate == 67
    # Own appeals: decided after 100, 40 and 50 days; the further appeal is pending.
    assert mumbai.days_appeal_to_decision == 63
    appeals = {r.label: r for r in by_district.appeal_rows}
    assert appeals["Mumbai"].counts == {
        "filed": 4,
        "pending": 1,
        "dismissed": 2,
        "allowed": 0,
        "upheld": 1,
        "set_aside": 0,
        "sentence_modified": 0,
        "remanded": 0,
    }
    # Elsewhere: 6 convictions (5 theirs, 1 own) among 13 judged cases: under 11, hidden.
    assert elsewhere.counts["proceedings"] == 13 and elsewhere.counts["convicted"] is None
    # Two decided appeals (one theirs, one own) of two cases: the average would tell dates.
    assert elsewhere.days_appeal_to_decision is None
    there = appeals[cases.name].counts
    assert there["filed"] == 13 and there["set_aside"] is None and there["allowed"] is None
    assert by_district.suppressed_any
    # The other organisation sees its own twelve cases' appeals exactly where they are alone.
    from setu.access.actor import actor_for_user
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory

    theirs = actor_for_user(
        MembershipFactory(organisation=personas.other_org, role=Role.ANALYST).user
    )
    their_view = selectors.outcomes(actor=theirs, by="court", year=2026)
    [court] = [r for r in their_view.rows if r.label == "Sessions Court, X"]
    assert court.counts["convicted"] == 5 and court.days_appeal_to_decision == 90


def test_a_verdict_and_an_appeal_written_by_the_services_carry_the_place(personas, legal_officer):
    p = ProceedingFactory(
        case=personas.case,
        district_id=MUMBAI,
        charges_framed_on=D(2026, 4, 1),
        sections=["BNS-143"],
    )
    accused = services.accused_add(actor=legal_officer, proceeding=p, name="A")
    verdict = services.judgment_record(
        actor=legal_officer,
        accused=accused,
        section="BNS-143",
        verdict=Verdict.CONVICTED,
        decided_on=D(2026, 7, 9),
    )
    p.refresh_from_db()
    appeal = services.appeal_file(
        actor=legal_officer,
        proceeding=p,
        appellant="accused",
        court_level="high_court",
        court="High Court of Bombay",
        filed_on=D(2026, 8, 1),
        judgments=[verdict.pk],
    )
    verdict.refresh_from_db()
    appeal.refresh_from_db()
    state_id = District.objects.get(pk=MUMBAI).state_id
    assert (verdict.proceeding_id, verdict.owner_org_id, verdict.case_id) == (
        p.pk,
        p.owner_org_id,
        p.case_id,
    )
    assert (verdict.track, verdict.district_id, verdict.state_id) == ("criminal", MUMBAI, state_id)
    assert verdict.police_station == "Kamathipura PS"
    assert verdict.place_court == "Sessions Court, Mumbai"
    assert (appeal.owner_org_id, appeal.case_id, appeal.track) == (
        p.owner_org_id,
        p.case_id,
        "criminal",
    )
    assert (appeal.place_district_id, appeal.place_state_id) == (MUMBAI, state_id)
    # Its own court is the appellate court's; it is counted under the trial court.
    assert appeal.court == "High Court of Bombay"
    assert appeal.place_court == "Sessions Court, Mumbai"


def test_verdicts_and_appeals_follow_when_the_proceedings_place_changes(personas, legal_officer):
    p = _judged(personas.case)
    _appeal(p, AppealStatus.DISMISSED, days=30)
    moved = _elsewhere()
    services.proceeding_update(
        actor=legal_officer,
        proceeding=p,
        district_id=moved.pk,
        police_station="Sadar PS",
        court="Sessions Court, Elsewhere",
    )
    verdict, appeal = Judgment.objects.get(), Appeal.objects.get()
    assert (verdict.district_id, verdict.state_id, verdict.police_station) == (
        moved.pk,
        moved.state_id,
        "Sadar PS",
    )
    assert (appeal.place_district_id, appeal.place_state_id, appeal.police_station) == (
        moved.pk,
        moved.state_id,
        "Sadar PS",
    )
    assert verdict.place_court == appeal.place_court == "Sessions Court, Elsewhere"
    out = selectors.outcomes(actor=personas["lead"], by="state")
    assert [(r.label, r.counts["convicted"]) for r in out.rows] == [(moved.state.name, 1)]
    assert [r.label for r in out.appeal_rows] == [moved.state.name]


def test_the_migration_fills_the_verdicts_and_appeals_written_before(personas):
    from django.apps import apps

    migration = importlib.import_module("setu.legal.migrations.0010_verdicts_and_appeals_placed")
    p = _judged(personas.case)
    _appeal(p, AppealStatus.PENDING)
    stranger = ProceedingFactory(case=CaseFactory(owner_org=personas.other_org))
    # As rows from before 0009: nothing of the proceeding on them (the required columns
    # pointing elsewhere, as they cannot be empty now).
    blank = {"track": "", "police_station": "", "place_court": ""}
    Judgment.objects.update(
        **blank,
        state_id=None,
        district_id=None,
        proceeding_id=stranger.pk,
        owner_org_id=stranger.owner_org_id,
        case_id=stranger.case_id,
    )
    Appeal.objects.update(
        **blank,
        place_state_id=None,
        place_district_id=None,
        owner_org_id=stranger.owner_org_id,
        case_id=stranger.case_id,
    )
    migration.forwards(apps, None)
    verdict, appeal = Judgment.objects.get(), Appeal.objects.get()
    state_id = District.objects.get(pk=MUMBAI).state_id
    assert (verdict.proceeding_id, verdict.owner_org_id, verdict.case_id) == (
        p.pk,
        p.owner_org_id,
        p.case_id,
    )
    assert (verdict.track, verdict.district_id, verdict.state_id) == ("criminal", MUMBAI, state_id)
    assert (appeal.owner_org_id, appeal.case_id, appeal.track) == (
        p.owner_org_id,
        p.case_id,
        "criminal",
    )
    assert (appeal.place_district_id, appeal.place_state_id) == (MUMBAI, state_id)
    for row in (verdict, appeal):
        assert row.police_station == "Kamathipura PS"
        assert row.place_court == "Sessions Court, Mumbai"


def test_the_appeals_duration_on_the_page_in_the_csv_and_the_api(personas):
    p = _judged(personas.case)
    _appeal(p, AppealStatus.DISMISSED, days=120)
    _appeal(p, AppealStatus.PENDING)
    client = Client()
    client.force_login(personas.users["org_admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    page = client.get(reverse("legal:outcomes"), {"by": "court"}).content.decode()
    assert "Average days, appeal filed to decided" in page
    assert 'data-label="Average days, appeal filed to decided">120<' in page
    lines = client.get(reverse("legal:outcomes-csv"), {"by": "court"}).content.decode()
    header, row = lines.splitlines()[:2]
    assert header.endswith(",avg_days_appeal_filed_to_decided")
    assert row.endswith(",120")
    api = APIClient()
    api.force_authenticate(personas.users["org_admin"])
    [cases] = api.get("/api/v1/legal/outcomes/", {"by": "court"}).json()["cases"]
    assert cases["avg_days_appeal_filed_to_decided"] == 120
