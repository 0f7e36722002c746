"""Give the complaint notices sent before the "feedback" kind existed that kind (they were
"other"), so they are grouped with the rest and lead to the feedback desk."""

from django.db import migrations


def forward(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    # update() leaves updated_at as it was: the inbox order does not change.
    Notification.objects.filter(kind="other", subject__startswith="feedback.feedback:").update(
        kind="feedback"
    )


def backward(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(kind="feedback").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_notice_kind_feedback")]

    operations = [migrations.RunPython(forward, backward)]
