"""A referral's receiving organisation reads the person, case and consent it was sent about.

A referral is a consented transfer of its own, without a case share: the receiving side lists
it and opens it (what it is shown stays the policy's and the consent's decision, read at every
view: ``referrals.selectors.referral_shared_view``). The referral's rows join the person, the
case and the consent, so under ``setu_app`` those three rows must be readable to the receiving
organisation, or the referral vanishes from its lists. Read only (``FOR SELECT``); writes stay
with the owning organisation. PostgreSQL only. docs/row-level-security.md, "Referrals".
"""

from django.db import migrations

# SECURITY DEFINER: reads the referrals as their owner (that table has no row-level security,
# and the function keeps policies from recursing through it).
UP = """
CREATE OR REPLACE FUNCTION setu_rls_referred()
RETURNS TABLE (case_id uuid, person_id uuid, consent_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT r.case_id, r.person_id, r.consent_id FROM referrals_referral r
  WHERE r.to_org_id = setu_rls_org()
$$;
CREATE POLICY setu_referred ON registry_person FOR SELECT
  USING (id IN (SELECT person_id FROM setu_rls_referred()));
CREATE POLICY setu_referred ON registry_case FOR SELECT
  USING (id IN (SELECT case_id FROM setu_rls_referred()));
CREATE POLICY setu_referred ON registry_consent FOR SELECT
  USING (id IN (SELECT consent_id FROM setu_rls_referred()));
"""

DOWN = """
DROP POLICY IF EXISTS setu_referred ON registry_consent;
DROP POLICY IF EXISTS setu_referred ON registry_case;
DROP POLICY IF EXISTS setu_referred ON registry_person;
DROP FUNCTION IF EXISTS setu_rls_referred();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_rls_system_scope"),
        ("referrals", "0004_peer_support_need"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
