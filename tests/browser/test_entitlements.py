"""Compensation journey: a caseworker or legal officer finds a case by its reference, opens a
victim-compensation claim before the DLSA, and sees it listed with its date day-month-year
and the money in lakhs (₹3,00,000), then opens it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# (account, case, survivor, file number): a file number per variant, so each run of the
# journey finds its own claim among those the others added to the same case.
CLAIMS = {
    "en-desktop": ("mumbai-ngo.legal_officer", "SST/2025/0001", "Salma Khatun", "DLSA/MUM/VC/41/2026"),
    "en-phone": ("mumbai-ngo.legal_officer", "SST/2025/0001", "Salma Khatun", "DLSA/MUM/VC/42/2026"),
    "bn-desktop": ("mumbai-ngo.caseworker", "SST/2024/0001", "Roopa Khatoon", "DLSA/MUM/VC/43/2026"),
    "bn-phone": ("mumbai-ngo.caseworker", "SST/2024/0001", "Roopa Khatoon", "DLSA/MUM/VC/44/2026"),
}  # fmt: skip
FILED_ON = datetime.date(2026, 11, 3)
CASE_CLAIMS = r"/entitlements/case/[0-9a-f-]{36}/$"
SCHEME = "Manodhairya"


def test_record_a_compensation_claim_and_read_it_in_lakhs(page, variant):
    ui = Ui(page, variant)
    account, reference, survivor, file_number = CLAIMS[str(variant)]
    with translation.override(variant.language):
        filed_on = formats.date_format(FILED_ON, "DATE_FORMAT")
    assert filed_on.startswith("3 ") and filed_on.endswith(" 2026")  # day-month-year

    ui.sign_in(account)
    ui.navigate("Cases")
    search = page.get_by_role("search")
    search.get_by_label(ui.exact("Case reference")).fill(reference)
    ui.follow(search.get_by_role("button", name=ui.t("Find")))
    page.get_by_role("link", name=reference, exact=True).first.click()
    page.wait_for_url(re.compile(r"/registry/cases/[0-9a-f-]{36}/$"))
    ui.link("Schemes and compensation").click()
    page.wait_for_url(re.compile(CASE_CLAIMS))

    claim_form = page.locator("form").filter(has=page.locator("input[name=form][value=claim]"))
    claim_form.get_by_label(ui.exact("Survivor")).select_option(label=survivor)
    scheme = claim_form.get_by_label(ui.exact("Compensation scheme"))
    scheme.select_option(scheme.locator("option", has_text=SCHEME).first.get_attribute("value"))
    claim_form.get_by_label(ui.exact("Filed on")).fill(FILED_ON.isoformat())
    claim_form.get_by_label(ui.exact("Amount claimed (₹)")).fill("300000")
    claim_form.get_by_label(ui.exact("File number")).fill(file_number)
    # The form answers at the case's address, where the page already is.
    ui.follow(claim_form.get_by_role("button", name=ui.t("Save")), re.compile(CASE_CLAIMS))
    expect(page.get_by_text(ui.t("Saved."))).to_be_visible()

    # Listed under the case: who, when (day-month-year), where it stands, and the money in
    # lakhs, in every language.
    row = page.get_by_role("row").filter(has_text=file_number)
    expect(row).to_have_count(1)
    text = row.inner_text()
    for expected in (survivor, filed_on, ui.t("District Legal Services Authority")):
        assert expected in text, (expected, text)
    assert "₹3,00,000 / ₹0 / ₹0" in text, text

    row.get_by_role("link", name=re.compile(SCHEME)).click()
    page.wait_for_url(re.compile(r"/entitlements/claims/[0-9a-f-]{36}/$"))
    dlsa = page.get_by_role("heading", name=ui.t("District Legal Services Authority"))
    expect(dlsa).to_be_visible()
    stage = page.locator("section").filter(has=dlsa)
    assert filed_on in stage.inner_text()
    assert "₹3,00,000" in stage.inner_text()
