"""docs/htcds-mapping.md covers every HTCDS field and names only model fields that exist."""

import csv
import re
from pathlib import Path

from django.apps import apps

import setu

ROOT = Path(setu.__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "htcds-mapping.md").read_text(encoding="utf-8")
FIELDS = Path(setu.__file__).parent / "data" / "htcds" / "fields.csv"


def _htcds_rows():
    with FIELDS.open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def test_every_htcds_field_is_mapped():
    missing = []
    for row in _htcds_rows():
        name = row["field"] or row["label"]
        if name not in DOC:
            missing.append(name)
    assert not missing, f"HTCDS fields missing from docs/htcds-mapping.md: {missing}"


def test_every_named_setu_field_exists():
    named = set(re.findall(r"`([a-z]+)\.([A-Z][A-Za-z]+)\.([a-z_0-9]+)`", DOC))
    named.discard(("app", "Model", "field"))  # the legend
    assert len(named) > 40
    wrong = []
    for app_label, model_name, field_name in named:
        model = apps.get_model(app_label, model_name)
        try:
            model._meta.get_field(field_name)
        except Exception:
            wrong.append(f"{app_label}.{model_name}.{field_name}")
    assert not wrong, f"docs/htcds-mapping.md names fields that do not exist: {wrong}"
