"""The matching app's use of the engine: public index keys, and re-matching after a key change."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from setu import linkage
from setu.matching import engine, services
from setu.matching.models import MatchKey, MatchRecord
from setu.matching.tests import factories as f


def test_the_shim_uses_only_the_public_engine_api():
    tree = ast.parse(Path(engine.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("setu.linkage._"), node.module
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "linkage"
        ):
            assert node.attr in linkage.__all__, node.attr


def test_engine_version_follows_the_key_format(monkeypatch):
    before = engine.engine_version()
    assert before == engine.engine_version()
    monkeypatch.setattr(linkage, "INDEX_KEYS_VERSION", linkage.INDEX_KEYS_VERSION + 1)
    assert engine.engine_version() != before


@pytest.mark.django_db
def test_stored_keys_are_the_engines_and_rematch_refreshes_an_older_engine():
    net = f.network()
    missing, _ = f.missing_girl(net.source)
    services.records_refresh([missing.pk])
    mr = MatchRecord.objects.get(person=missing)
    record = engine.record_from_data(mr.data)
    stored = set(MatchKey.objects.filter(record=mr).values_list("key", flat=True))
    # The engine's keys, each an HMAC under the field index key (never the unkeyed digest).
    assert stored == set(engine.index_keys(record))
    assert not stored & set(linkage.index_keys(record))
    assert mr.pk in {r.pk for r in services.candidate_records(
        record, organisation_id=mr.organisation_id, cross_org=False)}  # fmt: skip

    # A record indexed by an older engine (old key format): stale until rematch.
    MatchKey.objects.filter(record=mr).delete()
    MatchKey.objects.create(record=mr, key="g:rupa", organisation_id=mr.organisation_id)
    MatchRecord.objects.filter(pk=mr.pk).update(engine_version="older")
    done, total = services.index_progress()
    assert done == total - 1
    call_command("matching", "rematch", "--index-only", stdout=io.StringIO())
    mr.refresh_from_db()
    assert mr.engine_version == services.ENGINE_VERSION
    assert set(MatchKey.objects.filter(record=mr).values_list("key", flat=True)) == stored
    assert services.index_progress()[0] == services.index_progress()[1]


# The engine's comparison levels (docs/linkage/weights.md); not part of its public API.
LEVELS = {
    "given_name": ("missing", "different", "similar", "alias", "partial", "swapped", "sound",
                   "exact"),
    "sex": ("missing", "different", "same"),
    "birth": ("missing", "far", "near", "consistent", "year", "date_typo", "date_swapped",
              "date"),
    "family_name": ("missing", "different", "similar", "sound"),
    "father_name": ("missing", "different", "similar", "partial", "sound"),
    "mother_name": ("missing", "different", "similar", "partial", "sound"),
    "village": ("missing", "different", "similar", "sound"),
    "place": ("missing", "other_state", "same_state", "related_district", "same_district"),
    "phone": ("missing", "different", "same"),
}  # fmt: skip


def test_every_level_the_engine_can_report_has_a_sentence():
    from django.utils import translation

    for field, levels in LEVELS.items():
        for level in levels:
            text = engine.evidence_text(field, level)
            assert text != level, (field, level)  # a code shown as text would be untranslated
            with translation.override("bn"):
                assert engine.evidence_text(field, level) != text, (field, level)


def test_the_summary_is_in_the_active_language():
    from django.utils import translation

    a = linkage.PersonRecord("a", given_name="Rupa", family_name="Khatun", sex="F", age=16)
    b = linkage.PersonRecord("b", given_name="Roopa", family_name="Khatoon", sex="F", age=16)
    ex = engine.explain(a, b)
    english = engine.summary_text(ex)
    assert english.startswith(engine.verdict_text(ex)) and "For: " in english
    with translation.override("bn"):
        bengali = engine.summary_text(ex)
    assert "For:" not in bengali and "probability" not in bengali
    assert f"{ex.probability:.0%}" in bengali
