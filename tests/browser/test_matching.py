"""Matching journey: a record saved in one organisation meets a story-line record of another;
each side finds the pair in its own queue (its own record named), confirms it, and both
person pages then say "Linked with <the other organisation>".

Nothing is put in the database behind the UI's back: the demo's story-line persons are
matched at load (``setu demo load --match-story-lines``), and the pair below is made by the
matching that runs when the registering caseworker records the person's consent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Meeting:
    """A person registered by one organisation who is a story-line person of another."""

    registrar: str  # the caseworker who registers her (organisation A)
    registrar_org: str
    given: str
    family: str
    age: str
    father: str
    village: str
    given_by: str  # who gave consent to matching (ConsentGiver value)
    given_by_name: str
    holder: str  # a caseworker of the organisation holding the story-line record (B)
    holder_org: str
    holder_person: str


# One story-line person per variant (a confirmed link is not undone by the journey), each
# found from an organisation that has nothing to do with her story.
MEETINGS = {
    "en-desktop": Meeting("pune-ngo.caseworker", "Sahyadri Swadhar Sanstha", "Rupa", "Khatoon",
                          "17", "Abdul", "Kalikapur Char", "cwc", "CWC Pune",
                          "murshidabad-ngo.caseworker", "Padma Char Mahila Samiti", "Rupa Khatun"),
    "en-phone": Meeting("bihar-ngo.caseworker", "Seemanchal Bal Adhikar Manch", "Bikas", "Nayak",
                        "22", "Trinath", "Tentulipada", "self", "",
                        "ganjam-ngo.caseworker", "Rushikulya Shramik Sahayata Samiti",
                        "Bikash Nayak"),
    "bn-desktop": Meeting("up-ngo.caseworker", "Saryu Terai Jan Seva Samiti", "Shefali", "Sarder",
                          "18", "Haripada", "Gosaba", "self", "",
                          "delhi-ngo.caseworker", "Yamuna Paar Bachpan Raksha Samiti",
                          "Shefali Sardar"),
    "bn-phone": Meeting("assam-ngo.caseworker", "Brahmaputra Nari Raksha Samaj", "Sunita", "Oraon",
                        "16", "Budhwa", "Karamtoli", "cwc", "CWC Sonitpur",
                        "gumla-ngo.caseworker", "Koel-Karo Adivasi Jan Vikas Kendra",
                        "Sunita Kumari"),
}  # fmt: skip

PAIR_URL = re.compile(r"/matching/pairs/[0-9a-f-]{36}/$")


def _confirm_from_the_queue(ui: Ui, own_name: str, other_org: str, *, search: bool) -> None:
    """Open the queue, find the pair by our own record's name and the other organisation,
    open it and confirm our side."""
    page = ui.page
    ui.navigate("Matches")
    if search:
        # By our own record's name (a POST: the name never travels in the URL).
        finder = page.get_by_role("search", name=ui.t("Find your record in the queue"))
        finder.get_by_label(ui.exact("Your record's name, phone or case reference")).fill(own_name)
        # The results come back at the queue's own address: wait for that page.
        ui.follow(finder.get_by_role("button", name=ui.t("Find")))
    row = page.get_by_role("row").filter(has_text=own_name).filter(has_text=other_org)
    # Our own side is named in the row, the other only by organisation.
    expect(row.get_by_role("link", name=own_name, exact=True)).to_be_visible()
    row.get_by_role("link", name=ui.t("Review")).click()
    page.wait_for_url(PAIR_URL)
    pair_url = page.url
    if ui.variant.language != "en":
        # What the engine found is in the reader's language: no English left in the column
        # (the values beside it are names, in whatever script they were written).
        found = page.locator("table.data tbody tr td:last-child").all_inner_texts()
        assert found and not [t for t in found if re.search("[A-Za-z]", t)], found
    ui.follow(ui.button("Same person: request a link"), pair_url)  # the pair's own address
    expect(page.get_by_text(ui.t("Your confirmation is recorded."))).to_be_visible()


def _linked_with(ui: Ui, org: str) -> None:
    """The person page (its matching panel, loaded after the page) says she is linked."""
    status = ui.page.locator("#match-status")
    expect(status.get_by_text(ui.t("Linked with %(org)s") % {"org": org})).to_be_visible()
    possible = ui.t("Possible match with a record held by %(org)s") % {"org": org}
    expect(status.get_by_text(possible)).to_have_count(0)


def test_a_match_is_reviewed_and_linked_from_both_sides(page, variant):
    ui = Ui(page, variant)
    m = MEETINGS[str(variant)]
    own_name = f"{m.given} {m.family}"

    # Organisation A registers her, then records her consent to matching: the record is
    # checked against the network as it is saved.
    ui.sign_in(m.registrar)
    page.goto("/registry/persons/new/")
    page.get_by_label(ui.exact("Given name")).fill(m.given)
    page.get_by_label(ui.exact("Family name")).fill(m.family)
    page.get_by_label(ui.exact("Estimated age (years)")).fill(m.age)
    page.get_by_label(ui.exact("Father's name")).fill(m.father)
    page.get_by_label(ui.exact("Village / locality (home)")).fill(m.village)
    page.get_by_label(ui.exact("Village / locality (home)")).blur()
    page.wait_for_load_state("networkidle")  # the check before creating has answered
    ui.button("Save person").click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    own_url = page.url
    ui.link("Record consent").click()
    page.get_by_label(ui.t("Check my record against other organisations' records")).check()
    page.get_by_label(ui.exact("Given by")).select_option(m.given_by)
    if m.given_by_name:
        page.get_by_label(ui.exact("Name of the guardian, committee or court")).fill(
            m.given_by_name
        )
    ui.button("Record consent").click()
    page.wait_for_url(own_url)
    possible = ui.t("Possible match with a record held by %(org)s") % {"org": m.holder_org}
    page.locator("#match-status").get_by_text(possible).wait_for()

    # A confirms from her queue.
    _confirm_from_the_queue(ui, own_name, m.holder_org, search=False)

    # B, which holds the story-line record, finds the pair by her own record and confirms.
    page.context.clear_cookies(name="sessionid")
    ui.sign_in(m.holder)
    _confirm_from_the_queue(ui, m.holder_person, m.registrar_org, search=True)
    expect(page.get_by_text(ui.t("Linked"), exact=True).first).to_be_visible()
    page.get_by_role("link", name=m.holder_person, exact=True).click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    _linked_with(ui, m.registrar_org)

    # And A's record says the same of B.
    page.context.clear_cookies(name="sessionid")
    ui.sign_in(m.registrar)
    page.goto(own_url)
    _linked_with(ui, m.holder_org)
