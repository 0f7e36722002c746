"""Copy each proceeding's organisation, case, track and place onto its existing hearings.

From now on the services write them with every hearing (``services.hearing_placed``) and
copy a change of the proceeding's place to its hearings; this fills the rows written before.
One UPDATE with correlated subqueries, so a large table is filled by the database, not row by
row in Python.
"""

from django.db import migrations
from django.db.models import Case, F, OuterRef, Subquery, Value, When


def forwards(apps, schema_editor):
    Proceeding = apps.get_model("legal", "Proceeding")
    Hearing = apps.get_model("legal", "Hearing")

    def of_proceeding(name):
        return Subquery(Proceeding.objects.filter(pk=OuterRef("proceeding_id")).values(name)[:1])

    Hearing.objects.update(
        owner_org_id=of_proceeding("owner_org_id"),
        case_id=of_proceeding("case_id"),
        track=of_proceeding("track"),
        district_id=of_proceeding("district_id"),
        state_id=of_proceeding("district__state_id"),
        police_station=of_proceeding("police_station"),
        place_court=Case(When(court="", then=of_proceeding("court")), default=F("court")),
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0005_hearing_carries_place")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
