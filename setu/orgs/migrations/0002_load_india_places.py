"""Load India's states/UTs and districts (LGD codes, variants, former names) from setu/data/india."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[2] / "data" / "india"


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def load(apps, schema_editor):
    State = apps.get_model("orgs", "State")
    District = apps.get_model("orgs", "District")
    with (DATA / "states.csv").open(encoding="utf-8") as fh:
        states = [
            State(
                code=int(row["code"]),
                name=row["name"],
                kind=row["type"],
                iso_3166_2=row["iso_3166_2"],
                abbreviations=_split(row["abbreviations"]),
                variants=_split(row["variants"]),
                former_names=_split(row["former_names"]),
            )
            for row in csv.DictReader(fh)
        ]
    State.objects.bulk_create(states, ignore_conflicts=True)
    with (DATA / "districts.csv").open(encoding="utf-8") as fh:
        districts = [
            District(
                code=int(row["district_code"]),
                state_id=int(row["state_code"]),
                name=row["name"],
                variants=_split(row["variants"]) + _split(row["generated_variants"]),
                former_names=_split(row["former_names"]),
                census2011_code=row["census2011_code"],
            )
            for row in csv.DictReader(fh)
        ]
    District.objects.bulk_create(districts, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("orgs", "District").objects.all().delete()
    apps.get_model("orgs", "State").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
