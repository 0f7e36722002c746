"""Hearings carry their proceeding's organisation, case, track and place (so the outcome
statistics group 100,000 of them without a join): written by the services, kept in step when
the proceeding's place or court changes, and filled for existing rows by migration 0006."""

from __future__ import annotations

import datetime
import importlib

import pytest

from setu.legal import selectors, services
from setu.legal.models import Hearing
from setu.legal.tests.factories import HearingFactory, ProceedingFactory
from setu.orgs.models import District

pytestmark = pytest.mark.django_db
D = datetime.date


def _elsewhere() -> District:
    """A district in another state than Mumbai's (482)."""
    mumbai = District.objects.get(pk=482)
    return District.objects.exclude(state_id=mumbai.state_id).order_by("pk").first()


def test_a_hearing_added_carries_its_proceedings_place(personas, legal_officer):
    p = ProceedingFactory(case=personas.case, district_id=482, court="")
    hearing = services.hearing_add(
        actor=legal_officer, proceeding=p, on=D(2026, 3, 2), outcome="scheduled"
    )
    hearing.refresh_from_db()
    assert (hearing.owner_org_id, hearing.case_id, hearing.track) == (
        p.owner_org_id,
        p.case_id,
        "criminal",
    )
    assert (hearing.district_id, hearing.state_id) == (482, District.objects.get(pk=482).state_id)
    assert hearing.police_station == "Kamathipura PS" and hearing.place_court == ""


def test_the_hearings_follow_when_the_proceedings_place_changes(personas, legal_officer):
    p = ProceedingFactory(case=personas.case, district_id=482)
    own_court = HearingFactory(
        proceeding=p, court="CJM Court, Mumbai", outcome="adjourned", adjournment_reason="other"
    )
    no_court = HearingFactory(
        proceeding=p, court="", outcome="adjourned", adjournment_reason="other"
    )
    assert no_court.place_court == "Sessions Court, Mumbai"
    moved = _elsewhere()
    services.proceeding_update(
        actor=legal_officer,
        proceeding=p,
        district_id=moved.pk,
        police_station="Sadar PS",
        court="Sessions Court, Elsewhere",
    )
    own_court.refresh_from_db()
    no_court.refresh_from_db()
    for h in (own_court, no_court):
        assert (h.district_id, h.state_id, h.police_station) == (
            moved.pk,
            moved.state_id,
            "Sadar PS",
        )
    # A hearing's own court stays; one without a court follows the proceeding's.
    assert own_court.place_court == "CJM Court, Mumbai"
    assert no_court.place_court == "Sessions Court, Elsewhere"
    by_district = selectors.outcomes(actor=personas["lead"], by="district")
    assert [(r.label, r.total) for r in by_district.reason_rows] == [(moved.name, 2)]
    by_state = selectors.outcomes(actor=personas["lead"], by="state")
    assert [r.label for r in by_state.reason_rows] == [moved.state.name]


def test_correcting_a_hearings_court_moves_it_between_courts(personas, legal_officer):
    p = ProceedingFactory(case=personas.case, district_id=482)
    h = HearingFactory(
        proceeding=p, on=D(2026, 3, 2), outcome="adjourned", adjournment_reason="other"
    )
    services.hearing_update(actor=legal_officer, hearing=h, court="CJM Court, Mumbai")
    h.refresh_from_db()
    assert h.place_court == "CJM Court, Mumbai"
    rows = selectors.outcomes(actor=personas["lead"], by="court").reason_rows
    assert [(r.label, r.total) for r in rows] == [("CJM Court, Mumbai", 1)]


def test_the_migration_fills_the_hearings_written_before(personas):
    from django.apps import apps

    migration = importlib.import_module("setu.legal.migrations.0006_hearings_placed")
    p = ProceedingFactory(case=personas.case, district_id=482, track="criminal")
    with_court = HearingFactory(proceeding=p, court="CJM Court, Mumbai")
    without = HearingFactory(proceeding=p, court="")
    # As a row from before 0005: nothing of the proceeding on it.
    Hearing.objects.update(
        track="", district_id=None, state_id=None, police_station="", place_court=""
    )
    migration.forwards(apps, None)
    with_court.refresh_from_db()
    without.refresh_from_db()
    state_id = District.objects.get(pk=482).state_id
    for h in (with_court, without):
        assert (h.track, h.district_id, h.state_id) == ("criminal", 482, state_id)
        assert h.police_station == "Kamathipura PS" and h.owner_org_id == p.owner_org_id
    assert (with_court.place_court, without.place_court) == (
        "CJM Court, Mumbai",
        "Sessions Court, Mumbai",
    )
