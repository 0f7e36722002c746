"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETU = ROOT / "setu"
APP_DIRS = sorted(p.parent for p in SETU.glob("*/apps.py"))


def _modules(name: str) -> list[Path]:
    found = []
    for app in APP_DIRS:
        found += [app / f"{name}.py"] if (app / f"{name}.py").exists() else []
        found += sorted((app / name).glob("*.py")) if (app / name).is_dir() else []
    return found


# QuerySet methods that run or shape a query. `values`, `count`, `exists`, `first` and `last`
# also name dict/list/str methods; those are flagged only in the argument shape a QuerySet
# takes (`qs.values("pk")`, `qs.count()`), never `errors.values()` or `text.count("x")`.
QUERY_METHODS = {
    "filter", "exclude", "annotate", "aggregate", "alias", "order_by", "distinct", "only",
    "defer", "select_related", "prefetch_related", "values_list", "in_bulk", "iterator",
    "raw", "extra", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
}  # fmt: skip
QUERY_METHODS_WITH_ARGS = {"values"}
QUERY_METHODS_WITHOUT_ARGS = {"count", "exists", "first", "last"}

# (module, method) pairs a reviewer has accepted. Keep it short; say why.
THIN_VIEW_ALLOWED: set[tuple[str, str]] = set()


def _view_modules() -> list[Path]:
    """Modules that handle requests or build a page: views, APIs and the web shell's helpers."""
    names = {"views", "api", "home", "errors", "context_processors"}
    found = {path for name in names for path in _modules(name)}
    found |= {path for app in APP_DIRS for path in app.glob("api_*.py")}
    return sorted(found)


