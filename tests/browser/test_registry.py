"""Registry journeys: register a person with check-before-create; open, edit and share a case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# One invented person per variant, so the four runs of a journey do not meet each other.
PEOPLE = {
    "en-desktop": ("Parvati", "Murmu", "Parboti", "Murmoo"),
    "en-phone": ("Lakshmi", "Hansda", "Laxmi", "Hasda"),
    "bn-desktop": ("Shabnam", "Khatun", "Sabnam", "Khatoon"),
    "bn-phone": ("Rekha", "Mahato", "Reka", "Mahto"),
}


def test_register_a_person_and_the_check_finds_her_before_a_second_record(page, variant):
    ui = Ui(page, variant)
    given, family, given_variant, family_variant = PEOPLE[str(variant)]
    ui.sign_in("mumbai-ngo.caseworker")
    ui.navigate("Persons")
    ui.link("New person").click()
    page.get_by_label(ui.exact("Given name")).fill(given)
    page.get_by_label(ui.exact("Family name")).fill(family)
    page.get_by_label(ui.exact("Estimated age (years)")).fill("17")
    page.get_by_label(ui.exact("Mother's name")).fill("Jahanara")
    ui.button("Save person").click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(given)

    # The same girl written down again under another spelling: the check, run as she is
    # typed in, names the record the organisation already has before a duplicate is saved.
    page.goto("/registry/persons/new/")
    page.get_by_label(ui.exact("Given name")).fill(given_variant)
    page.get_by_label(ui.exact("Family name")).fill(family_variant)
    page.get_by_label(ui.exact("Estimated age (years)")).fill("17")
    page.get_by_label(ui.exact("Mother's name")).fill("Jahanara")
    check = page.locator("#match-check")
    check.get_by_role("link", name=re.compile(re.escape(f"{given} {family}"))).wait_for()
    if check.get_by_text(ui.t("Probably the same person")).count():
        # A strong candidate: Save turns into "Create anyway", which asks why before saving.
        expect(ui.button("Create anyway")).to_be_visible()
        expect(page.get_by_label(ui.exact("Why create another record?"))).to_be_visible()
    else:
        # Only a possible one (Hasda/Hansda are spelled alike, not the same sound): Save stays.
        expect(ui.button("Save person")).to_be_visible()
        expect(page.get_by_label(ui.exact("Why create another record?"))).to_be_hidden()
    # Leaving the field runs the check once more; let it finish rather than abort it.
    page.get_by_label(ui.exact("Mother's name")).blur()
    page.wait_for_load_state("networkidle")
    ui.link("Cancel").click()
    page.wait_for_url(re.compile(r"/registry/persons/$"))


def test_open_edit_and_share_a_case(page, variant):
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.caseworker")
    # Found the way a caseworker finds her: the name search (sent by POST, never in the URL).
    ui.navigate("Persons")
    search = page.get_by_role("search")
    search.get_by_label(ui.exact("Name, alias, phone or case reference")).fill("Roopa Khatoon")
    search.get_by_role("button", name=ui.t("Search")).click()
    # htmx puts the results above the list, which may name her too: open her from them.
    results = page.locator("#results").filter(has=ui.heading("Search results"))
    results.get_by_role("link", name="Roopa Khatoon").first.click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    assert "Roopa" not in page.url
    page.get_by_role("link", name="SST/2024/0001", exact=True).click()
    page.wait_for_url(re.compile(r"/registry/cases/[0-9a-f-]{36}/$"))
    case_url = page.url

    ui.link("Edit").first.click()  # the case's own, before the timeline's "edit" links
    summary = f"Rescued in Kamathipura with the AHTU; reviewed on a {variant.device} in {variant.language}."
    page.get_by_label(ui.exact("Summary")).fill(summary)
    ui.button("Save changes").click()
    page.wait_for_url(case_url)  # from the edit form's address
    expect(page.get_by_text(summary)).to_be_visible()

    # Stop the share with the source NGO and share again, within the survivor's consent: the
    # journey leaves the case as it found it, so every variant can walk it.
    shares = page.get_by_role("region", name=ui.t("Shared with"))
    ui.follow(shares.get_by_role("button", name=ui.t("stop sharing")).first, case_url)
    ui.link("Share").click()
    share_with = page.get_by_label(ui.exact("Share with"))
    source_ngo = share_with.locator("option", has_text=re.compile(r"Padma Char|PCMS")).first
    share_with.select_option(value=source_ngo.get_attribute("value"))
    page.get_by_label(ui.t("My name, age and photo")).check()
    page.get_by_label(ui.t("What happened to me (case events)")).check()
    page.get_by_label(ui.exact("Why")).fill("Home investigation before her return")
    # The form first shows who the partner will see, and what of each, then offers to share.
    # The preview is a new page at the same address: wait for it rather than read the old one.
    ui.follow(ui.button("Preview who will be visible"))
    preview = page.get_by_role("region", name=ui.t("Who the organisation will see"))
    expect(preview.get_by_text("Roopa Khatoon").first).to_be_visible()
    ui.button("Share").click()
    page.wait_for_url(case_url)
    live = page.get_by_role("region", name=ui.t("Shared with"))
    expect(live.get_by_text(ui.t("live")).first).to_be_visible()
