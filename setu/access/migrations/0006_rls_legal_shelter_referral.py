"""Row-level security on legal proceedings, shelter stays and referrals (issue 28, promise 1).

* ``legal_proceeding``: readable by its case's organisation, and by an organisation with a live
  share of the case whose share and consent both cover the ``legal`` scope (the policy's
  ``_proceeding_view``); written by its organisation only. Every part of a proceeding
  (hearings, accused, verdicts, protection measures, witness plans, appeals and the verdicts
  an appeal is against) follows its proceeding through ``EXISTS``, so a column added to a
  part later needs no change here.
* ``shelters_shelterstay`` (where a survivor sleeps): readable by the shelter's organisation
  and by the organisation that owns the person, or has her live-shared; written by the
  shelter only.
* ``referrals_referral`` and its events: readable and written by the sending and the
  receiving organisation.

A referral still opens nothing of a proceeding or a stay: what the receiving side is shown
stays ``referrals.selectors.referral_shared_view``'s decision. PostgreSQL only.
docs/row-level-security.md, "Tables and rules".
"""

from django.conf import settings
from django.db import migrations

TODAY = f"(now() AT TIME ZONE '{settings.TIME_ZONE}')::date"
ORG = "(SELECT setu_rls_org())"
SYSTEM = "(SELECT setu_rls_system())"

# Cases live-shared with the session's organisation whose share *and* consent cover ``scope``
# (``policy.shared_case_scopes``: a share never shows more than the consent behind it). The
# live-share rule is ``setu_rls_shared_cases``'s (migration 0001). SECURITY DEFINER for the
# same reason: it reads shares, consents and participants as their owner.
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION setu_rls_shared_cases_for(scope text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT s.case_id FROM registry_caseshare s JOIN registry_consent c ON c.id = s.consent_id
  WHERE s.organisation_id = setu_rls_org()
    AND s.revoked_at IS NULL
    AND (s.expires_on IS NULL OR s.expires_on >= {TODAY})
    AND c.given_on <= {TODAY} AND c.withdrawn_on IS NULL
    AND (c.expires_on IS NULL OR c.expires_on >= {TODAY})
    AND s.scopes @> jsonb_build_array(scope) AND c.scopes @> jsonb_build_array(scope)
    AND EXISTS (SELECT 1 FROM registry_caseperson v
                WHERE v.case_id = s.case_id AND v.person_id = c.person_id
                  AND v.role IN ('victim', 'missing'))
$$;
"""


def _follows(table: str, column: str) -> str:
    """The parent row is readable (under its own row-level security)."""
    return f"EXISTS (SELECT 1 FROM {table} k WHERE k.id = {column})"


def _owned_proceeding(column: str, through: str = "") -> str:
    """The proceeding reached through ``column`` (and ``through``, a part) is the organisation's."""
    if not through:
        return (
            f"EXISTS (SELECT 1 FROM legal_proceeding k WHERE k.id = {column}"
            f" AND k.owner_org_id = {ORG})"
        )
    return (
        f"EXISTS (SELECT 1 FROM {through} t JOIN legal_proceeding k ON k.id = t.proceeding_id"
        f" WHERE t.id = {column} AND k.owner_org_id = {ORG})"
    )


OWNED_PERSON = (
    f"EXISTS (SELECT 1 FROM registry_person k WHERE k.id = person_id AND k.owner_org_id = {ORG})"
)
SHARED_PERSON = "person_id IN (SELECT setu_rls_shared_persons())"
AT_THE_SHELTER = (
    f"EXISTS (SELECT 1 FROM shelters_bedgroup g WHERE g.id = bed_group_id AND g.shelter_id = {ORG})"
)
EITHER_SIDE = f"(from_org_id = {ORG} OR to_org_id = {ORG})"

# table -> (rows it may read, rows it may write), both before "OR system".
POLICIES: dict[str, tuple[str, str]] = {
    "legal_proceeding": (
        f"owner_org_id = {ORG} OR case_id IN (SELECT setu_rls_shared_cases_for('legal'))",
        # Its organisation, on a case it owns (a proceeding is filed under its case's owner).
        f"owner_org_id = {ORG} AND EXISTS (SELECT 1 FROM registry_case c"
        f" WHERE c.id = case_id AND c.owner_org_id = {ORG})",
    ),
    "legal_judgment": (
        _follows("legal_accused", "accused_id"),
        _owned_proceeding("accused_id", "legal_accused"),
    ),
    "legal_appeal_judgments": (
        _follows("legal_appeal", "appeal_id"),
        _owned_proceeding("appeal_id", "legal_appeal"),
    ),
    "shelters_shelterstay": (
        f"{AT_THE_SHELTER} OR {OWNED_PERSON} OR {SHARED_PERSON}",
        AT_THE_SHELTER,
    ),
    "referrals_referral": (EITHER_SIDE, EITHER_SIDE),
    "referrals_referralevent": (
        _follows("referrals_referral", "referral_id"),
        _follows("referrals_referral", "referral_id"),
    ),
}
# The parts of a proceeding that name it directly.
for _table in (
    "legal_accused",
    "legal_hearing",
    "legal_protectionmeasure",
    "legal_witnessplan",
    "legal_appeal",
):
    POLICIES[_table] = (
        _follows("legal_proceeding", "proceeding_id"),
        _owned_proceeding("proceeding_id"),
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
    parts.append("DROP FUNCTION IF EXISTS setu_rls_shared_cases_for(text);\n")
    return "\n".join(parts)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_up())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_down())


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0005_rls_person_name_tokens"),
        ("legal", "0004_appeals_from_appeal_filed_on"),
        ("shelters", "0003_bed_hold_without_referral"),
        ("referrals", "0004_peer_support_need"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
