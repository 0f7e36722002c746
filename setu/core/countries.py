"""Countries a person may come from or live in, chosen by name (stored as ISO 3166 codes).

The list holds the countries Indian anti-trafficking work meets: neighbours, and the places
people are trafficked to or through. A stored code outside it is still offered (by its code),
so editing such a record never changes it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    "IN": _("India"),
    "NP": _("Nepal"),
    "BD": _("Bangladesh"),
    "MM": _("Myanmar"),
    "BT": _("Bhutan"),
    "LK": _("Sri Lanka"),
    "PK": _("Pakistan"),
    "AF": _("Afghanistan"),
    "CN": _("China"),
    "TH": _("Thailand"),
    "MY": _("Malaysia"),
    "SG": _("Singapore"),
    "AE": _("United Arab Emirates"),
    "SA": _("Saudi Arabia"),
    "OM": _("Oman"),
    "QA": _("Qatar"),
    "KW": _("Kuwait"),
    "BH": _("Bahrain"),
    "IQ": _("Iraq"),
    "JO": _("Jordan"),
    "KE": _("Kenya"),
    "UZ": _("Uzbekistan"),
    "RU": _("Russia"),
    "GB": _("United Kingdom"),
    "US": _("United States"),
}


def country_choices(current: str | None = None) -> list[tuple[str, str]]:
    """India first, then the others by name; ``current`` is kept when it is not in the list."""
    others = sorted(
        ((code, str(name)) for code, name in COUNTRIES.items() if code != "IN"),
        key=lambda choice: choice[1],
    )
    choices = [("IN", str(COUNTRIES["IN"])), *others]
    if current and current not in COUNTRIES:
        choices.append((current, current))
    return choices


def country_name(code: str) -> str:
    """The country's name, or its code when it is not in the list."""
    return str(COUNTRIES.get(code, code))