def _queries_and_foreign_models(path: Path) -> list[str]:
    """ORM query calls and other apps' model imports in one module, as `line: reason`."""
    app = path.relative_to(SETU).parts[0]
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, "objects"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, has_args = node.func.attr, bool(node.args or node.keywords)
            if (
                name in QUERY_METHODS
                or (name in QUERY_METHODS_WITH_ARGS and has_args)
                or (name in QUERY_METHODS_WITHOUT_ARGS and not has_args)
            ):
                found.append((node.lineno, name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            names = {alias.name for alias in node.names}
            imports_models = parts[-1] == "models" or (len(parts) == 2 and "models" in names)
            if parts[0] == "setu" and len(parts) > 1 and parts[1] != app and imports_models:
                found.append((node.lineno, f"import of {node.module} models"))
    return [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for line, what in sorted(found)
        if (module, what) not in THIN_VIEW_ALLOWED
    ]


@pytest.mark.parametrize("path", _view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_and_apis_do_not_query_models_directly(path):
    """Views and API modules go through selectors and services, which go through the policy."""
    offending = _queries_and_foreign_models(path)
    assert not offending, "\n".join(offending)


def test_the_thin_view_check_sees_queries(tmp_path):
    """The checker flags the shapes it is meant to flag, and leaves dict and str calls alone."""
    view = SETU / "web" / "_probe_view.py"
    view.write_text(
        "from setu.registry.models import Case\n"
        "def page(request, qs, errors, text):\n"
        "    qs.filter(a=1).order_by('b')\n"
        "    qs.values('pk'); qs.count(); Case.objects.all()\n"
        "    errors.values(); text.count('x'); request.GET.get('q')\n",
        encoding="utf-8",
    )
    try:
        found = _queries_and_foreign_models(view)
    finally:
        view.unlink()
    whats = sorted(line.split(": ", 1)[1] for line in found)
    assert whats == sorted(
        [
            "filter",
            "order_by",
            "values",
            "count",
            "objects",
            "import of setu.registry.models models",
        ]
    )


def test_only_the_policy_module_knows_roles():
    """Role constants appear in the access policy, models, demo data and tests only."""
    allowed_parts = {"tests", "migrations", "demo", "management"}
    allowed_files = {SETU / "access" / "policy.py", SETU / "orgs" / "models.py"}
    offenders = []
    for path in SETU.rglob("*.py"):
        if path in allowed_files or allowed_parts & set(path.relative_to(SETU).parts):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bRole\.[A-Z_]+\b", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"role checks outside setu/access/policy.py: {offenders}"


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_no_asset_is_loaded_from_another_host():
    """No CDN: every script, style, font and image is served by Setu itself."""
    offenders = []
    for path in list(SETU.rglob("*.html")) + list(SETU.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        if EXTERNAL.search(text) or re.search(r"url\(\s*['\"]?https?://", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"external assets referenced in: {offenders}"


def test_url_patterns_take_no_names_or_phones():
    """Identifiers in URLs are UUIDs or codes; never a person's name, phone or free-text query."""
    from django.urls import URLPattern, URLResolver, get_resolver

    suspicious = re.compile(r"<(?:str:)?(name|phone|query|q|search|given_name|family_name)>")
    bad = []

    def walk(resolver: URLResolver) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern)
            elif isinstance(pattern, URLPattern) and suspicious.search(str(pattern.pattern)):
                bad.append(str(pattern.pattern))

    walk(get_resolver())
    assert not bad, bad


@pytest.mark.parametrize("app", ["registry", "consent"])
def test_registry_and_consent_import_neither_referrals_nor_matching(app):
    """They tell referrals and matching through explicit subscriptions (``registry.hooks``,
    ``consent.subscriptions``), so the apps that build on them stay out of their imports."""
    pattern = re.compile(r"^\s*(?:from|import)\s+setu\.(?:referrals|matching)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (SETU / app).rglob("*.py")
        if "tests" not in path.relative_to(SETU).parts
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_matching_listens_to_the_registry_and_to_consent():
    from setu.consent import subscriptions
    from setu.matching import hooks
    from setu.matching import services as matching
    from setu.registry import hooks as registry_hooks

    assert hooks.person_changed in registry_hooks._person_saved
    assert hooks.event_recorded in registry_hooks._event_recorded
    assert matching.on_consent_ended in subscriptions.subscribers()


def _graph(imports: list[tuple[str, str]]):
    import grimp

    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for module in (importer, imported):
            parts = module.split(".")
            for depth in range(1, len(parts) + 1):
                graph.add_module(".".join(parts[:depth]))
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def _app_api_check(imports: list[tuple[str, str]]):
    from tests.importlinter_contracts import AppApiContract

    contract = AppApiContract(
        name="app api",
        session_options={},
        contract_options={
            "containers": ["pkg"],
            "public_modules": ["services", "selectors"],
            "open_modules": ["pkg.core.**"],
            "unmatched_ignore_imports_alerting": "none",
        },
    )
    return contract.check(_graph(imports), verbose=False)


def test_the_app_api_contract_flags_only_imports_of_another_apps_internals():
    """The custom import-linter contract behind `lint-imports` sees what it is meant to see."""
    check = _app_api_check(
        [
            ("pkg.shop.views", "pkg.shop.models"),  # own app: fine
            ("pkg.shop.views", "pkg.stock.selectors"),  # public: fine
            ("pkg.shop.services", "pkg.core.errors"),  # open module: fine
            ("pkg.shop.services", "pkg.stock.models"),  # internal: flagged
            ("pkg.urls", "pkg.stock.views"),  # project wiring is no app: fine
        ]
    )
    assert not check.kept
    assert [(a, b) for a, b, _lines in check.metadata["illegal"]] == [
        ("pkg.shop.services", "pkg.stock.models")
    ]


def test_the_standalone_contract_flags_imports_of_the_rest_of_the_project():
    from tests.importlinter_contracts import StandaloneContract

    contract = StandaloneContract(
        name="libraries",
        session_options={},
        contract_options={"packages": ["pkg.lib"], "unmatched_ignore_imports_alerting": "none"},
    )
    graph = _graph([("pkg.lib.a", "pkg.lib.b"), ("pkg.lib.b", "pkg.shop.models")])
    check = contract.check(graph, verbose=False)
    assert [(a, b) for a, b, _lines in check.metadata["illegal"]] == [
        ("pkg.lib.b", "pkg.shop.models")
    ]


def test_lint_imports_contracts_hold():
    """`lint-imports` passes: the boundaries in pyproject.toml hold for the tree under test."""
    import subprocess
    import sys

    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(  # noqa: S603
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:]
