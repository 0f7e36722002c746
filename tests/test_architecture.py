"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    "path", _modules("views") + _modules("api"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_views_and_apis_do_not_query_models_directly(path):
    """Views and API modules go through selectors and services, which go through the policy."""
    offending = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.objects\b", line)
    ]
    assert not offending, "\n".join(offending)


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
