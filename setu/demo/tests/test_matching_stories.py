"""The demo's matching story-lines, checked end to end: load, re-match, then what each side gets."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import override_settings

from setu.matching.models import AlertKind, Band, MatchAlert, MatchPair
from setu.notifications.models import Notification
from setu.registry.models import CasePerson, EventKind

PERSONS = 40
SEED = 11


@pytest.fixture(scope="module")
def _rematched_once(module_db) -> None:
    with override_settings(DEMO_MODE=True):
        call_command(
            "demo", "load", "--persons", str(PERSONS), "--seed", str(SEED), stdout=io.StringIO()
        )
        # make run does this in the background after loading; tests run tasks immediately.
        call_command("matching", "rematch", stdout=io.StringIO())


@pytest.fixture
def rematched(_rematched_once, db) -> None:
    """The demo network loaded and re-matched once for this module (see ``module_db``); each
    test reads it in its own savepoint."""


def _person(reference: str, given: str = "") -> object:
    links = CasePerson.objects.filter(case__reference=reference).select_related("person")
    # Names are encrypted: compared on the opened instances, not in SQL.
    (person,) = [link.person for link in links if not given or link.person.given_name == given]
    return person


def _pairs_between(a: object, b: object) -> list[MatchPair]:
    return list(MatchPair.objects.filter(Q(person_a=a, person_b=b) | Q(person_a=b, person_b=a)))


def test_the_missing_girl_and_her_rescue_record_meet_across_organisations(rematched):
    rupa, roopa = _person("PCMS/2024/0001", "Rupa"), _person("SST/2024/0001")
    [pair] = _pairs_between(rupa, roopa)
    assert pair.band == Band.STRONG and pair.missing_found
    for org in (rupa.owner_org, roopa.owner_org):
        assert Notification.objects.filter(
            recipient__memberships__organisation=org, url__contains=str(pair.pk)
        ).exists()


def test_each_sister_meets_her_own_report_and_never_her_sister(rematched):
    sunita, anita = _person("KKJ/2023/0001"), _person("KKJ/2023/0002")
    found_sunita = _person("YBRS/2024/0001", "Sunita")
    found_anita = _person("YBRS/2024/0001", "Anita")
    assert [p.band for p in _pairs_between(sunita, found_sunita)] == [Band.STRONG]
    assert [p.band for p in _pairs_between(anita, found_anita)] == [Band.STRONG]
    assert _pairs_between(sunita, anita) == []
    assert _pairs_between(sunita, found_anita) == []
    assert _pairs_between(found_sunita, found_anita) == []


def test_the_bonded_labourer_is_a_pair_for_both_organisations_to_review(rematched):
    bikash, vikash = _person("RSSS/2024/0001"), _person("DVF/2024/0001")
    [pair] = _pairs_between(bikash, vikash)
    assert pair.missing_found
    # His consent names the Ganjam organisation only: no other organisation is paired with him.
    allowed = {vikash.owner_org_id, bikash.owner_org_id}
    for other in MatchPair.objects.filter(Q(person_a=vikash) | Q(person_b=vikash)):
        assert {other.org_a_id, other.org_b_id} <= allowed


def test_the_interception_alerts_the_organisation_that_rescued_her_before(rematched):
    shefali, sefali = _person("YBRS/2022/0001"), _person("WBAHTU/2025/0001")
    assert _pairs_between(shefali, sefali)
    alert = MatchAlert.objects.get(kind=AlertKind.RETRAFFICKING, person=shefali)
    assert alert.organisation == shefali.owner_org
    assert alert.event_kind == EventKind.INTERCEPTION
    assert alert.district.name == "Howrah"
    assert str(alert.event_date) == "2025-09-14"
    # The AHTU holds the new event; it is not told about the Delhi rescue by an alert.
    assert not MatchAlert.objects.filter(
        kind=AlertKind.RETRAFFICKING, organisation=sefali.owner_org, person=sefali
    ).exists()
