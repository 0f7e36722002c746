"""scripts/audit-deps never reports "clean" without a check (issue 28)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OK = {"name": "django", "version": "6.1.3", "vulns": []}
SKIPPED = {"name": "argon2-cffi", "skip_reason": "Dependency not found on PyPI"}
BAD = {"name": "oldlib", "version": "1.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["1.1"]}]}


def _verdict(tmp_path: Path, report: object, rc: int) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "report.json"
    path.write_text(report if isinstance(report, str) else json.dumps(report))
    return subprocess.run(  # noqa: S603  (our own script)
        [str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/audit-verdict"), str(path), str(rc)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("deps", "rc", "exit_code", "says"),
    [
        ([OK], 0, 0, "no known vulnerabilities"),
        ([OK, BAD], 1, 1, "PYSEC-1"),
        ([SKIPPED, SKIPPED], 0, 77, "NOTHING WAS CHECKED"),  # pip-audit itself said "none found"
        ([OK, SKIPPED], 0, 2, "NOT CLEAN"),
        ([OK], 1, 2, "NOT CLEAN"),
    ],
)
def test_the_verdict_is_clean_only_when_everything_was_checked(tmp_path, deps, rc, exit_code, says):
    result = _verdict(tmp_path, {"dependencies": deps, "fixes": []}, rc)
    assert result.returncode == exit_code, result.stdout + result.stderr
    assert says in result.stdout + result.stderr
    if exit_code != 0:
        assert "no known vulnerabilities" not in result.stdout


def test_a_broken_report_is_not_clean(tmp_path):
    result = _verdict(tmp_path, "not json", 1)
    assert result.returncode == 2 and "NOTHING" in result.stderr


def test_an_unreachable_database_is_reported_as_skipped():
    result = subprocess.run(  # noqa: S603  (our own script)
        [str(ROOT / "scripts/audit-deps")],
        env={**os.environ, "SETU_AUDIT_CHECK_URL": "http://127.0.0.1:9/"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 77
    assert "SKIPPED" in result.stderr and "NOTHING WAS CHECKED" in result.stderr
    assert "no known vulnerabilities" not in result.stdout.lower()
