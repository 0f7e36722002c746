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
    assert stored == set(linkage.index_keys(record))
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
