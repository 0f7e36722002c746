"""Row-level security on the persons' name tokens (``registry_personnametoken``, the blind
indexes name search runs on): a token row follows its person, as her aliases and phones do
(0001). PostgreSQL only. docs/row-level-security.md.
"""

from django.db import migrations

TABLE = "registry_personnametoken"
ORG = "(SELECT setu_rls_org())"
SYSTEM = "(SELECT setu_rls_system())"
READ = "EXISTS (SELECT 1 FROM registry_person k WHERE k.id = person_id)"
WRITE = f"EXISTS (SELECT 1 FROM registry_person k WHERE k.id = person_id AND k.owner_org_id = {ORG})"

UP = f"""
ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY;
CREATE POLICY setu_read ON {TABLE} FOR SELECT USING ({READ} OR {SYSTEM});
CREATE POLICY setu_write ON {TABLE} FOR ALL
  USING ({WRITE} OR {SYSTEM}) WITH CHECK ({WRITE} OR {SYSTEM});
"""

DOWN = f"""
DROP POLICY IF EXISTS setu_read ON {TABLE};
DROP POLICY IF EXISTS setu_write ON {TABLE};
ALTER TABLE {TABLE} DISABLE ROW LEVEL SECURITY;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_rls_referred_rows"),
        ("registry", "0012_person_names_encrypted"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
