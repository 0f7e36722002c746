"""Encrypt the match records' data (names, birth, parents, village, phone) already stored.
Reversible: the reverse writes it back in clear. The keys themselves change with the index
key; `setu matching rematch --index-only` rebuilds them (their engine version changed)."""

from django.db import migrations

from setu.core import crypto


def encrypt(apps, schema_editor):
    crypto.encrypt_table(apps.get_model("matching", "MatchRecord"))


def decrypt(apps, schema_editor):
    crypto.decrypt_table(apps.get_model("matching", "MatchRecord"))


class Migration(migrations.Migration):
    dependencies = [("matching", "0004_match_record_data_encrypted")]

    operations = [migrations.RunPython(encrypt, decrypt)]
