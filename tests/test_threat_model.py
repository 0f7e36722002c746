"""docs/threat-model.md names real tests: every ``path::test_name`` it cites exists (issue 28,
promise 11). A renamed or deleted test must be renamed or removed there too."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "threat-model.md"


def _citations() -> list[tuple[str, str]]:
    """(file, test name) for each citation; ``::name`` alone continues the previous file."""
    found: list[tuple[str, str]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current = ""
        for path, name in re.findall(r"`((?:setu|tests)/[\w/]+\.py)?::(\w+)", line):
            current = path or current
            found.append((current, name))
    return found


def test_the_threat_model_cites_tests_that_exist():
    citations = _citations()
    assert len(citations) > 30
    missing = [
        f"{path}::{name}"
        for path, name in citations
        if not path
        or not (ROOT / path).exists()
        or not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == []


def test_the_threat_model_covers_the_four_actors():
    text = DOC.read_text(encoding="utf-8")
    for actor in (
        "insider at a partner organisation",
        "stolen phone",
        "compromised account",
        "curious analyst",
    ):
        assert actor in text.lower()
    # Every actor's section (the four above, and any added since) names its gaps.
    sections = re.findall(r"^## \d+\. ", text, re.M)
    assert len(sections) >= 4 and text.count("**Gaps.**") == len(sections)
