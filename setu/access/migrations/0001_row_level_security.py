"""Row-level security on the registry and consent tables: a second line behind the policy.

PostgreSQL only (a no-op elsewhere). The app connects as a role that owns nothing
(``setu_app``), so these policies always apply to it; the owner that runs migrations is not
limited by them. A row is visible when the session's organisation
(``current_setting('setu.org_id', true)``, set per request by ``setu.access.rls``) owns it, or
when a live share names that organisation (the rule of ``consent.rules.covering`` and
``access.policy._active_shares``); child tables follow their person or case through
``EXISTS``. With no organisation set, only a member of the role ``setu_system`` sees rows.
Writes are checked against the owning organisation (``WITH CHECK``). docs/deployment.md §11.
"""

from django.conf import settings
from django.db import migrations

# The day a share or consent is judged on, in the time zone Django's ``localdate`` uses.
TODAY = f"(now() AT TIME ZONE '{settings.TIME_ZONE}')::date"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION setu_rls_org() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('setu.org_id', true), '')::uuid
$$;

-- Runs as the caller (no SECURITY DEFINER), so current_user is the connected role.
CREATE OR REPLACE FUNCTION setu_rls_system() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT setu_rls_org() IS NULL AND EXISTS (
    SELECT 1 FROM pg_roles r
    WHERE r.rolname = 'setu_system' AND pg_has_role(current_user, r.oid, 'MEMBER'))
$$;

-- Cases with a live share to the session's organisation. SECURITY DEFINER: it reads the share,
-- consent and participant tables as their owner, so policies do not recurse into each other.
CREATE OR REPLACE FUNCTION setu_rls_shared_cases() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT s.case_id FROM registry_caseshare s JOIN registry_consent c ON c.id = s.consent_id
  WHERE s.organisation_id = setu_rls_org()
    AND s.revoked_at IS NULL
    AND (s.expires_on IS NULL OR s.expires_on >= {TODAY})
    AND c.given_on <= {TODAY} AND c.withdrawn_on IS NULL
    AND (c.expires_on IS NULL OR c.expires_on >= {TODAY})
    AND EXISTS (SELECT 1 FROM registry_caseperson v
                WHERE v.case_id = s.case_id AND v.person_id = c.person_id
                  AND v.role IN ('victim', 'missing'))
$$;

CREATE OR REPLACE FUNCTION setu_rls_shared_persons() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT p.person_id FROM registry_caseperson p
  WHERE p.case_id IN (SELECT setu_rls_shared_cases())
$$;
"""

# Policies call the helpers through scalar subqueries, so PostgreSQL evaluates them once per
# query (an InitPlan) instead of once per row (measured: docs/row-level-security.md).
ORG = "(SELECT setu_rls_org())"
SYSTEM = "(SELECT setu_rls_system())"
OWN = f"owner_org_id = {ORG}"


def _parent(table: str, column: str, *, own: bool) -> str:
    """A child row follows its parent row (itself under row-level security)."""
    extra = f" AND k.owner_org_id = {ORG}" if own else ""
    return f"EXISTS (SELECT 1 FROM {table} k WHERE k.id = {column}{extra})"


# table -> (rows it may read, rows it may write), both before "system OR".
POLICIES: dict[str, tuple[str, str]] = {
    "registry_person": (f"{OWN} OR id IN (SELECT setu_rls_shared_persons())", OWN),
    "registry_case": (f"{OWN} OR id IN (SELECT setu_rls_shared_cases())", OWN),
    # A consent to a third organisation would tell a partner who else holds her (issue 28, 12).
    "registry_consent": (
        _parent("registry_person", "person_id", own=False)
        + f" AND (recipient_org_id IS NULL OR recipient_org_id = {ORG}"
        + " OR " + _parent("registry_person", "person_id", own=True) + ")",
        _parent("registry_person", "person_id", own=True),
    ),
    "registry_caseshare": (
        f"(organisation_id = {ORG} AND case_id IN (SELECT setu_rls_shared_cases()))"
        " OR " + _parent("registry_case", "case_id", own=True),
        _parent("registry_case", "case_id", own=True),
    ),
    "registry_caseshare_recipients": (
        "EXISTS (SELECT 1 FROM registry_caseshare k WHERE k.id = caseshare_id)",
        "EXISTS (SELECT 1 FROM registry_caseshare k JOIN registry_case c ON c.id = k.case_id"
        " WHERE k.id = caseshare_id AND c.owner_org_id = (SELECT setu_rls_org()))",
    ),
}
PERSON_CHILDREN = (
    "registry_personalias",
    "registry_address",
    "registry_phone",
    "registry_identitydocument",
)
CASE_CHILDREN = (
    "registry_case_team",
    "registry_caseperson",
    "registry_caseexploitation",
    "registry_casecontrolmeans",
    "registry_traffickingevent",
    "registry_servicerecord",
    "registry_casenote",
)
for _table in PERSON_CHILDREN:
    POLICIES[_table] = (
        _parent("registry_person", "person_id", own=False),
        _parent("registry_person", "person_id", own=True),
    )
for _table in CASE_CHILDREN:
    POLICIES[_table] = (
        _parent("registry_case", "case_id", own=False),
        _parent("registry_case", "case_id", own=True),
    )


def _up() -> str:
    parts = [FUNCTIONS]
    for table, (read, write) in POLICIES.items():
        parts.append(
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
            f"CREATE POLICY setu_read ON {table} FOR SELECT\n"
            f"  USING ({read} OR {SYSTEM});\n"
            f"CREATE POLICY setu_write ON {table} FOR ALL\n"
            f"  USING ({write} OR {SYSTEM})\n"
            f"  WITH CHECK ({write} OR {SYSTEM});\n"
        )
    return "\n".join(parts)


def _down() -> str:
    parts = [
        f"DROP POLICY IF EXISTS setu_read ON {table};\n"
        f"DROP POLICY IF EXISTS setu_write ON {table};\n"
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;\n"
        for table in POLICIES
    ]
    parts.append(
        "DROP FUNCTION IF EXISTS setu_rls_shared_persons();\n"
        "DROP FUNCTION IF EXISTS setu_rls_shared_cases();\n"
        "DROP FUNCTION IF EXISTS setu_rls_system();\n"
        "DROP FUNCTION IF EXISTS setu_rls_org();\n"
    )
    return "\n".join(parts)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_up())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_down())


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_search_key_transliterated"),
        ("consent", "0003_caseshare_recipients"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
