"""Copy each case's restriction onto its existing index rows (``IntelKey.case_restricted``).

Runs as the schema owner, which row-level security does not limit, so every case is read.
"""

from django.db import migrations


def fill(apps, schema_editor):
    IntelKey = apps.get_model("intel", "IntelKey")
    IntelKey.objects.filter(case__is_restricted=True).update(case_restricted=True)


class Migration(migrations.Migration):
    dependencies = [
        ("intel", "0003_intelkey_case_restricted"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
