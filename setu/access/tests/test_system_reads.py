"""The reads that cross organisations on purpose are few, named and reviewed (issue 28,
promise 1; docs/row-level-security.md, "System reads"). Runs on every database: the list is
code, not data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from setu.access import policy
from setu.registry.models import Person


def test_a_system_read_must_not_hand_out_a_lazy_query():
    @policy.system_read
    def everyone():
        return Person.objects.all()

    with pytest.raises(TypeError, match="must not return a QuerySet"):
        everyone()


# The reads that cross organisations on purpose. Adding one is a security decision: review it,
# add it here and to docs/row-level-security.md ("System reads").
SYSTEM_READS = {
    ("setu/audit/selectors.py", "_entries_about"),
    ("setu/audit/services.py", "_append_elsewhere"),
    ("setu/audit/services.py", "_entry_hashes"),
    ("setu/audit/services.py", "_verify_entries"),
    ("setu/backup/services.py", "backup_write"),
    ("setu/intel/services.py", "_same_value_elsewhere"),
    ("setu/matching/selectors.py", "_network_rated"),
    ("setu/consent/selectors.py", "identity_consented"),
    ("setu/demo/management/commands/demo.py", "system_scope"),
    ("setu/consent/selectors.py", "matching_consent_rows"),
    ("setu/legal/selectors.py", "outcomes"),
    ("setu/matching/selectors.py", "_record_of"),
    ("setu/matching/selectors.py", "_band_stats"),
    ("setu/notifications/selectors.py", "digest_lines"),
    ("setu/notifications/services.py", "_deliver"),
    ("setu/notifications/services.py", "_settle"),
    ("setu/referrals/selectors.py", "referral_count_by_month"),
    ("setu/referrals/selectors.py", "referral_flow_rows"),
    ("setu/registry/selectors.py", "case_statistics"),
    ("setu/registry/selectors.py", "earlier_event_owner"),
    ("setu/registry/selectors.py", "event_for_system"),
    ("setu/registry/selectors.py", "event_person_ids"),
    ("setu/registry/selectors.py", "person_case_links"),
    ("setu/registry/selectors.py", "person_event_rows"),
    ("setu/registry/selectors.py", "person_for_system"),
    ("setu/registry/selectors.py", "person_minimal_history"),
    ("setu/registry/selectors.py", "shared_case_events"),
    ("setu/registry/selectors.py", "shared_case_services"),
    ("setu/registry/selectors.py", "shared_contact"),
    ("setu/registry/selectors.py", "shared_identity"),
}


def test_the_system_reads_are_exactly_the_reviewed_ones():
    root = Path(__file__).resolve().parents[3]
    found = set()
    for path in sorted((root / "setu").rglob("*.py")):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        rel = str(path.relative_to(root))
        if "system_scope(" in text and rel != "setu/access/rls.py" and path.stem != "policy":
            found.add((rel, "system_scope"))
        if "system_read" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and any(
                ast.unparse(d).endswith("system_read") for d in node.decorator_list
            ):
                found.add((rel, node.name))
    assert found == SYSTEM_READS
