"""Signing in and getting around: the main navigation on desktop and phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser


def test_sign_in_lands_on_the_home_page_in_the_chosen_language(page, variant):
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.caseworker", fresh=True)
    assert page.locator("html").get_attribute("lang") == variant.language
    nav = page.get_by_role("navigation", name=ui.t("Main"))
    ui.open_menu()
    assert nav.get_by_role("link", name=ui.t("Cases"), exact=True).is_visible()


def test_every_navigation_link_is_reachable_and_the_closed_menu_is_small(page, variant):
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.org_admin")
    links = page.locator("nav.mainnav a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 8
    toggle = page.get_by_role("button", name=ui.t("Menu"))
    if variant.phone:
        # Closed, the header is one row: brand and the Menu button (it used to take 220 px).
        assert ui.header_height() < 80
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not links.first.is_visible()
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
    else:
        assert not toggle.is_visible()
    for index in range(len(hrefs)):
        link = links.nth(index)
        link.scroll_into_view_if_needed()
        assert link.is_visible(), hrefs[index]
    if variant.phone:
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.className") == "menu-toggle"
    # A link from the menu leads where it says.
    ui.navigate("Shelter beds")
    assert re.search(r"/shelters/$", page.url)


def test_without_javascript_the_phone_menu_stays_open(chromium, live_setu, problems):
    """The menu folds only when its script runs: with JavaScript off every link is in view."""
    from tests.browser.conftest import PHONE, Variant

    variant = Variant("en", *PHONE)
    context = chromium.new_context(
        base_url=live_setu.url,
        viewport={"width": variant.width, "height": variant.height},
        java_script_enabled=False,
    )
    page = context.new_page()
    page.on("response", problems.response)
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.caseworker")
    assert not page.get_by_role("button", name=ui.t("Menu")).is_visible()
    links = page.locator("nav.mainnav a")
    assert links.count() >= 5
    for index in range(links.count()):
        assert links.nth(index).is_visible()
    context.close()
    assert not problems.found, problems.found
