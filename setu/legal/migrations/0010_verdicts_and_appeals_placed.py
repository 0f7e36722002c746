"""Copy each proceeding's organisation, case, track and place onto its existing verdicts and
appeals (as 0006 did for hearings).

From now on the services write them with every verdict and appeal (``services.verdict_placed``,
``services.appeal_placed``) and copy a change of the proceeding's place to them; this fills the
rows written before. One UPDATE of correlated subqueries per table, so the database fills a
large table, not Python row by row. A verdict and an appeal are counted under the trial court
(the proceeding's); an appeal's own state and district are the appellate court's, so it carries
the proceeding's as ``place_state`` and ``place_district``.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Proceeding = apps.get_model("legal", "Proceeding")
    Accused = apps.get_model("legal", "Accused")
    Judgment = apps.get_model("legal", "Judgment")
    Appeal = apps.get_model("legal", "Appeal")

    def of(proceeding, name):
        return Subquery(Proceeding.objects.filter(pk=proceeding).values(name)[:1])

    # The verdict's proceeding first (through its accused), then its place from it.
    Judgment.objects.update(
        proceeding_id=Subquery(
            Accused.objects.filter(pk=OuterRef("accused_id")).values("proceeding_id")[:1]
        )
    )
    for model, state, district in (
        (Judgment, "state_id", "district_id"),
        (Appeal, "place_state_id", "place_district_id"),
    ):
        proceeding = OuterRef("proceeding_id")
        model.objects.update(
            owner_org_id=of(proceeding, "owner_org_id"),
            case_id=of(proceeding, "case_id"),
            track=of(proceeding, "track"),
            police_station=of(proceeding, "police_station"),
            place_court=of(proceeding, "court"),
            **{
                district: of(proceeding, "district_id"),
                state: of(proceeding, "district__state_id"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("legal", "0009_verdicts_and_appeals_carry_place")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
