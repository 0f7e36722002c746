"""The caller's number in one spelling, whatever the gateway wrote."""

from __future__ import annotations

import pytest

from setu.channels._phone import ascii_digits, normalise_number


@pytest.mark.parametrize(
    "raw",
    [
        "9876543210",
        "09876543210",
        "+919876543210",
        "919876543210",
        "+91 98765 43210",
        "+91-98765-43210",
        "(0)98765-43210".replace("(0)", "0"),
        "tel:+919876543210",
        "0091 9876543210",
        "९८७६५४३२१०",  # Devanagari digits
        "৯৮৭৬৫৪৩২১০",  # Bengali digits
    ],
)
def test_indian_numbers_come_out_as_plus_91_and_ten_digits(raw):
    assert normalise_number(raw) == "+919876543210"


def test_another_countrys_number_keeps_its_code():
    assert normalise_number("+977 980-1234567") == "+9779801234567"


@pytest.mark.parametrize(
    "raw", ["", "hello", "98765", "+91 98765 4321", "98765432101234", "+91987654321x", "++91"]
)
def test_what_is_not_a_phone_number_is_refused_without_quoting_it(raw):
    with pytest.raises(ValueError) as exc:
        normalise_number(raw)
    assert "98765" not in str(exc.value)


def test_digits_of_any_script_become_ascii():
    assert ascii_digits("CHECKIN १२३४") == "CHECKIN 1234"
