"""Row-level security on entitlements, the match index, intelligence and the audit trail.

As the registry's children do (``0004``), each row follows its case or person: readable where
the organisation owns it or it is live-shared with it, never through a referral; writable only
by the owner. Ownership is read from the row's own copy of its case's or person's organisation
(``owner_org_id``, ``organisation_id``: indexed, no lookup per row), which a write must keep
equal to the case's or person's owner (``EXISTS`` in ``WITH CHECK``); child rows follow their
parent's set of ids. On top of that, as the access policy says:

* a match pair is visible to the organisations on either side (``_match_pair_rows``);
* intelligence (perpetrators, identifiers, index rows) follows its case as the *owner's* only
  (a case share opens no intelligence), plus, for an organisation with a live sharing
  agreement, the partner's unrestricted cases that share a value with one of its own
  (``_intel_partner_cases``; ``setu_rls_intel_partner_cases()``); an index row is also visible
  to the organisation on the other side of a cross-reference made from it (``IntelLink``:
  both sides learn that the link exists); a cross-reference and an agreement are visible to
  their two organisations;
* an audit entry is read by the organisation it is about or whose staff acted
  (``_audit_view``); any session may append one (the trail records refusals, logins and the
  platform's own acts, which act for no organisation). UPDATE and DELETE stay revoked
  (``audit 0002``) and no policy admits them.

System work (``setu_rls_system()``) reads every row, as before. PostgreSQL only.
docs/row-level-security.md, "Tables and rules".
"""

from django.conf import settings
from django.db import migrations

TODAY = f"(now() AT TIME ZONE '{settings.TIME_ZONE}')::date"
ORG = "(SELECT setu_rls_org())"
SYSTEM = "(SELECT setu_rls_system())"


def _owned(table: str, column: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} k WHERE k.id = {column} AND k.owner_org_id = {ORG})"


OWNED_CASE = _owned("registry_case", "case_id")
SHARED_CASE = "case_id IN (SELECT setu_rls_shared_cases())"
OWNED_PERSON = _owned("registry_person", "person_id")
SHARED_PERSON = "person_id IN (SELECT setu_rls_shared_persons())"
INTEL_PARTNER_CASE = "case_id IN (SELECT setu_rls_intel_partner_cases())"
# The other side's index row of a cross-reference with the organisation. Not correlated, so
# PostgreSQL reads the organisation's links once per query (by their org_a / org_b indexes) and
# hashes them; an EXISTS per row with an OR of the two sides scanned the links for every row
# (measured: docs/row-level-security.md).
INTEL_LINKED = (
    f"id IN (SELECT l.key_a_id FROM intel_intellink l WHERE l.org_b_id = {ORG}"
    f" UNION ALL SELECT l.key_b_id FROM intel_intellink l WHERE l.org_a_id = {ORG})"
)
EITHER_SIDE = f"(org_a_id = {ORG} OR org_b_id = {ORG})"


def _own(column: str, parent: str) -> tuple[str, str]:
    """Owned: the row's own copy of its owner (indexed, no lookup per row when read), which a
    write must keep equal to its case's or person's owner."""
    return f"{column} = {ORG}", f"{column} = {ORG} AND {parent}"


def _child(column: str, parent: str, owner: str = "owner_org_id") -> tuple[str, str]:
    """A child row follows its parent row: readable when the parent is (the parent's rule,
    applied once per query to the set of its ids), writable when the parent is owned."""
    return (
        f"{column} IN (SELECT id FROM {parent})",
        f"{column} IN (SELECT p.id FROM {parent} p WHERE p.{owner} = {ORG})",
    )


# Entitlements and intelligence rows carry their case's organisation (``owner_org_id``) and the
# match index its person's (``organisation_id``), kept by the services: reads test that column,
# writes also the case or person it copies (``WITH CHECK``), so it cannot be set to another.
ENT_READ, ENT_WRITE = _own("owner_org_id", OWNED_CASE)
INTEL_READ, INTEL_WRITE = _own("owner_org_id", OWNED_CASE)
MATCH_READ, MATCH_WRITE = _own("organisation_id", OWNED_PERSON)

