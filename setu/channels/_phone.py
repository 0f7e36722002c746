"""The caller's number as Setu writes it: ``+91`` and ten digits for an Indian number.

Private to channels: gateways write the same number as ``09876543210``, ``98765 43210``,
``+91-98765-43210``, ``919876543210``, ``tel:+919876543210`` or in Devanagari digits. Handlers
compare numbers with what their app holds, so every adapter must hand over one spelling.
"""

from __future__ import annotations

import unicodedata

_SEPARATORS = frozenset(" -().\u00a0\t")
MIN_DIGITS, MAX_DIGITS = 6, 15  # E.164 allows at most 15; shorter than 6 is no phone number


def ascii_digits(text: str) -> str:
    """``text`` with the decimal digits of any script (०-९, ০-৯, ୦-୯, ౦-౯…) written 0-9."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )


def normalise_number(raw: str) -> str:
    """``+91XXXXXXXXXX`` for an Indian number, ``+<digits>`` for another country's.

    Raises ``ValueError`` (with no digits of the number in its message) when ``raw`` is not a
    phone number.
    """
    text = ascii_digits(raw.strip())
    if text[:4].lower() == "tel:":
        text = text[4:]
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits or any(ch not in _SEPARATORS and not ch.isdigit() for ch in digits):
        raise ValueError("not a phone number: only digits, spaces, dashes and a leading +")
    digits = "".join(ch for ch in digits if ch.isdigit())
    if not plus:
        if digits.startswith("00"):
            plus, digits = True, digits[2:]  # international prefix written as 00
        elif len(digits) == 11 and digits.startswith("0"):
            digits = "91" + digits[1:]  # trunk prefix of an Indian number
        elif len(digits) == 10:
            digits = "91" + digits
        elif len(digits) == 12 and digits.startswith("91"):
            pass  # country code without the +
        else:
            raise ValueError("not a phone number: an Indian number has ten digits")
    if digits.startswith("91") and len(digits) != 12:
        raise ValueError("not a phone number: an Indian number has ten digits after +91")
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise ValueError("not a phone number: too short or too long")
    return "+" + digits


def masked(number: str) -> str:
    """The last two digits only, for console output a developer reads."""
    return "…" + number[-2:] if number else "—"
