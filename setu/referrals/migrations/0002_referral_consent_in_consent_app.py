"""Referral.consent now points at consent.Consent: the same table, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_consent_and_caseshare_from_registry"),
        ("referrals", "0001_referral"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="referral",
                    name="consent",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="referrals",
                        to="consent.consent",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
