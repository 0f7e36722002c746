"""The system scope: system work run by the app's own connection reads across organisations.

``setu_rls_system()`` admitted every row only to a member of ``setu_system`` acting for no
organisation (the task worker and cron). It now also admits a session whose ``setu.scope`` is
``system`` and that acts for no organisation: ``setu.access.rls`` sets that only while a task
runs and inside the named system reads (``access.policy.system_read``: the matcher's consent and
history reads, the network's statistics), never for a request's own queries. The policies call
the function, so they need no change. PostgreSQL only. docs/row-level-security.md, "System work".
"""

from django.db import migrations

SYSTEM_SCOPE = """
CREATE OR REPLACE FUNCTION setu_rls_system() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT setu_rls_org() IS NULL AND (
    COALESCE(current_setting('setu.scope', true), '') = 'system'
    OR EXISTS (SELECT 1 FROM pg_roles r
               WHERE r.rolname = 'setu_system' AND pg_has_role(current_user, r.oid, 'MEMBER')))
$$;
"""

ROLE_ONLY = """
CREATE OR REPLACE FUNCTION setu_rls_system() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT setu_rls_org() IS NULL AND EXISTS (
    SELECT 1 FROM pg_roles r
    WHERE r.rolname = 'setu_system' AND pg_has_role(current_user, r.oid, 'MEMBER'))
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SYSTEM_SCOPE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ROLE_ONLY)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_row_level_security")]
    operations = [migrations.RunPython(forwards, backwards)]
