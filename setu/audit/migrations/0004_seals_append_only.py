"""Make the seals append-only in the database itself, as the entries are (0002)."""

from django.db import migrations

PG_UP = """
CREATE TRIGGER audit_seal_no_update BEFORE UPDATE OR DELETE ON audit_auditseal
  FOR EACH ROW EXECUTE FUNCTION setu_audit_refuse_change();
"""
PG_DOWN = "DROP TRIGGER IF EXISTS audit_seal_no_update ON audit_auditseal;"
SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS audit_seal_no_update BEFORE UPDATE ON audit_auditseal
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_seal_no_delete BEFORE DELETE ON audit_auditseal
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_seal_no_update;",
    "DROP TRIGGER IF EXISTS audit_seal_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_entries_sealed_apart")]
    operations = [migrations.RunPython(forwards, backwards)]
