"""Field operations on a phone, in English and in Bengali: the Mumbai NGO's caseworker plans an
interception, names a colleague as the safety contact, starts it, checks in with the big "I
am safe" button, ticks the first SOP step done and closes the operation. The desktop variants are skipped: this is
the screen a team lead has in the field."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

UUID = r"[0-9a-f-]{36}"


def test_plan_start_check_in_and_tick_a_step_on_a_phone(page, variant):
    if not variant.phone:
        pytest.skip("a journey of the field: run on the phone viewports")
    ui = Ui(page, variant)

    def field(name: str) -> re.Pattern[str]:
        # Model field names, which Django capitalises on the form ("code name" -> "Code name").
        return re.compile(ui.exact(name).pattern, re.IGNORECASE)

    code_name = f"Gulmohar {variant.language}"
    start = datetime.datetime.now() + datetime.timedelta(hours=1)

    ui.sign_in("mumbai-ngo.caseworker")
    ui.navigate("Field operations")
    ui.link("Plan an operation").click()
    page.get_by_label(field("kind")).select_option("interception")
    page.get_by_label(field("code name")).fill(code_name)
    page.get_by_label(field("target place")).fill("(browser test) Platform 2, coach S3")
    page.get_by_label(field("planned start")).fill(start.strftime("%Y-%m-%dT%H:%M"))
    end = start + datetime.timedelta(hours=3)
    page.get_by_label(field("expected end")).fill(end.strftime("%Y-%m-%dT%H:%M"))
    ui.button("Save plan").click()
    page.wait_for_url(re.compile(rf"/fieldops/{UUID}/$"))
    operation_url = page.url
    assert code_name in page.get_by_role("heading", level=1).inner_text()

    # Starting needs a safety contact: the first colleague offered.
    ui.link("Add to the team").click()
    page.get_by_label(ui.exact("Staff member")).select_option(index=0)
    page.get_by_label(ui.exact("Role in the operation")).select_option("safety_contact")
    ui.button("Add").click()
    page.wait_for_url(operation_url)
    # These forms answer at the operation's own address, where the page already is: each
    # click waits for the new page, not for the address.
    ui.follow(ui.button("Start the operation"), operation_url)
    expect(page.get_by_text(ui.t("Under way"), exact=True).first).to_be_visible()

    # The big button, thumb-sized on a phone.
    ui.link("Check in").first.click()
    page.wait_for_url(re.compile(rf"/fieldops/{UUID}/checkin/$"))
    safe = ui.button("I am safe")
    box = safe.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 0.6 * variant.width
    ui.follow(safe, re.compile(rf"/fieldops/{UUID}/checkin/$"))
    expect(page.get_by_text(ui.t("Checked in. Thank you."))).to_be_visible()

    # The first step of the SOP checklist, done with time and name.
    page.goto(operation_url)
    checklist = page.get_by_role("region", name=ui.exact("SOP checklist"))
    ui.follow(
        checklist.get_by_role("button", name=ui.exact("Done")).first,
        re.compile(rf"/fieldops/{UUID}/"),
    )
    expect(page.get_by_text(ui.t("Step done."))).to_be_visible()
    expect(checklist.locator(".badge-ok")).to_have_count(1)

    # Closed from the same page; the debrief is what remains to do.
    ui.follow(ui.button("Close the operation"), operation_url)
    expect(page.get_by_text(ui.t("Closed"), exact=True).first).to_be_visible()
    expect(ui.link("Debrief").first).to_be_visible()
