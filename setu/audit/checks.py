"""Deploy check: the app's database role must not be able to rewrite the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

# The tables whose rows are evidence. The head and the sealer's queue are updated by the app.
PROTECTED = ("audit_auditentry", "audit_auditseal")
_SQL = """
SELECT c.relname,
       has_table_privilege(current_user, c.oid, 'TRUNCATE'),
       has_table_privilege(current_user, c.oid, 'UPDATE'),
       has_table_privilege(current_user, c.oid, 'DELETE'),
       pg_has_role(current_user, c.relowner, 'USAGE')
FROM pg_class c
WHERE c.oid = to_regclass(%s)
"""


def audit_role_problems(alias: str = "default") -> list[str]:
    """What the connection's role could do to the audit tables that it must not (PostgreSQL)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return []
    found = []
    with connection.cursor() as cursor:
        for table in PROTECTED:
            cursor.execute(_SQL, [table])
            row = cursor.fetchone()
            if row is None:
                continue
            _, truncate, update, delete, owns = row
            rights = [
                n
                for n, ok in (("TRUNCATE", truncate), ("UPDATE", update), ("DELETE", delete))
                if ok
            ]
            if owns:
                # An owner (or superuser) can also disable or drop the append-only trigger.
                rights.append("disable or drop its trigger (it owns the table)")
            if rights:
                found.append(f"{table}: {', '.join(rights)}")
    return found


@register(Tags.security, deploy=True)
def audit_tables_protected(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when the app's database role could truncate, rewrite or unguard the audit trail."""
    warnings = []
    for alias in kwargs.get("databases") or ["default"]:
        try:
            problems = audit_role_problems(alias)
        except DatabaseError:
            continue  # an unreachable database is setu.E001's to report
        if problems:
            warnings.append(
                Warning(
                    "The app's database role can change the audit trail: "
                    + "; ".join(problems)
                    + ".",
                    hint="Run the app as a role that does not own the tables, and REVOKE UPDATE, "
                    "DELETE, TRUNCATE on them (docs/deployment.md, step 2).",
                    id="setu.audit.W001",
                )
            )
    return warnings
