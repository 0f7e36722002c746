"""The network coordinator's overview on the demo-size network: pictures first, and rows that
say only "fewer than 5" folded into one line. Before this layout /shelters/network/ measured
14,446 px on the desktop and 49,911 px on the phone, with 423 "fewer than 5" cells."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

OPEN_ALL = "document.querySelectorAll('details.suppressed').forEach(d => { d.open = true; })"
HEIGHT = "document.documentElement.scrollHeight"


@pytest.mark.parametrize("path", ["/shelters/network/", "/insights/"])
def test_overview_shows_charts_first_and_folds_the_suppressed_rows(page, variant, path):
    ui = Ui(page, variant)
    ui.sign_in("network.network_coordinator")
    page.goto(path)
    first_chart = page.locator("svg.chart").first
    first_table = page.locator("table.data").first
    expect(first_chart).to_be_visible()
    assert first_chart.bounding_box()["y"] < first_table.bounding_box()["y"]

    folded = page.locator("details.suppressed")
    if path == "/shelters/network/":
        # The demo network has many organisation pairs with only a handful of referrals.
        assert folded.count() >= 1
    summaries = folded.locator("summary")
    for index in range(summaries.count()):
        assert summaries.nth(index).is_visible()
    collapsed = page.evaluate(HEIGHT)
    page.evaluate(OPEN_ALL)
    expanded = page.evaluate(HEIGHT)
    assert collapsed <= expanded
    if path == "/shelters/network/":
        assert collapsed < expanded
        # A third of what the page measured before, or less.
        assert collapsed < (14_446 if not variant.phone else 49_911) / 3
