"""The database roles row-level security rests on, and the deploy check that they are used.

* the owner (``setu_owner``) owns the schema and runs migrations; policies do not limit it;
* ``setu_app`` (the web servers) owns nothing, so every policy applies to it;
* ``setu_system`` (the task worker and cron) owns nothing either; when it acts for no
  organisation, the policies let it see every row (the matching index, retention, reminders).

``role_statements`` is what ``setu db roles`` prints or applies; ``rls_role_problems`` is what
``setu check --deploy`` reports (``setu.access.W001``).
"""

from __future__ import annotations

import re

from django.db import connections

# The tables under row-level security (access/migrations/0001 and later; docs/row-level-security.md).
RLS_TABLES = (
    "registry_person",
    "registry_personalias",
    "registry_personnametoken",
    "registry_address",
    "registry_phone",
    "registry_identitydocument",
    "registry_case",
    "registry_case_team",
    "registry_caseperson",
    "registry_caseexploitation",
    "registry_casecontrolmeans",
    "registry_traffickingevent",
    "registry_servicerecord",
    "registry_casenote",
    "registry_consent",
    "registry_caseshare",
    "registry_caseshare_recipients",
    # Legal proceedings and their parts, shelter stays, referrals (migration 0006).
    "legal_proceeding",
    "legal_accused",
    "legal_judgment",
    "legal_hearing",
    "legal_protectionmeasure",
    "legal_witnessplan",
    "legal_appeal",
    "legal_appeal_judgments",
    "shelters_shelterstay",
    "referrals_referral",
    "referrals_referralevent",
    "entitlements_schemeapplication",
    "entitlements_applicationstatuschange",
    "entitlements_compensationclaim",
    "entitlements_compensationstage",
    "matching_matchrecord",
    "matching_matchkey",
    "matching_matchpair",
    "intel_perpetrator",
    "intel_identifier",
    "intel_intelkey",
    "intel_intellink",
    "intel_sharingagreement",
    "audit_auditentry",
    # Match links, decisions and alerts, and notices (migration 0008).
    "matching_matchlink",
    "matching_matchdecision",
    "matching_matchalert",
    "notifications_notification",
)
SYSTEM_ROLE = "setu_system"
# Evidence: the app and the worker may read and add, never change or remove.
APPEND_ONLY = ("audit_auditentry", "audit_auditseal")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(f"Not a plain role name: {value!r} (lower-case letters, digits, _).")
    return value


def _create(role: str, options: str) -> str:
    # Role names cannot be bound parameters; ``_name`` has checked them to plain identifiers.
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "  # noqa: S608
        f"THEN CREATE ROLE {role} {options}; END IF; END $$;"
    )


def role_statements(
    *, owner: str, app: str = "setu_app", system: str = SYSTEM_ROLE, schema: str = "public"
) -> list[str]:
    """SQL that creates the app and system roles (without passwords) and grants what they need."""
    owner, app, system, schema = _name(owner), _name(app), _name(system), _name(schema)
    statements = [
        _create(app, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"),
        _create(system, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"),
    ]
    for role in (app, system):
        statements += [
            # The policies raise the planner's cost estimates past ``jit_above_cost``, and
            # compiling each query then costs far more than running it: a case list page took
            # 96 s with JIT and 0.19 s without (docs/row-level-security.md, "Measured").
            f"ALTER ROLE {role} SET jit = off;",
            f"GRANT USAGE ON SCHEMA {schema} TO {role};",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {role};",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {', '.join(APPEND_ONLY)} FROM {role};",
        ]
    return statements


_TABLE_SQL = """
SELECT c.relname, c.relrowsecurity, pg_has_role(current_user, c.relowner, 'USAGE')
FROM pg_class c WHERE c.oid = to_regclass(%s)
"""
_ROLE_SQL = """
SELECT r.rolsuper, r.rolbypassrls,
       EXISTS (SELECT 1 FROM pg_roles s
               WHERE s.rolname = %s AND pg_has_role(current_user, s.oid, 'MEMBER'))
FROM pg_roles r WHERE r.rolname = current_user
"""


def rls_role_problems(alias: str = "default") -> list[str]:
    """Why row-level security would not limit the connection's role (PostgreSQL; else none)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return []
    found = []
    with connection.cursor() as cursor:
        cursor.execute(_ROLE_SQL, [SYSTEM_ROLE])
        row = cursor.fetchone()
        superuser, bypass, system = row if row else (False, False, False)
        if superuser:
            found.append("it is a superuser")
        if bypass:
            found.append("it has BYPASSRLS")
        if system:
            found.append(f"it is {SYSTEM_ROLE} (which sees every organisation's rows)")
        owned, unguarded = [], []
        for table in RLS_TABLES:
            cursor.execute(_TABLE_SQL, [table])
            table_row = cursor.fetchone()
            if table_row is None:
                continue
            name, enabled, owns = table_row
            if owns:
                owned.append(name)
            if not enabled:
                unguarded.append(name)
        if owned:
            found.append(f"it owns {', '.join(owned)}")
        if unguarded:
            found.append(f"row-level security is off on {', '.join(unguarded)}")
    return found
