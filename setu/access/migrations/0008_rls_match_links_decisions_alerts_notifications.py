"""Row-level security on the rest of matching and on notices (issue 28, promise 1).

* ``matching_matchlink`` and ``matching_matchdecision`` follow their pair, as the policy does
  (``_match_pair_rows``): readable where the pair is (the organisations on either side, under
  the pair's own rule of ``access 0007``), written by either side of the pair; a decision only
  in the deciding organisation's own name.
* ``matching_matchalert``: its organisation's (``_own_org(..., "organisation_id")``).
* ``notifications_notification``: its recipient's only (``recipient_id = actor.user``), read
  from ``setu.user_id``, which ``access.rls`` binds with the organisation. A notice to another
  user (the fan-out of ``notifications.services.notification_send``) is system work.

The calibration reads every organisation's decisions through the system read
``matching.selectors._band_stats``. System work (``setu_rls_system()``) reads every row, as
before. PostgreSQL only. docs/row-level-security.md, "Tables and rules".
"""

from django.db import migrations

ORG = "(SELECT setu_rls_org())"
USER = "(SELECT setu_rls_user())"
SYSTEM = "(SELECT setu_rls_system())"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION setu_rls_user() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('setu.user_id', true), '')::uuid
$$;
"""

# Pairs readable under their own policy (``access 0007``: either side), once per query.
PAIR_READ = "pair_id IN (SELECT id FROM matching_matchpair)"
PAIR_SIDE = (
    f"pair_id IN (SELECT p.id FROM matching_matchpair p WHERE p.org_a_id = {ORG}"
    f" UNION ALL SELECT p.id FROM matching_matchpair p WHERE p.org_b_id = {ORG})"
)
OWN_ALERT = f"organisation_id = {ORG}"
OWN_NOTICE = f"recipient_id = {USER}"

# table -> (rows it may read, rows it may write), both before "OR system".
POLICIES: dict[str, tuple[str, str]] = {
    # A link is made and ended by either side (confirm, unlink, withdrawn consent).
    "matching_matchlink": (PAIR_READ, PAIR_SIDE),
    # Each side records its own reviewers' decisions, never one in the other's name.
    "matching_matchdecision": (PAIR_READ, f"organisation_id = {ORG} AND {PAIR_SIDE}"),
    "matching_matchalert": (OWN_ALERT, OWN_ALERT),
    "notifications_notification": (OWN_NOTICE, OWN_NOTICE),
}


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
    parts.append("DROP FUNCTION IF EXISTS setu_rls_user();\n")
    return "\n".join(parts)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_up())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_down())


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0007_rls_entitlements_matching_intel_audit"),
        ("notifications", "0007_move_intel_notices"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
