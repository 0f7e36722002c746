"""Regenerate ``names.json`` from Faker's Indian-subcontinent person providers.

    .venv/bin/python -m bench.gen2.vendor_names

The lists are vendored (not read from Faker at generation time) so the data set
does not change when Faker is upgraded. Faker is MIT-licensed (© Daniele
Faraglia and contributors); see ``NAMES_LICENSE`` beside this file.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

# Faker locale -> the lists taken from it.
LOCALES = {
    "hi_IN": ("first_names_female", "first_names_male", "last_names"),
    "mr_IN": ("first_names_female", "first_names_male", "last_names"),
    "bn_BD": (
        "first_names_female_hinduism",
        "first_names_female_islamic",
        "first_names_female_common",
        "first_names_male_hinduism",
        "first_names_male_islamic",
        "first_names_male_common",
        "last_names_hinduism",
        "last_names_islamic",
        "last_names_common",
    ),
    "or_IN": ("first_names_female", "first_names_male", "last_names"),
    "ne_NP": ("first_names_female", "first_names_male", "last_names"),
}


def collect() -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for locale, attrs in LOCALES.items():
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        out[locale] = {}
        for attr in attrs:
            seen: dict[str, None] = {}
            for name in getattr(provider, attr):
                name = str(name).strip()
                if name and " " not in name:
                    seen[name] = None
            out[locale][attr] = list(seen)
    return out


def main() -> None:
    path = Path(__file__).with_name("names.json")
    path.write_text(json.dumps(collect(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
