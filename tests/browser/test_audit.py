"""The audit trail: a case read by an organisation admin is the newest entry she sees of her
own (the trail filtered by who acted).

Her organisation's other members act in other journeys meanwhile (the suite runs in two
workers), so she reads her own entries, and she is an admin no other journey signs in as."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

ADMIN = "murshidabad-ngo.org_admin"


def test_reading_a_case_is_the_newest_entry_of_the_audit_trail(page, variant):
    ui = Ui(page, variant)
    ui.sign_in(ADMIN)
    me = page.get_by_title(ui.t("My account")).first.text_content().strip()
    ui.navigate("Cases")
    case_link = page.locator("table.data").get_by_role("link").first
    case_link.click()
    page.wait_for_url(re.compile(r"/registry/cases/[0-9a-f-]{36}/$"))
    case_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    ui.navigate("Audit trail")
    expect(ui.heading("Audit trail")).to_be_visible()
    # Her own entries: what the organisation's other members do meanwhile is in its trail too.
    page.locator("summary").filter(has_text=ui.exact("Filter")).click()
    page.get_by_label(ui.exact("Who")).select_option(label=me)
    ui.follow(ui.button("Apply"))
    newest = page.locator("table.data tbody tr").first
    expect(newest).to_contain_text(ui.t("Viewed"))
    newest.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/audit/[0-9a-f]+/$"))
    assert ui.t("Audit entry") in page.get_by_role("heading", level=1).inner_text()
    # The entry names the record read (by its id, never by a person's name).
    expect(page.get_by_text(case_id)).to_be_visible()
