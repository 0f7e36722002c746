"""Form widgets every app shares, so a date or a choice looks and behaves the same everywhere."""

from __future__ import annotations

from typing import Any

from django import forms

# The only value format `<input type="date">` accepts (HTML's "valid date string"). A value
# in the language's own format (30/06/2026 in Bengali) shows an empty box, and saving the
# form unchanged would erase the date.
ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker, whose value is ISO 8601 in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
