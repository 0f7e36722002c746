"""New-referral journey: a caseworker opens a case, chooses "Refer to a service", picks a person
and a service (the picker names each organisation with its district, a shelter with its free
beds, and leaves full shelters out unless asked), ticks what the survivor's consent covers and
one thing it does not, and is refused in plain words; without it the referral is sent. It is
listed with the person, the case reference and the urgency, and the receiving organisation sees
it, with her name (her consent shares it).

The case, the person and the service are not named here: ``tests/browser/demo_picks.py`` finds
them in the served database by their state (a case she may share, a person whose consent in
force covers her name for that organisation and leaves another scope out), one per variant."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from setu.consent.models import ConsentScope
from setu.referrals.models import Urgency
from tests.browser.conftest import VARIANTS
from tests.browser.demo_picks import NewReferral, new_referrals
from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# The service's words (setu/referrals/services.py, referral_send), shown on the form.
REFUSED = (
    "The person has not consented to share all of this with that organisation. "
    "Record her consent (for this organisation or the whole network, covering "
    "everything you want to share), or share less."
)


@pytest.fixture(scope="module")
def picks(live_setu) -> dict[str, NewReferral]:
    """One case and person per variant, found in the demo by their state, picked once."""
    return new_referrals(live_setu.database, [str(v) for v in VARIANTS])


def _label(choice, language: str) -> str:
    with translation.override(language):
        return str(choice.label)


def _whole(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _free_beds(n: int, language: str) -> str:
    with translation.override(language):
        return translation.ngettext("%(n)d free bed", "%(n)d free beds", n) % {"n": n}


def test_send_a_referral_within_her_consent_and_the_service_sees_it(page, variant, picks):
    ui = Ui(page, variant)
    pick = picks[str(variant)]
    lang = variant.language
    ui.sign_in(pick.caseworker)
    ui.navigate("Cases")
    search = page.get_by_role("search")
    search.get_by_label(ui.exact("Case reference")).fill(pick.case_reference)
    ui.follow(search.get_by_role("button", name=ui.t("Find")))
    page.get_by_role("link", name=pick.case_reference, exact=True).first.click()
    page.wait_for_url(re.compile(r"/registry/cases/[0-9a-f-]{36}/$"))
    ui.link("Refer to a service").click()
    page.wait_for_url(re.compile(r"/referrals/new/[0-9a-f-]{36}/$"))

    service = page.get_by_label(ui.exact("Service"))
    if pick.full_service_id:
        # A full shelter is not offered until she asks for full shelters too; then it says so.
        full = service.locator(f'option[value="{pick.full_service_id}"]')
        assert full.count() == 0
        page.get_by_label(ui.t("Also show full shelters")).check()
        ui.button("Show").click()
        page.wait_for_url(re.compile(r"full=1"))
        assert _free_beds(0, lang) in full.inner_text()

    page.get_by_label(ui.exact("Person")).select_option(label=pick.person)
    service.select_option(pick.service_id)
    # The organisation by its full name and district, not an acronym.
    chosen = service.locator("option:checked").inner_text()
    assert pick.organisation in chosen and pick.district in chosen, chosen
    page.get_by_label(ui.exact("Urgency")).select_option(Urgency.URGENT.value)
    sharing = page.get_by_role("group", name=ui.t("Share"))
    for scope in [*pick.scopes, pick.refused_scope]:
        sharing.get_by_label(_whole(_label(ConsentScope(scope), lang))).check()
    send = ui.button("Send referral")
    ui.follow(send)  # refused, the form answers at its own address: wait for that answer

    # One scope too many: nothing is sent, the form says why and keeps what she chose.
    assert re.search(r"/referrals/new/[0-9a-f-]{36}/", page.url)
    expect(page.get_by_role("alert").filter(has_text=ui.t(REFUSED))).to_be_visible()
    assert page.get_by_label(ui.exact("Person")).locator("option:checked").inner_text() == (
        pick.person
    )
    refused = sharing.get_by_label(_whole(_label(ConsentScope(pick.refused_scope), lang)))
    assert refused.is_checked()
    refused.uncheck()
    send.click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    expect(page.get_by_text(ui.t("The referral was sent."))).to_be_visible()
    referral_id = re.search(r"/referrals/([0-9a-f-]{36})/$", page.url).group(1)
    urgent = _label(Urgency.URGENT, lang)

    # Her sent list: whom it is about, from which case, how urgent.
    ui.navigate("Referrals")
    ui.follow(ui.link("Sent"))
    row = page.locator("table.data tbody tr").filter(
        has=page.locator(f'a[href$="/referrals/{referral_id}/"]')
    )
    text = row.inner_text()
    for expected in (pick.person, pick.case_reference, urgent, pick.organisation):
        assert expected in text, (expected, text)

    # The receiving organisation, in the same language: received, with her name.
    page.context.clear_cookies(name="sessionid")
    ui.sign_in(pick.receiver)
    ui.navigate("Referrals")
    row = page.locator("table.data tbody tr").filter(
        has=page.locator(f'a[href$="/referrals/{referral_id}/"]')
    )
    text = row.inner_text()
    assert pick.person in text and urgent in text, text
    row.get_by_role("link", name=pick.person, exact=True).click()
    page.wait_for_url(re.compile(rf"/referrals/{referral_id}/$"))
