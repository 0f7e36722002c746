"""Form pieces every app shares: widgets that behave the same everywhere, and a service's
refusal shown on the form that asked for it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.core.errors import InvalidInput

# The only value format `<input type="date">` accepts (HTML's "valid date string"). A value
# in the language's own format (30/06/2026 in Bengali) shows an empty box, and saving the
# form unchanged would erase the date.
ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker, whose value is ISO 8601 in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


def apply_errors(form: forms.BaseForm, exc: InvalidInput) -> None:
    """Show a service's validation errors next to the fields they name (or at the top)."""
    for name, messages in exc.errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


class ExportPasswordForm(forms.Form):
    """The password the downloaded file is encrypted with, chosen by the user, typed twice."""

    password = forms.CharField(
        label=_("Password for the file"),
        strip=False,
        min_length=12,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. Setu does not keep it: tell it to the recipient by another way than the file."
        ),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
