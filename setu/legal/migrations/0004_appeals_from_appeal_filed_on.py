"""Carry each proceeding's single appeal date forward as an appeal record.

Before appeals were records, a proceeding held only ``appeal_filed_on``. Each such proceeding
gets one pending appeal filed on that date, against every verdict recorded on it (which ones
were appealed was never recorded); who appealed and the court are left blank for the legal
officer to fill in. ``appeal_filed_on`` stays as the first appeal's date.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Proceeding = apps.get_model("legal", "Proceeding")
    Appeal = apps.get_model("legal", "Appeal")
    Judgment = apps.get_model("legal", "Judgment")
    dated = Proceeding.objects.filter(appeal_filed_on__isnull=False).exclude(
        pk__in=Appeal.objects.values("proceeding_id")
    )
    for proceeding in dated.iterator():
        appeal = Appeal.objects.create(
            proceeding=proceeding, filed_on=proceeding.appeal_filed_on, status="pending"
        )
        appeal.judgments.set(Judgment.objects.filter(accused__proceeding=proceeding))


def backwards(apps, schema_editor):
    # The dates stay on the proceedings; the records made from them go.
    Appeal = apps.get_model("legal", "Appeal")
    Appeal.objects.filter(appellant="", court="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0003_appeals_and_carried_witness_plans"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
