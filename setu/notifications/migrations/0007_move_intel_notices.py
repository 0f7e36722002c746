"""Intelligence cross-reference notices written as "other" become their own kind, "intel"."""

from django.db import migrations

# The subject every cross-reference notice carries (intel.services._alert).
INTEL_SUBJECT = "intel.intellink:"


def forward(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(kind="other", subject__startswith=INTEL_SUBJECT).update(
        kind="intel"
    )


def backward(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(kind="intel").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_intel_notice_kind")]

    operations = [migrations.RunPython(forward, backward)]
