"""Shelter journey: a referring caseworker holds a bed for a referral (a bed that does not fit
the person warns first), the shelter confirms she has arrived, and her name is on the
shelter's "Staying now" (the referral's consent shares her identity with the shelter)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo_picks import ShelterReferral, shelter_referrals
from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# Which variants need a bed marked "Check first" (a free bed whose kind does not fit her).
WARNED = {"en-desktop": True, "en-phone": True, "bn-desktop": False, "bn-phone": False}


@pytest.fixture(scope="module")
def referrals(live_setu) -> dict[str, ShelterReferral]:
    """One open shelter referral per variant, found in the demo by its state (admission uses
    each up): picked once, when the first journey of this module starts."""
    return shelter_referrals(live_setu.database, WARNED)


def test_hold_a_bed_for_a_referral_and_the_shelter_admits_her(page, variant, referrals):
    ui = Ui(page, variant)
    pick = referrals[str(variant)]
    person = pick.person
    ui.sign_in(pick.caseworker)
    ui.navigate("Referrals")
    ui.link("Sent").click()
    page.get_by_label(ui.exact("Status")).select_option(pick.status)
    ui.button("Filter").click()
    page.wait_for_url(re.compile(r"status="))
    # The list says whom each referral is about (the referring organisation's own record).
    row = page.locator("table.data tbody tr").filter(
        has=page.locator(f'a[href$="/referrals/{pick.referral_id}/"]')
    )
    row.get_by_role("link", name=person, exact=True).click()
    page.wait_for_url(re.compile(rf"/referrals/{pick.referral_id}/$"))
    ui.link("Hold a bed").click()
    page.wait_for_url(re.compile(r"/shelters/holds/new/[0-9a-f-]{36}/$"))
    check_first = page.get_by_role("row").filter(has_text=ui.t("Check first"))
    if pick.warned:
        # A bed whose kind does not fit her (sex or age) says so before anything is held.
        expect(check_first.first.get_by_text(person)).to_be_visible()
        assert check_first.first.get_by_role("button", name=ui.t("Hold anyway")).count() == 1
    else:
        assert check_first.count() == 0
    women = page.get_by_role("row").filter(has_text=re.compile(rf"^\s*{ui.t('Women')}"))
    women.get_by_role("button", name=ui.t("Hold one")).first.click()
    page.wait_for_url(re.compile(r"/shelters/holds/[0-9a-f-]{36}/$"))
    hold_url = page.url

    # The shelter's manager, in the same language (only the session cookie goes).
    page.context.clear_cookies(name="sessionid")
    ui.sign_in(pick.manager)

    def named_as_staying() -> int:
        page.goto("/shelters/manage/")
        staying = page.locator("table.data").filter(has_text=ui.t("Since"))
        return staying.get_by_text(person, exact=True).count()

    # The demo may already have her in a bed from an earlier stay: one more row after this.
    before = named_as_staying()
    page.goto(hold_url)
    # Its answer first: leaving for the list at once could cancel the confirmation in flight.
    ui.follow(ui.button("She has arrived: confirm admission"))
    assert named_as_staying() == before + 1
