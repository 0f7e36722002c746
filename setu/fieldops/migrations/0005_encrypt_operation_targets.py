"""Encrypt the target places already stored and fill their blind index (docs/deployment.md
§12). Reversible: the reverse writes them back in clear."""

from django.db import migrations

from setu.core import crypto


def encrypt(apps, schema_editor):
    crypto.encrypt_table(apps.get_model("fieldops", "Operation"))


def decrypt(apps, schema_editor):
    crypto.decrypt_table(apps.get_model("fieldops", "Operation"))


class Migration(migrations.Migration):
    dependencies = [("fieldops", "0004_operation_target_encrypted")]

    operations = [migrations.RunPython(encrypt, decrypt)]
