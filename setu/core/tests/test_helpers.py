"""The shared helpers services and views use to report bad input."""

import pytest
from django import forms

from setu.core.changes import clean
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.orgs.models import State


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_apply_errors_puts_messages_next_to_known_fields_and_the_rest_on_top():
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    apply_errors(form, InvalidInput({"name": ["Too short."], "hidden": ["Not here."]}))
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Not here."]


def test_clean_raises_invalid_input_with_plain_string_messages(db):
    with pytest.raises(InvalidInput) as caught:
        clean(State(code=9999, name="", kind="State", iso_3166_2="IN-XX"))
    assert set(caught.value.errors) == {"name"}
    assert all(type(m) is str for ms in caught.value.errors.values() for m in ms)


def test_clean_leaves_out_excluded_fields(db):
    clean(State(code=9999, name="", kind="State", iso_3166_2="IN-XX"), exclude=["name"])
