"""Open alerts made before ``next_step_at`` existed are due at once: the next sweep takes the
steps still owed (never one already taken) and works out when the following one falls due."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Alert = apps.get_model("fieldops", "Alert")
    Alert.objects.filter(status="open", next_step_at__isnull=True).update(
        next_step_at=F("deadline_at")
    )


class Migration(migrations.Migration):
    dependencies = [("fieldops", "0002_alert_next_step_at_ivr_channel")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
