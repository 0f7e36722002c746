"""``setu demo load``: refused outside demo mode, all-or-nothing, and a network whose rules hold."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from setu.accounts.models import User
from setu.audit.models import AuditAction, AuditEntry
from setu.audit.services import verify
from setu.demo import loader
from setu.demo.network import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    PLATFORM_ADMIN_USERNAME,
    accounts_markdown,
)
from setu.orgs.models import Organisation
from setu.registry.models import Case, Person

PERSONS = 40
SEED = 11


def _load(*extra: str) -> str:
    out = io.StringIO()
    call_command("demo", "load", "--persons", str(PERSONS), "--seed", str(SEED), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_it_refuses_without_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="SETU_DEMO_MODE is not true"):
        _load()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_it_refuses_without_demo_mode_even_with_if_empty(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="SETU_DEMO_MODE"):
        _load("--if-empty")
    assert not User.objects.filter(username=PLATFORM_ADMIN_USERNAME).exists()


def test_env_example_documents_every_setting():
    root = Path(__file__).resolve().parents[3]
    source = (root / "setu" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"env_(?:str|bool|int|list|secret)\(\s*\"([A-Z0-9_]+)\"", source))
    example = (root / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    assert names and names <= documented, sorted(names - documented)


def test_one_audit_entry_records_the_load(db, demo_mode):
    before = AuditEntry.objects.count()
    _load()
    entries = AuditEntry.objects.filter(seq__gt=0).order_by("-seq")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.action == AuditAction.ADMIN
    assert entry.details["demo_loaded"]["case"] == Case.objects.count()
    assert entry.actor_label == PLATFORM_ADMIN_USERNAME
    assert verify()[1] == []


def test_a_failure_leaves_the_database_as_it_was(db, demo_mode, monkeypatch):
    before = AuditEntry.objects.count()

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader.audit, "record", explode)
    with pytest.raises(RuntimeError):
        _load()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert AuditEntry.objects.count() == before


def test_if_empty_loads_an_empty_database(db, demo_mode):
    assert "Demo network loaded" in _load("--if-empty")
    assert Organisation.objects.count() == len(ORGANISATIONS)


def test_the_plan_is_deterministic():
    first = loader.plan_network(persons=15, seed=3)
    second = loader.plan_network(persons=15, seed=3)
    assert first.truth == second.truth
    assert first.counts() == second.counts()
    assert loader.plan_network(persons=15, seed=4).truth != first.truth


def test_truth_command_writes_the_ground_truth(tmp_path):
    target = tmp_path / "truth.csv"
    call_command("demo", "truth", "--persons", "10", "--output", str(target), stdout=io.StringIO())
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows and set(rows[0]) == {"person_uuid", "record_id", "true_person_id", "organisation"}
    assert any(r["true_person_id"] == "S-rupa" for r in rows)


def test_readme_lists_exactly_the_demo_accounts():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- demo-accounts:start -->\n", 1)[1].split(
        "<!-- demo-accounts:end -->"
    )[0]
    assert block.strip() == accounts_markdown().strip(), "run: setu demo accounts"
    assert DEMO_PASSWORD in readme


def test_docs_demo_shows_exactly_the_scenarios():
    from setu.demo.scenarios import scenarios_markdown

    doc = (Path(__file__).resolve().parents[3] / "docs" / "demo.md").read_text(encoding="utf-8")
    block = doc.split("<!-- scenarios:start -->\n", 1)[1].split("<!-- scenarios:end -->")[0]
    assert block.strip() == scenarios_markdown().strip(), "run: setu demo scenarios"


def test_other_apps_can_add_demo_rows(db, demo_mode, monkeypatch):
    import importlib.util
    import sys
    import types

    from setu.registry.models import CaseNote

    def add_demo_rows(builder):
        case = builder.plan.rows[Case][0]
        builder.new(CaseNote, case_id=case.id, body="Added by another app's demo hook.")

    module = types.ModuleType("setu.web.demo")
    module.__spec__ = importlib.util.spec_from_loader("setu.web.demo", loader=None)
    module.add_demo_rows = add_demo_rows
    monkeypatch.setitem(sys.modules, "setu.web.demo", module)
    _load()
    assert CaseNote.objects.filter(body="Added by another app's demo hook.").count() == 1
