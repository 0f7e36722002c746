"""A child row is read through an owned or live-shared parent, never through a referral.

Migration ``0003`` admits a referral's person, case and consent rows to the receiving
organisation (``setu_referred``). The child tables' read policies of ``0001`` followed their
parent's *whole* read rule through ``EXISTS``, so that admission also opened the referred
person's phones, addresses, aliases and identity documents, the referred case's notes, events,
services and participants, and the person's other consents, whatever scopes the referral
carried. Here each child's read rule names the parents it follows: one the organisation owns,
or one live-shared with it (``setu_rls_shared_persons`` / ``setu_rls_shared_cases``). What a
referral shows of those rows is read by the named system reads of ``registry.selectors``
(``shared_identity``, ``shared_contact``, ``shared_case_events``, ``shared_case_services``),
after ``referrals.selectors.referral_shared_view`` has checked the referral and its consent.
Write rules are unchanged. PostgreSQL only. docs/row-level-security.md, "Referrals".
"""

from django.db import migrations

ORG = "(SELECT setu_rls_org())"
SYSTEM = "(SELECT setu_rls_system())"

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


def _readable(table: str, column: str) -> str:
    """The parent row, under its own row-level security (``0001``'s rule)."""
    return f"EXISTS (SELECT 1 FROM {table} k WHERE k.id = {column})"


def _owned(table: str, column: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} k WHERE k.id = {column} AND k.owner_org_id = {ORG})"


OWNED_PERSON = _owned("registry_person", "person_id")
SHARED_PERSON = "person_id IN (SELECT setu_rls_shared_persons())"
OWNED_CASE = _owned("registry_case", "case_id")
SHARED_CASE = "case_id IN (SELECT setu_rls_shared_cases())"
# A consent to a third organisation would tell a partner who else holds her (issue 28, 12).
ADDRESSED = f"(recipient_org_id IS NULL OR recipient_org_id = {ORG})"

# table -> (read rule now, read rule of 0001), both before "OR system".
READS: dict[str, tuple[str, str]] = {
    "registry_consent": (
        f"{OWNED_PERSON} OR ({SHARED_PERSON} AND {ADDRESSED})",
        _readable("registry_person", "person_id")
        + f" AND (recipient_org_id IS NULL OR recipient_org_id = {ORG} OR {OWNED_PERSON})",
    ),
}
for _table in PERSON_CHILDREN:
    READS[_table] = (f"{OWNED_PERSON} OR {SHARED_PERSON}", _readable("registry_person", "person_id"))
for _table in CASE_CHILDREN:
    READS[_table] = (f"{OWNED_CASE} OR {SHARED_CASE}", _readable("registry_case", "case_id"))


def _sql(which: int) -> str:
    return "\n".join(
        f"DROP POLICY IF EXISTS setu_read ON {table};\n"
        f"CREATE POLICY setu_read ON {table} FOR SELECT\n"
        f"  USING ({rules[which]} OR {SYSTEM});\n"
        for table, rules in READS.items()
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_sql(0))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_sql(1))


class Migration(migrations.Migration):
    dependencies = [("access", "0003_rls_referred_rows")]
    operations = [migrations.RunPython(forwards, backwards)]
