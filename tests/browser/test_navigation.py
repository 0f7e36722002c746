"""Signing in and getting around: the main navigation on desktop and phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser


def test_sign_in_lands_on_the_home_page_in_the_chosen_language(page, variant):
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.caseworker", fresh=True)
    assert page.locator("html").get_attribute("lang") == variant.language
    nav = page.get_by_role("navigation", name=ui.t("Main"))
    ui.open_menu()
    expect(nav.get_by_role("link", name=ui.t("Cases"), exact=True)).to_be_visible()


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
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(links.first).to_be_hidden()
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggle).to_be_hidden()
    for index in range(len(hrefs)):
        link = links.nth(index)
        link.scroll_into_view_if_needed()
        expect(link, hrefs[index]).to_be_visible()
    if variant.phone:
        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_be_focused()
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
    expect(page.get_by_role("button", name=ui.t("Menu"))).to_be_hidden()
    links = page.locator("nav.mainnav a")
    assert links.count() >= 5
    for index in range(links.count()):
        assert links.nth(index).is_visible()
    context.close()
    assert not problems.found, problems.found
