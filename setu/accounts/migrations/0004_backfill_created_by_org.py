"""Give accounts created before ``User.created_by_org`` existed the organisation of their first
membership: until now every admin could end any member's account, and the first organisation an
account joined is the one whose admin created it (or, for an account added elsewhere later, the
nearest guess; a platform admin can correct it)."""

from django.db import migrations


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("orgs", "Membership")
    users = User.objects.filter(created_by_org__isnull=True, is_platform_admin=False)
    for user in users.iterator():
        first = Membership.objects.filter(user_id=user.pk).order_by("created_at").first()
        if first is not None:
            User.objects.filter(pk=user.pk).update(created_by_org_id=first.organisation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_created_by_org"),
        ("orgs", "0003_membership_invitation"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
