"""Intelligence journey: a police liaison of the Mumbai NGO opens the intelligence of her
organisation's case from the cross-references, records an identifier the way a survivor gave
it, sees at once that another organisation (Pune, outside the agreement) holds the same value,
then opens the network graph around the case: a drawn graph on a wide screen, and on a phone
the same graph as lists, with the other organisation's case as "Held by …"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from setu.intel import identifiers
from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

UUID = r"[0-9a-f-]{36}"
PUNE = "Sahyadri Swadhar Sanstha"
# One value per variant, each held in the demo by Pune (and others) but not by Mumbai's case,
# so that every variant adds its own identifier to the shared demo database.
RECORDED = {
    "en-desktop": ("phone", "Phone number", "077970 11890"),
    "en-phone": ("vehicle", "Vehicle registration", "WB-26-F-3456"),
    "bn-desktop": ("url", "Website or online advertisement", "balajiplacements.example/jobs"),
    "bn-phone": ("registration", "Registration or licence number", "DL/PA/2024/0173"),
}


def test_record_an_identifier_see_who_else_holds_it_and_the_graph(page, variant):
    ui = Ui(page, variant)
    code, kind, raw = RECORDED[str(variant)]

    ui.sign_in("mumbai-ngo.police_liaison")
    ui.navigate("Intelligence")
    # The organisation's own case that shares values with others, from the cross-references.
    first_case = page.locator("main a[href*='/intel/case/']").first
    first_case.click()
    page.wait_for_url(re.compile(rf"/intel/case/{UUID}/$"))
    case_url = page.url

    add = page.get_by_role("region", name=ui.exact("Add an identifier"))
    add.get_by_label(ui.exact("Kind")).select_option(label=ui.t(kind))
    add.get_by_label(ui.exact("Value")).fill(raw)
    add.get_by_label(ui.exact("Known from")).select_option(label=ui.t("Survivor's statement"))
    ui.follow(add.get_by_role("button", name=ui.exact("Save")), case_url)  # the same address
    expect(page.get_by_text(ui.t("Saved.")).first).to_be_visible()
    # The new item says at once who else holds it, and links to whom to ask.
    items = page.get_by_role("region", name=ui.exact("Perpetrators and identifiers"))
    row = items.locator("li, tr, article, div").filter(has_text=ui.t(kind)).filter(has_text=PUNE)
    assert row.count() >= 1
    assert items.get_by_role("link", name=ui.exact("Whom to ask")).count() >= 1

    ui.link("Network graph").click()
    page.wait_for_url(re.compile(rf"/intel/case/{UUID}/graph/$"))
    listed = page.get_by_role("region", name=ui.exact("In the graph"))
    assert listed.get_by_text(identifiers.normalise(code, raw), exact=True).count() == 1
    held = ui.t("Held by %(organisation)s") % {"organisation": PUNE}
    assert listed.get_by_text(held, exact=True).count() == 1
    assert (
        page.get_by_role("region", name=ui.exact("Connections")).get_by_role("listitem").count() > 1
    )
    if variant.phone:
        # The list view fits the phone: no sideways scrolling of the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= variant.width + 1
    else:
        page.wait_for_function("document.querySelector('#graph canvas') !== null")
        expect(page.locator("#graph")).to_be_visible()