FUNCTIONS = f"""
-- Cases of organisations with a live sharing agreement with the session's organisation that
-- share a value with one of its cases, unless the partner restricted them (the restriction is
-- the index row's copy, IntelKey.case_restricted). The rule of access.policy._intel_partner_cases.
-- SECURITY DEFINER, like the share helpers: it reads agreements, links and index rows as their
-- owner, so policies do not recurse into each other.
CREATE OR REPLACE FUNCTION setu_rls_intel_partner_cases() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  WITH partners AS (
    SELECT CASE WHEN a.proposer_org_id = setu_rls_org() THEN a.partner_org_id
                ELSE a.proposer_org_id END AS org_id
    FROM intel_sharingagreement a
    WHERE (a.proposer_org_id = setu_rls_org() OR a.partner_org_id = setu_rls_org())
      AND a.accepted_at IS NOT NULL AND a.withdrawn_at IS NULL
      AND a.starts_on <= {TODAY} AND a.ends_on >= {TODAY}
  )
  SELECT ka.case_id FROM intel_intellink l JOIN intel_intelkey ka ON ka.id = l.key_a_id
  WHERE l.org_b_id = setu_rls_org() AND l.org_a_id IN (SELECT org_id FROM partners)
    AND NOT ka.case_restricted
  UNION
  SELECT kb.case_id FROM intel_intellink l JOIN intel_intelkey kb ON kb.id = l.key_b_id
  WHERE l.org_a_id = setu_rls_org() AND l.org_b_id IN (SELECT org_id FROM partners)
    AND NOT kb.case_restricted
$$;
"""

# table -> (rows it may read, rows it may write), both before "OR system".
POLICIES: dict[str, tuple[str, str]] = {
    # Entitlements follow their case, as the policy's rule does (``_via_case(_case_view)``).
    "entitlements_schemeapplication": (f"{ENT_READ} OR {SHARED_CASE}", ENT_WRITE),
    "entitlements_compensationclaim": (f"{ENT_READ} OR {SHARED_CASE}", ENT_WRITE),
    "entitlements_applicationstatuschange": _child(
        "application_id", "entitlements_schemeapplication"
    ),
    "entitlements_compensationstage": _child("claim_id", "entitlements_compensationclaim"),
    # The match index holds normalised names: a record follows its person, a key its record.
    "matching_matchrecord": (f"{MATCH_READ} OR {SHARED_PERSON}", MATCH_WRITE),
    "matching_matchkey": (
        f"organisation_id = {ORG} OR record_id IN (SELECT id FROM matching_matchrecord)",
        _child("record_id", "matching_matchrecord", "organisation_id")[1],
    ),
    # Each organisation acts on its own side of a pair (confirm, dismiss, unlink).
    "matching_matchpair": (EITHER_SIDE, EITHER_SIDE),
    "intel_perpetrator": (f"{INTEL_READ} OR {INTEL_PARTNER_CASE}", INTEL_WRITE),
    "intel_identifier": (f"{INTEL_READ} OR {INTEL_PARTNER_CASE}", INTEL_WRITE),
    "intel_intelkey": (
        f"{INTEL_READ} OR {INTEL_PARTNER_CASE} OR {INTEL_LINKED}",
        INTEL_WRITE,
    ),
    "intel_intellink": (EITHER_SIDE, EITHER_SIDE),
    "intel_sharingagreement": (
        f"(proposer_org_id = {ORG} OR partner_org_id = {ORG})",
        f"(proposer_org_id = {ORG} OR partner_org_id = {ORG})",
    ),
}

AUDIT = "audit_auditentry"
AUDIT_POLICIES = f"""
ALTER TABLE {AUDIT} ENABLE ROW LEVEL SECURITY;
CREATE POLICY setu_read ON {AUDIT} FOR SELECT
  USING (target_org_id = {ORG} OR actor_org_id = {ORG} OR {SYSTEM});
CREATE POLICY setu_append ON {AUDIT} FOR INSERT WITH CHECK (true);
"""


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
    parts.append(AUDIT_POLICIES)
    return "\n".join(parts)


def _down() -> str:
    parts = [
        f"DROP POLICY IF EXISTS setu_read ON {table};\n"
        f"DROP POLICY IF EXISTS setu_write ON {table};\n"
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;\n"
        for table in POLICIES
    ]
    parts.append(
        f"DROP POLICY IF EXISTS setu_read ON {AUDIT};\n"
        f"DROP POLICY IF EXISTS setu_append ON {AUDIT};\n"
        f"ALTER TABLE {AUDIT} DISABLE ROW LEVEL SECURITY;\n"
        "DROP FUNCTION IF EXISTS setu_rls_intel_partner_cases();\n"
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
        ("access", "0006_rls_legal_shelter_referral"),
        ("entitlements", "0002_seed_schemes"),
        ("matching", "0005_encrypt_match_record_data"),
        ("intel", "0004_intelkey_case_restricted_fill"),
        ("audit", "0006_phone_actions"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
