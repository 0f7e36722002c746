"""Indian formats in every language: day-month-year dates, 24-hour times, lakh grouping."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from setu.core.countries import country_choices
from setu.core.templatetags.setu_format import indian_grouping, rupees

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# A day whose number is not a month, so a month-first rendering cannot look right by chance.
DAY = datetime.date(2026, 12, 7)
MOMENT = datetime.datetime(2026, 7, 12, 1, 53)


@pytest.mark.parametrize(
    "amount,text",
    [
        (Decimal("300000"), "₹3,00,000"),
        (Decimal("12000000.50"), "₹1,20,00,000.50"),
        (999, "₹999"),
        (Decimal("1000"), "₹1,000"),
        (0, "₹0"),
        (Decimal("-2500"), "-₹2,500"),
        (None, "—"),
    ],
)
def test_money_is_written_in_rupees_with_lakh_grouping(amount, text):
    assert rupees(amount) == text


def test_indian_grouping_of_long_numbers():
    assert indian_grouping("1234567890") == "1,23,45,67,890"


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_day_month_year_in_every_language(language):
    with translation.override(language):
        short = formats.date_format(DAY, "SHORT_DATE_FORMAT")
        long = formats.date_format(DAY, "DATE_FORMAT")
        moment = formats.date_format(MOMENT, "DATETIME_FORMAT")
        plain = Template("{{ day }}").render(Context({"day": DAY}))
    assert short == "07-12-2026"
    assert long.startswith("7 ") and long.endswith(" 2026") and plain == long
    assert moment.startswith("12 ") and moment.endswith(", 01:53")


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_filter_is_available_in_every_template(language):
    with translation.override(language):
        html = Template("{{ amount|rupees }}").render(Context({"amount": Decimal("300000")}))
    assert html == "₹3,00,000"


def test_countries_are_chosen_by_name_and_an_unknown_code_is_kept():
    choices = dict(country_choices("ZW"))
    assert choices["NP"] == "Nepal" and choices["IN"] == "India"
    assert choices["ZW"] == "ZW"
    assert all(label != code or code == "ZW" for code, label in choices.items())


def test_month_names_are_spelt_as_people_write_them():
    with translation.override("hi"):
        assert formats.date_format(DAY, "j F Y") == "7 दिसंबर 2026"  # not Django's दिसमबर
        assert formats.date_format(DAY, "DATE_FORMAT") == "7 दिस॰ 2026"
    with translation.override("or"):
        # Django has no Odia catalogue: the month came out in English.
        assert formats.date_format(DAY, "DATE_FORMAT") == "7 ଡିସେମ୍ବର 2026"
