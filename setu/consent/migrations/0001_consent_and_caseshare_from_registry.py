"""Consent and CaseShare move from the registry to this app: state only, no row moves.

The tables keep their names (``registry_consent``, ``registry_caseshare``), so nothing in the
database changes; ``referrals.0002`` points its foreign key here and ``registry.0004`` drops the
old models from the registry's state.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0001_initial"),
        ("registry", "0003_backfill_person_search_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Consent",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("scopes", models.JSONField(default=list, verbose_name="what may be shared")),
                        ("purpose", models.CharField(blank=True, max_length=300, verbose_name="purpose")),
                        ("given_by", models.CharField(choices=[("self", "The person"), ("guardian", "Parent or guardian"), ("cwc", "Child Welfare Committee order"), ("court", "Court order")], default="self", max_length=12, verbose_name="given by")),
                        ("given_by_name", models.CharField(blank=True, max_length=150, verbose_name="name of the person giving consent")),
                        ("given_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="given on")),
                        ("expires_on", models.DateField(blank=True, null=True, verbose_name="expires on")),
                        ("withdrawn_on", models.DateField(blank=True, null=True, verbose_name="withdrawn on")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="consents", to="registry.person")),
                        ("recipient_org", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.organisation", verbose_name="with whom")),
                        ("recorded_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("withdrawn_recorded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "registry_consent",
                        "ordering": ["-given_on", "-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="CaseShare",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("scopes", models.JSONField(default=list, verbose_name="what is shared")),
                        ("reason", models.CharField(max_length=300, verbose_name="reason")),
                        ("expires_on", models.DateField(blank=True, null=True, verbose_name="expires on")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="shares", to="registry.case")),
                        ("consent", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="shares", to="consent.consent")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="shared_cases", to="orgs.organisation")),
                        ("shared_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "registry_caseshare",
                        "indexes": [models.Index(fields=["organisation", "revoked_at"], name="registry_ca_organis_3195fd_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
