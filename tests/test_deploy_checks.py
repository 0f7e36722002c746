"""`setu check --deploy` with the production settings of docs/deployment.md (issue 28)."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deployment.md"


def documented_environment() -> dict[str, str]:
    """The variables of the guide's configuration block (section 3), as an operator sets them."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## 3. Configuration", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip()
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own interpreter and command)
        [sys.executable, "-m", "setu.cli", *args],
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Key files as `setu keys new` makes them (the field keys are a JSON object of them).
KEY_FILES = {
    "SETU_FIELD_KEYS_FILE": lambda: json.dumps({"1": base64.b64encode(os.urandom(32)).decode()}),
    "SETU_FIELD_INDEX_KEY_FILE": lambda: base64.b64encode(os.urandom(32)).decode(),
}


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    """The guide's environment, with its secret files and paths made real on this machine."""
    env = documented_environment()
    assert env.get("SETU_DEBUG") == "false" and env.get("SETU_DEMO_MODE") == "false"
    for name in [n for n in env if n.endswith("_FILE")]:
        secret = tmp_path / name.lower()
        secret.write_text(KEY_FILES[name]() if name in KEY_FILES else "x" * 64 + name)
        env[name] = str(secret)
    env["SETU_STATIC_ROOT"] = str(tmp_path / "static")
    env["SETU_VAR_DIR"] = str(tmp_path / "var")
    # Not reached by `check` (no --database), but kept off the network all the same.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return env


def test_the_documented_production_settings_pass_check_deploy(production):
    result = _run(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_mode_with_production_settings_fails_loudly(production):
    result = _run({**production, "SETU_DEMO_MODE": "true"}, "check", "--deploy")
    assert result.returncode != 0
    assert "setu.E002" in result.stderr


def test_the_console_mail_backend_fails_check_deploy(production):
    env = {k: v for k, v in production.items() if not k.startswith("SETU_EMAIL_")}
    result = _run(env, "check", "--deploy")
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_a_missing_secret_key_is_one_clear_line(production):
    env = {k: v for k, v in production.items() if not k.startswith("SETU_SECRET_KEY")}
    result = _run(env, "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SETU_SECRET_KEY" in lines[0]


def test_every_documented_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in documented_environment():
        base = name.removesuffix("_FILE")
        assert re.search(rf"^#? ?{base}(_FILE)?=", example, re.M), name


@pytest.mark.django_db
def test_pages_send_the_csp_without_inline_code_and_deny_framing(client, personas):
    client.force_login(personas.users["lead"])
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"


TEMPLATES = sorted((ROOT / "setu").rglob("templates/**/*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_carry_no_inline_script_or_style(path):
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html, "inline <style>"
    assert not re.search(r"\sstyle=\"", html), "style attribute"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"


def test_missing_field_keys_fail_check_deploy(production):
    env = {k: v for k, v in production.items() if not k.startswith("SETU_FIELD_")}
    result = _run(env, "check", "--deploy")
    assert result.returncode != 0
    assert "setu.E005" in result.stderr and "SETU_FIELD_KEYS is not set" in result.stderr
