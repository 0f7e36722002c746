"""`setu.core` depends on nothing of Setu (base model, errors, API shape): other apps build on it."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "setu" / "core"


def _setu_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "setu" or name.startswith("setu.")}


def test_core_imports_nothing_of_setu_but_core():
    modules = [
        p for p in CORE.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts
    ]
    assert modules
    outside = {
        str(p.relative_to(CORE)): sorted(
            m for m in _setu_imports(p) if not m.startswith("setu.core")
        )
        for p in modules
    }
    assert not {k: v for k, v in outside.items() if v}, outside
