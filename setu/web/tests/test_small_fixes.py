"""Small things people tripped over (issue 22.11): sign-in, archiving, the API docs, the icon,
and status badges that can be read (WCAG AA contrast)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

CSS = Path(settings.BASE_DIR) / "static" / "setu" / "setu.css"


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_sign_in_offers_forgot_your_password_once(client):
    html = client.get(reverse("account_login")).content.decode()
    assert html.count("Forgot your password?") == 1


def test_archiving_a_person_asks_for_confirmation_first(personas):
    client = _client(personas, "lead")
    url = reverse("registry:person-archive", args=[personas.person.pk])
    detail = client.get(reverse("registry:person-detail", args=[personas.person.pk])).text
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    confirm = client.get(url)
    assert confirm.status_code == 200 and f'action="{url}"' in confirm.text
    personas.person.refresh_from_db()
    assert personas.person.archived_at is None
    assert client.post(url).status_code == 302
    personas.person.refresh_from_db()
    assert personas.person.archived_at is not None


@pytest.mark.parametrize("page", ["api-docs", "api-redoc"])
def test_api_docs_signed_out_lead_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_app_answers_favicon_ico_with_its_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("setu/favicon.svg")


def test_calibration_is_offered_to_coordinators_not_to_caseworkers(personas):
    url = reverse("matching:calibration")
    assert _client(personas, "coordinator").get(url).status_code == 200
    assert _client(personas, "lead").get(url).status_code == 403
    home = _client(personas, "coordinator").get(reverse("web:home")).text
    assert f'href="{url}"' in home


# --- contrast of the status badges ---------------------------------------------------------------


def _variables(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))


def _rule(css: str, selector: str) -> dict[str, str]:
    body = re.search(rf"{re.escape(selector)}\s*\{{([^}}]*)\}}", css).group(1)
    return {k.strip(): v.strip() for k, v in re.findall(r"([\w-]+)\s*:\s*([^;]+);?", body)}


def _colour(value: str, variables: dict[str, str]) -> tuple[int, int, int]:
    var = re.fullmatch(r"var\((--[\w-]+)\)", value)
    value = variables[var.group(1)].strip() if var else value
    hexa = value.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    return int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio."""
    high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0x77, 0x77, 0x77), (255, 255, 255)), 2) == 4.48


@pytest.mark.parametrize("badge", [".badge", ".badge-ok", ".badge-warn", ".badge-danger"])
def test_status_badges_reach_aa_contrast(badge):
    css = CSS.read_text(encoding="utf-8")
    variables = _variables(css)
    base = _rule(css, ".badge")
    rule = {**base, **_rule(css, badge)} if badge != ".badge" else base
    ratio = contrast(_colour(rule["color"], variables), _colour(rule["background"], variables))
    assert ratio >= 4.5, f"{badge}: {ratio:.2f}:1"
