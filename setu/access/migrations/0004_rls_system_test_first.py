"""Row-level security policies test the system scope first.

``USING (read OR (SELECT setu_rls_system()))`` made PostgreSQL evaluate the per-row read rule
(an index probe into the parent table for every child row) even for system work, which is
admitted anyway: the network statistics page cost about ten times the owner's
(docs/row-level-security.md, "Measured"). PostgreSQL evaluates an OR's arms in order and stops
at the first true one, so the policies now put the once-per-query system test first. The
rules themselves are those of ``0001_row_level_security`` (unchanged). PostgreSQL only.
"""

import importlib

from django.db import migrations

_RULES = importlib.import_module("setu.access.migrations.0001_row_level_security")


def _policies(*, system_first: bool) -> str:
    system = _RULES.SYSTEM
    parts = []
    for table, (read, write) in _RULES.POLICIES.items():

        def either(rule: str) -> str:
            return f"{system} OR ({rule})" if system_first else f"{rule} OR {system}"

        parts.append(
            f"ALTER POLICY setu_read ON {table} USING ({either(read)});\n"
            f"ALTER POLICY setu_write ON {table} USING ({either(write)})"
            f" WITH CHECK ({either(write)});\n"
        )
    return "\n".join(parts)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_policies(system_first=True))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_policies(system_first=False))


class Migration(migrations.Migration):
    dependencies = [("access", "0003_rls_referred_rows")]
    operations = [migrations.RunPython(forwards, backwards)]
