"""Row-level security on the persons' name tokens (``registry_personnametoken``, the blind
indexes name search runs on): a token row follows its person as her aliases and phones do
since 0004: readable where the person is owned by, or live-shared with, the organisation, never
through a referral. PostgreSQL only. docs/row-level-security.md.
"""

from django.db import migrations

TABLE = "registry_personnametoken"
ORG = "(SELECT setu_rls_org())"
SYSTEM = "(SELECT setu_rls_system())"
READ = (
    f"EXISTS (SELECT 1 FROM registry_person k WHERE k.id = person_id AND k.owner_org_id = {ORG})"
    " OR person_id IN (SELECT setu_rls_shared_persons())"
)
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
        ("access", "0004_rls_children_follow_owned_or_shared_parent"),
        ("registry", "0012_person_names_encrypted"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
