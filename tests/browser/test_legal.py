"""Legal journey: a legal officer opens a case's proceedings, records an FIR with its sections,
adds a hearing that was adjourned for want of a police escort with the next date the court
gave, finds that date in next month's calendar (reached from the keyboard: the focus stays on
"Next month" while htmx swaps the month) and opens the case bundle's printable page. On a
wide screen the month is a grid, on a phone an agenda; nothing is downloaded."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# One FIR per variant, so that each finds its own proceeding in the shared demo database.
FIR_SERIAL = {"en-desktop": "0901", "en-phone": "0902", "bn-desktop": "0903", "bn-phone": "0904"}
UUID = r"[0-9a-f-]{36}"


def test_record_an_fir_and_an_adjourned_hearing_then_find_the_next_date(page, variant):
    ui = Ui(page, variant)
    today = datetime.datetime.now(ZoneInfo("Asia/Kolkata")).date()  # the server's day
    fir_date = today - datetime.timedelta(days=30)
    heard_on = today - datetime.timedelta(days=7)
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    next_on = next_month + datetime.timedelta(days=2)
    fir_number = f"{FIR_SERIAL[str(variant)]}/{fir_date.year}"
    station = f"Berhampore PS {variant}"

    ui.sign_in("murshidabad-ngo.legal_officer")
    ui.navigate("Legal")
    # A case's proceedings, from one the legal officer follows.
    followed = page.get_by_role("region", name=ui.exact("Proceedings"))
    followed.get_by_role("link").first.click()
    ui.link("All proceedings of the case").click()
    page.wait_for_url(re.compile(rf"/legal/case/{UUID}/$"))

    # The FIR, with two sections from the maintained list.
    page.get_by_label(ui.exact("Police station")).fill(station)
    page.get_by_label(ui.exact("FIR number")).fill(fir_number)
    page.get_by_label(ui.exact("FIR date")).fill(fir_date.isoformat())
    page.get_by_label("Bharatiya Nyaya Sanhita, 2023 s.143: Trafficking of person").check()
    page.get_by_label("Immoral Traffic (Prevention) Act, 1956 s.5:", exact=False).check()
    ui.button("Save").click()
    page.wait_for_url(re.compile(rf"/legal/proceedings/{UUID}/$"))
    proceeding_url = page.url
    label = ui.t("FIR %(number)s, %(station)s") % {"number": fir_number, "station": station}
    assert page.get_by_role("heading", level=1).inner_text().strip() == label

    # A hearing last week, then what happened at it.
    add_hearing = page.locator("form").filter(has=ui.heading("Add a hearing"))
    add_hearing.get_by_label(ui.exact("Date")).fill(heard_on.isoformat())
    add_hearing.get_by_label(ui.exact("Court")).fill("Sessions Court, Berhampore")
    ui.follow(add_hearing.get_by_role("button", name=ui.exact("Save")), proceeding_url)
    ui.link("Record outcome").click()
    page.get_by_label(ui.exact("Outcome")).select_option(label=ui.t("Adjourned"))
    page.get_by_label(ui.exact("Adjournment reason")).select_option(label=ui.t("No police escort"))
    page.get_by_label(ui.exact("Next date")).fill(next_on.isoformat())
    ui.button("Save").click()
    page.wait_for_url(proceeding_url)  # from the outcome form's address
    hearings = page.get_by_role("region", name=ui.exact("Hearings"))
    expect(hearings.get_by_text(ui.t("No police escort"))).to_have_count(1)
    expect(hearings.get_by_text(ui.t("Scheduled"), exact=True)).to_have_count(1)  # next date

    # The next date in the calendar: next month, reached from the keyboard.
    ui.navigate("Legal")
    ui.link("Hearing calendar").click()
    following = ui.link("Next month")
    following.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"month={next_month:%Y-%m}"))
    expect(page.locator("#month-next")).to_be_focused()
    # One table, laid out by the screen: a grid under weekday names on a desktop; on a phone an
    # agenda, each day with hearings under its full date and no weekday row.
    calendar = page.locator("table.month-grid")
    mine = page.get_by_role("link", name=label, exact=True)
    expect(mine).to_have_count(1)  # the month swapped in (htmx) holds her hearing
    shown_on_desktop = [calendar.locator("thead"), calendar.locator("td.busy .day-number").first]
    for element in shown_on_desktop:
        if variant.phone:
            expect(element).to_be_hidden()
        else:
            expect(element).to_be_visible()
    # The full date is read out on both; it is shown (wider than a screen-reader-only pixel)
    # on the phone only.
    full_date = calendar.locator("td.busy .day-full").first.bounding_box()
    assert full_date is not None and (full_date["width"] > 1) is variant.phone
    mine.click()
    page.wait_for_url(proceeding_url)

    # The case bundle as a page to print: nothing leaves as a file.
    ui.link("Case bundle").click()
    page.wait_for_url(re.compile(rf"/legal/proceedings/{UUID}/bundle/$"))
    assert page.get_by_text(fir_number).count() >= 1


def test_the_appeal_form_lists_the_districts_of_the_state_chosen(page, variant):
    """The appeal form's district select follows its state select (htmx, the same place
    fields as every form with a state and a district): none before a state is chosen, then only
    that state's, swapped again when the state changes."""
    ui = Ui(page, variant)
    ui.sign_in("murshidabad-ngo.legal_officer")
    ui.navigate("Legal")
    followed = page.get_by_role("region", name=ui.exact("Proceedings"))
    followed.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/legal/proceedings/{UUID}/$"))
    # The appeal form on its own page (the proceeding's page shows it once it is judged).
    page.goto(page.url + "add/appeal/")
    state = page.get_by_label(ui.exact("State"))
    district = page.get_by_label(ui.exact("District"))
    assert district.locator("option").count() == 1  # "—": choose the state first
    state.select_option(label="West Bengal")  # htmx asks for that state's districts
    district.locator("option", has_text="Murshidabad").wait_for(state="attached")
    assert district.locator("option", has_text="Pune").count() == 0
    district.select_option(label="Murshidabad")
    state.select_option(label="Maharashtra")
    district.locator("option", has_text="Pune").wait_for(state="attached")
    assert district.locator("option", has_text="Murshidabad").count() == 0


