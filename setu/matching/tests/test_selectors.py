"""Matching selectors: scoping, the review view, calibration, check-before-create."""

from __future__ import annotations

import pytest

from setu.core.errors import NotFound
from setu.matching import selectors, services
from setu.matching.models import MatchDecision, MatchPair
from setu.matching.tests import factories as f

pytestmark = pytest.mark.django_db


def test_pair_list_is_scoped_and_awaiting_filters_our_answer(personas):
    pair = f.persona_pair(personas)
    assert list(selectors.pair_list(actor=personas["lead"])) == [pair]
    assert list(selectors.pair_list(actor=personas["partner"])) == [pair]
    for who in ("other_org", "counsellor", "analyst", "platform_admin"):
        assert not selectors.pair_list(actor=personas[who]).exists(), who
    services.pair_confirm(actor=personas["lead"], pair_id=pair.pk)
    assert not selectors.pair_list(actor=personas["lead"], awaiting=True).exists()
    assert selectors.pair_count(actor=personas["partner"]) == 1


def test_linked_history_needs_a_link(personas):
    pair = f.persona_pair(personas)
    with pytest.raises(NotFound):
        selectors.linked_history(actor=personas["lead"], pair_id=pair.pk)


def test_duplicate_review_shows_both_records(personas):
    from setu.registry.tests.factories import PersonFactory

    twin = PersonFactory(owner_org=personas.own_org, given_name=personas.person.given_name)
    pair = f.pair_between(personas.person, twin)
    review = selectors.pair_review(actor=personas["lead"], pair_id=pair.pk)
    assert any(r.other for r in review.rows)


def test_calibration_counts_decisions_by_band(personas):
    pair = f.persona_pair(personas)
    for p, decision in [(0.5, "dismiss"), (0.97, "confirm")]:
        MatchDecision.objects.create(
            pair=pair, organisation=personas.own_org, decision=decision, probability=p
        )
    cal = selectors.calibration(actor=personas["org_admin"])
    assert [(b.confirmed, b.rejected) for b in cal.bands] == [(0, 1), (0, 0), (0, 0), (1, 0)]
    assert cal.threshold == 0.40  # too few decisions to move it


def test_check_record_counts_other_organisations_without_their_records():
    net = f.network()
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(rescued)
    services.records_refresh([rescued.pk])
    from setu.matching import records

    missing, _ = f.missing_girl(net.source)
    record = records.person_record(records.persons_for_records().get(pk=missing.pk))
    result = selectors.check_record(actor=net.actor("source_contact"), record=record)
    assert result.own == [] and result.other_count == 1
    assert result.other_orgs == ["Sagar Destination Trust"]
    assert MatchPair.objects.count() == 0  # a check creates nothing
