"""Security pages a person uses rarely but must get right: an invitation to join an
organisation answered by its holder; the breach report of every access to one person and its
export, which asks for a password and downloads an encrypted ZIP."""

from __future__ import annotations

import re
import zipfile

import pytest
import pyzipper
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# Another organisation's caseworker per variant: invited by the Mumbai NGO's admin, declined,
# so each run finds the account as the demo made it.
INVITEES = {
    "en-desktop": "wb-ahtu.caseworker",
    "en-phone": "mumbai-ahtu.caseworker",
    "bn-desktop": "kolkata-shelter.caseworker",
    "bn-phone": "mumbai-shelter.caseworker",
}
# These two journeys check what a page says and what a download is, not layout: one language
# on each screen size keeps the suite short.
RUN_IN = {"en-phone", "bn-desktop"}
# The Mumbai NGO's own name, as its lists show it ("Recorded by").
OWN_ORG = "Saagar Sakhi Trust"


def test_an_invitation_waits_for_its_holder_who_declines_it(page, variant):
    if str(variant) not in RUN_IN:
        pytest.skip("one language per screen size is enough for this journey")
    ui = Ui(page, variant)
    invitee = INVITEES[str(variant)]
    ui.sign_in("mumbai-ngo.org_admin")
    ui.link("Members and roles").click()
    ui.link("Add member").click()
    invite = page.locator("form", has=page.locator("input[name=mode][value=existing]"))
    invite.get_by_label(ui.exact("Username of the existing account")).fill(invitee)
    invite.get_by_label(ui.exact("Role")).select_option("caseworker")
    ui.button("Send invitation").click()
    page.wait_for_url(re.compile(r"/orgs/[0-9a-f-]{36}/members/$"))
    sent = ui.t(
        "Invitation sent. The account holder must accept it before they can act for your "
        "organisation."
    )
    expect(page.get_by_text(sent)).to_be_visible()

    # The account holder sees it on her invitations page and decides.
    ui.sign_in(invitee)
    page.goto("/orgs/invitations/")
    expect(ui.heading("Invitations to join an organisation")).to_be_visible()
    row = page.locator("table.data tbody tr", has_text="Saagar Sakhi Trust")
    decline = row.get_by_role("button", name=re.compile(re.escape(ui.t("Decline"))))
    expect(row.get_by_role("button", name=re.compile(re.escape(ui.t("Accept"))))).to_be_visible()
    ui.follow(decline, re.compile(r"/orgs/invitations/$"))  # the page's own address
    expect(page.get_by_text(ui.t("No invitations are waiting for you."))).to_be_visible()


def test_the_breach_report_exports_only_behind_a_good_password_as_an_encrypted_zip(
    page, variant, problems
):
    if str(variant) not in RUN_IN:
        pytest.skip("one language per screen size is enough for this journey")
    ui = Ui(page, variant)
    ui.sign_in("mumbai-ngo.org_admin")
    ui.navigate("Persons")
    # The report is for the admins of the organisation that recorded her (the data fiduciary
    # that must notify): a partner's person, shared with this organisation, offers none.
    rows = page.locator("table.data tbody tr")
    own = page.locator("td", has_text=re.compile(rf"^\s*{re.escape(OWN_ORG)}\s*$"))
    partners = rows.filter(has_not=own).filter(has=page.get_by_role("link"))
    if partners.count():
        partners.first.get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
        assert ui.link("Breach report: every access").count() == 0
        page.go_back()
    rows.filter(has=own).first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    ui.link("Breach report: every access").click()
    page.wait_for_url(re.compile(r"/audit/person/[0-9a-f-]{36}/$"))
    # Opening her record is itself an access, so the report is never empty.
    assert page.locator("table.data tbody tr").count() >= 1
    ui.link("Download CSV").click()

    password = page.get_by_label(ui.exact("Password for the file"))
    again = page.get_by_label(ui.exact("The same password again"))
    password.fill("short")
    again.fill("short")
    ui.button("Download encrypted file").click()
    # The browser itself says the password is too short, before anything is sent…
    assert password.evaluate("el => !el.checkValidity() && el.validationMessage.length > 0")
    assert page.url.endswith("/export.csv")
    # …and so does the server, for a browser that does not check (the same page, no file).
    page.locator("form.panel").evaluate("form => { form.noValidate = true; }")
    ui.button("Download encrypted file").click()
    error = page.locator("#id_password-errors")
    assert "12" in error.inner_text()  # says how long it must be

    secret = "a long file password"
    page.get_by_label(ui.exact("Password for the file")).fill(secret)
    page.get_by_label(ui.exact("The same password again")).fill(secret)
    problems.expect_download(r"/audit/person/[0-9a-f-]{36}/export\.csv$")
    with page.expect_download() as download_info:
        ui.button("Download encrypted file").click()
    download = download_info.value
    assert re.fullmatch(r".+-\d{8}-\d{4}\.zip", download.suggested_filename)
    with zipfile.ZipFile(download.path()) as archive:
        members = archive.infolist()
        assert members and all(m.flag_bits & 0x1 for m in members)  # every member encrypted
        with pytest.raises(RuntimeError):  # unreadable without the password
            archive.read(members[0])
    with pyzipper.AESZipFile(download.path()) as archive:
        archive.setpassword(secret.encode())
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    assert "mumbai-ngo.org_admin" in text.splitlines()[0]  # watermarked with who took it