# The outcome statistics: one language per screen size is enough for a page that only reads.
OUTCOMES_RUN_IN = {"en-phone", "bn-desktop"}


def test_outcomes_by_court_for_one_year_and_the_appeals_file(page, variant):
    if str(variant) not in OUTCOMES_RUN_IN:
        pytest.skip("one language per screen size is enough for this journey")
    ui = Ui(page, variant)
    ui.sign_in("murshidabad-ngo.legal_officer")
    ui.navigate("Legal")
    ui.link("Outcomes of prosecutions").click()
    page.wait_for_url(re.compile(r"/legal/outcomes/"))
    cases = page.get_by_role("region", name=ui.exact("Criminal cases"))
    nothing = ui.t("Nothing to count yet.")
    assert cases.locator("tbody tr").count() >= 1
    assert nothing not in cases.locator("tbody").inner_text()

    # By court, for the most recent year of FIR: htmx swaps the results and keeps the URL.
    page.get_by_label(ui.exact("Group by")).select_option("court")
    years = page.get_by_label(ui.exact("Year"), exact=True)
    year = years.locator("option").nth(1).get_attribute("value")
    years.select_option(year)
    ui.button("Show").click()
    page.wait_for_url(re.compile(rf"by=court&year={year}"))
    lead = ui.t("Criminal cases whose FIR was registered in %(year)s.") % {"year": year}
    expect(page.get_by_text(lead)).to_be_visible()
    # Courts now, not states: a phone shows each row as a card, so count the rows.
    assert cases.locator("tbody tr").count() >= 1
    assert nothing not in cases.locator("tbody").inner_text()

    # The appeals per court as a file: its columns whatever the counts.
    href = cases.get_by_role("link", name=ui.exact("Download CSV")).get_attribute("href")
    response = page.request.get(f"{href}&table=appeals")
    assert response.ok
    assert f"legal-appeals-court-fir-{year}.csv" in response.headers["content-disposition"]
    assert response.text().splitlines()[0].startswith("court,filed,pending,")
