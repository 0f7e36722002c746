"""``setu demo load --match-story-lines`` into an empty database: the story-lines' pairs are
found as they are loaded, and nobody else is indexed (test_matching_stories.py reads the demo
after a full re-match)."""

from __future__ import annotations

import io

from django.core.management import call_command

from setu.demo.tests.test_matching_stories import PERSONS, SEED, _pairs_between, _person
from setu.matching.models import MatchPair
from setu.registry.models import CasePerson


def test_matching_the_story_lines_alone_finds_their_pairs_and_touches_nobody_else(db, settings):
    from setu.matching.models import MatchRecord, PairKind

    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command(
        "demo",
        "load",
        "--match-story-lines",
        "--persons",
        str(PERSONS),
        "--seed",
        str(SEED),
        stdout=out,
    )
    rupa, roopa = _person("PCMS/2024/0001", "Rupa"), _person("SST/2024/0001")
    sunita, found_sunita = _person("KKJ/2023/0001"), _person("YBRS/2024/0001", "Sunita")
    bikash, vikash = _person("RSSS/2024/0001"), _person("DVF/2024/0001")
    for a, b in ((rupa, roopa), (sunita, found_sunita), (bikash, vikash)):
        [pair] = _pairs_between(a, b)
        assert pair.kind == PairKind.CROSS_ORG
    # The sisters stay apart here too.
    assert _pairs_between(sunita, _person("YBRS/2024/0001", "Anita")) == []
    # Only the story-lines' persons were indexed: the synthetic network waits for a rematch.
    indexed = set(MatchRecord.objects.values_list("person_id", flat=True))
    assert {rupa.pk, roopa.pk, sunita.pk, bikash.pk, vikash.pk} <= indexed
    assert 0 < len(indexed) < CasePerson.objects.values("person").distinct().count() / 2
    pairs = MatchPair.objects.count()
    assert f"{len(indexed)} persons checked, {pairs} pairs" in out.getvalue()
