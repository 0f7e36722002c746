"""Encrypt the phone and identity document numbers already stored, and fill their blind
indexes (docs/deployment.md §12). Reversible: the reverse writes them back in clear."""

from django.db import migrations

from setu.core import crypto


def encrypt(apps, schema_editor):
    for name in ("Phone", "IdentityDocument"):
        crypto.encrypt_table(apps.get_model("registry", name))


def decrypt(apps, schema_editor):
    for name in ("Phone", "IdentityDocument"):
        crypto.decrypt_table(apps.get_model("registry", name))


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_phone_document_number_encrypted")]

    operations = [migrations.RunPython(encrypt, decrypt)]
