"""Consent and CaseShare now belong to the consent app (``consent.0001``): drop them from the
registry's state only; their tables and rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_backfill_person_search_key"),
        ("consent", "0001_consent_and_caseshare_from_registry"),
        ("referrals", "0002_referral_consent_in_consent_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CaseShare"),
                migrations.DeleteModel(name="Consent"),
            ],
            database_operations=[],
        ),
    ]
