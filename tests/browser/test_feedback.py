"""Survivor feedback on a phone, in Hindi and in Bengali: a peer supporter of the collective
makes an invitation; the survivor opens her link in a browser with no account, answers with
the faces and buttons, gets her follow-up code, and leaves by the quick exit, which replaces
the page so that Back does not bring her answers back."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from tests.browser.server import DEMO_PASSWORD
from tests.browser.ui import HOME

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
EXIT = "https://www.google.com/search?q=weather"


def _t(lang: str, message: str) -> str:
    with translation.override(lang):
        return translation.gettext(message)


@pytest.fixture
def phone(chromium, live_setu) -> Iterator[Any]:
    """A phone-sized browser context with no cookies; the neutral exit page is answered
    locally (the suite runs without the internet)."""
    context = chromium.new_context(
        base_url=live_setu.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(30_000)
    context.route(re.compile(r"^https://www\.google\.com/.*"), lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title><p>Sunny</p>"
    ))  # fmt: skip
    problems: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    yield page
    context.close()
    assert not problems, problems


def _invitation(page: Any, lang: str) -> str:
    """Sign in as the collective's peer supporter and make one invitation in ``lang``."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("survivor-collective.peer_supporter")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation(url=HOME):  # "/$" alone: the login page matches it too
        page.locator("main form button[type=submit]").first.click()
    page.goto("/feedback/invite/")
    subject = page.locator("main select#id_subject option", has_text="Canning Police Station")
    page.locator("main select#id_subject").select_option(subject.first.get_attribute("value"))
    page.locator("main select#id_language").select_option(lang)
    # The page before lists earlier invitations too: read the one this answer shows.
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    link = page.locator("main table code").first.inner_text()
    page.context.clear_cookies()  # she has no account: nothing of the member's session
    return link


@pytest.mark.parametrize("lang", ["hi", "bn"])
def test_a_survivor_gives_feedback_on_a_phone_and_leaves_by_the_quick_exit(phone, lang):
    page = phone
    link = _invitation(page, lang)
    page.goto(link)
    # Her language, from the invitation; the token has already left the address bar.
    assert page.locator("html").get_attribute("lang") == lang
    page.wait_for_function("window.location.pathname === '/f/'")
    assert page.get_by_role("heading", name="Canning Police Station").is_visible()
    assert page.get_by_text(_t(lang, "How were you treated?")).is_visible()
    # The quick exit is on screen from the first moment, at the top.
    exit_button = page.get_by_role("link", name=_t(lang, "Quick exit"))
    box = exit_button.bounding_box()
    assert box and box["y"] < 60
    page.get_by_text(_t(lang, "Badly"), exact=True).click()
    page.locator("input[name=entitled][value=partly]").check(force=True)
    page.locator("input[name=felt_safe][value=no]").check(force=True)
    page.locator("textarea[name=comment]").fill("थाने में बहुत देर तक बैठाया")
    page.get_by_role("button", name=_t(lang, "Send")).click()
    page.get_by_role("heading", name=_t(lang, "Thank you")).wait_for()
    code = page.locator("p.code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}", code)
    # Quick exit: she is on the neutral page at once, and Back does not show her answers.
    page.get_by_role("link", name=_t(lang, "Quick exit")).click()
    page.wait_for_url(EXIT)
    assert page.title() == "Weather"
    # A POST result that is not stored cannot be shown again: Chromium may refuse to go back.
    with contextlib.suppress(Exception):
        page.go_back()
    assert code not in page.content()


def test_the_form_works_without_javascript(chromium, live_setu):
    context = chromium.new_context(
        base_url=live_setu.url, viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/f/")
    assert page.locator("a#quick-exit").get_attribute("href") == EXIT
    page.locator("input[name=code]").fill("ABCDE-FGHJK")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("alert").wait_for()  # an unknown code is refused in words
    context.close()


def test_she_can_hear_a_question_and_the_sound_comes_only_when_she_taps(phone):
    page = phone
    link = _invitation(page, "bn")
    fetched: list[str] = []
    page.on("request", lambda request: request.url.endswith(".ogg") and fetched.append(request.url))
    page.goto(link)
    listen = page.get_by_role("button", name=_t("bn", "Listen"))
    assert listen.count() == 5 and listen.first.is_visible()
    page.wait_for_load_state("networkidle")
    assert fetched == []  # nothing of the sound came with the page
    with page.expect_response(re.compile(r"/feedback/audio/bn/safe\.ogg$")) as sound:
        listen.nth(2).click()  # "Did you feel safe?"
    assert sound.value.ok and sound.value.headers["content-type"].startswith("audio/ogg")
    assert listen.nth(2).get_attribute("aria-pressed") == "true"
    assert fetched == [sound.value.url]  # that question's sound only
    listen.nth(2).click()  # a second tap stops it
    assert listen.nth(2).get_attribute("aria-pressed") == "false"
