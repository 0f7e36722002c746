"""The audit trail: a case read by an organisation admin is the newest entry she sees."""

from __future__ import annotations

import re

import pytest

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser


def test_reading_a_case_is_the_newest_entry_of_the_audit_trail(page, variant):
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.org_admin")
    ui.navigate("Cases")
    case_link = page.locator("table.data").get_by_role("link").first
    case_link.click()
    page.wait_for_url(re.compile(r"/registry/cases/[0-9a-f-]{36}/$"))
    case_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    ui.navigate("Audit trail")
    assert ui.heading("Audit trail").is_visible()
    newest = page.locator("table.data tbody tr").first
    assert ui.t("Viewed") in newest.inner_text()
    newest.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/audit/[0-9a-f]+/$"))
    assert ui.t("Audit entry") in page.get_by_role("heading", level=1).inner_text()
    # The entry names the record read (by its id, never by a person's name).
    assert page.get_by_text(case_id).is_visible()
