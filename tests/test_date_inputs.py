"""Every date picker's value is ISO 8601 in every language: a browser leaves an `<input
type="date">` empty for any other format (Bengali dates render as 20/08/2024), and a form
saved from that page then loses or refuses the date."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from setu.audit.forms import EntryFilterForm
from setu.core.forms import DateInput
from setu.entitlements.forms import ApplicationForm
from setu.referrals import forms as referral_forms

DAY = datetime.date(2024, 8, 20)


def _date_widgets(form_class: type[forms.Form]) -> list[forms.Widget]:
    return [
        field.widget
        for field in form_class.base_fields.values()
        if isinstance(field, forms.DateField) and field.widget.input_type == "date"
    ]


def _referral_widgets(name: str) -> list[forms.Widget]:
    obj = getattr(referral_forms, name)
    if isinstance(obj, type) and issubclass(obj, forms.Form):
        return _date_widgets(obj)
    return []


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
@pytest.mark.parametrize(
    "widget",
    [
        DateInput(),
        *_date_widgets(EntryFilterForm),
        *_date_widgets(ApplicationForm),
        *[w for name in dir(referral_forms) for w in _referral_widgets(name)],
    ],
    ids=lambda widget: type(widget).__name__,
)
def test_date_pickers_render_iso_dates(widget, language):
    with translation.override(language):
        html = widget.render("day", DAY)
    assert re.search(r'value="2024-08-20"', html), html
