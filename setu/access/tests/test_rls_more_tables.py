"""Row-level security on entitlements, the match index, intelligence and the audit trail
(issue 28, promise 1; migration ``access 0007``): a query that forgets the policy, as
``setu_app`` acting for organisation A, still finds none of organisation B's rows, only A's own
and those live-shared with A, plus what the policy itself opens across organisations (a match
pair to both its sides, a cross-reference to both its organisations, an agreed partner's
linked intelligence, the audit entries about A or by A's staff).

PostgreSQL only. Set-up runs as the owner; the checks ``SET ROLE setu_app``. Each check fails
without the migration, where ``setu_app`` reads every row.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from setu.access import rls
from setu.access.tests import test_rls
from setu.access.tests.test_rls import _as, _sql
from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, AuditSeal
from setu.entitlements.models import (
    ApplicationStatusChange,
    CompensationClaim,
    CompensationStage,
    SchemeApplication,
)
from setu.entitlements.tests.factories import ApplicationFactory, ClaimFactory, StageFactory
from setu.intel.models import Identifier, IntelKey, IntelLink, Perpetrator, SharingAgreement
from setu.intel.tests.factories import AgreementFactory, IdentifierFactory, PerpetratorFactory
from setu.matching.models import MatchKey, MatchPair, MatchRecord
from setu.matching.tests.factories import pair_between
from setu.registry.tests.factories import CaseFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]

roles = test_rls.roles  # the fixture creating setu_app and setu_system
world = test_rls.world  # A with its case; B with a hidden one and cases shared with A


def _seen(model, org) -> set:
    """What ``model.objects.all()`` returns as setu_app acting for ``org`` (unordered: a
    default ordering by case would join the case row, which the partner may not read)."""
    _as("setu_app")
    try:
        with rls.acting_for(org.pk):
            return set(model.objects.order_by().values_list("pk", flat=True))
    finally:
        _sql("RESET ROLE")


# --- Entitlements: a claim or application follows its case; stages and changes their parent --


@pytest.fixture
def entitlements(world):
    rows = {}
    for which in ("own", "hidden", "live", "revoked"):
        link = world[which]
        application = ApplicationFactory(link=link)
        claim = ClaimFactory(link=link)
        rows[which] = {
            "application": application,
            "change": ApplicationStatusChange.objects.create(
                application=application, to_status="applied", changed_on=timezone.localdate()
            ),
            "claim": claim,
            "stage": StageFactory(claim=claim),
        }
    return rows


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (SchemeApplication, "application"),
        (ApplicationStatusChange, "change"),
        (CompensationClaim, "claim"),
        (CompensationStage, "stage"),
    ],
)
def test_entitlements_follow_their_case_own_or_live_shared(roles, world, entitlements, model, key):
    assert _seen(model, world["a"]) == {entitlements[w][key].pk for w in ("own", "live")}
    assert _seen(model, world["b"]) == {entitlements[w][key].pk for w in entitlements if w != "own"}


def test_a_partner_reads_a_shared_cases_claim_but_cannot_change_it(roles, world, entitlements):
    shared, own = entitlements["live"]["claim"], entitlements["own"]["claim"]
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        assert CompensationClaim.objects.filter(pk=shared.pk).update(notes="changed") == 0
        assert CompensationStage.objects.filter(claim=shared).update(reference="X") == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            ClaimFactory(link=world["hidden"])
        assert CompensationClaim.objects.filter(pk=own.pk).update(notes="changed") == 1
    _sql("RESET ROLE")


# --- Matching: the index follows its person; a pair is seen by both its sides ---------------


def _index(person) -> MatchRecord:
    record = MatchRecord.objects.create(person=person, organisation_id=person.owner_org_id)
    MatchKey.objects.create(
        record=record, key=f"k{person.pk}", organisation_id=record.organisation_id
    )
    return record


def test_the_match_index_follows_its_person(roles, world):
    records = {w: _index(world[w].person) for w in ("own", "hidden", "live", "withdrawn")}
    expected = {records["own"].pk, records["live"].pk}
    assert _seen(MatchRecord, world["a"]) == expected
    keys = {k.pk for k in MatchKey.objects.filter(record_id__in=expected)}
    assert _seen(MatchKey, world["a"]) == keys
    raw = "SELECT count(*) FROM matching_matchkey"
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        assert _sql(raw) == [(2,)]
    _sql("RESET ROLE")


def test_a_match_pair_is_seen_by_the_organisations_on_either_side(roles, world):
    across = pair_between(world["own"].person, world["hidden"].person)
    within_b = pair_between(world["hidden"].person, world["live"].person)
    assert _seen(MatchPair, world["a"]) == {across.pk}
    assert _seen(MatchPair, world["b"]) == {across.pk, within_b.pk}


# --- Intelligence: own cases; an agreed partner's linked, unrestricted cases ---------------


@pytest.fixture
def intel(world):
    """The same phone in A's case and in B's hidden case (linked); B's other case unlinked."""
    value = "+919820011223"
    own_case, their_case = world["own"].case, world["hidden"].case
    unlinked_case = CaseFactory(owner_org=world["b"])
    found = {}
    for name, case in (("own", own_case), ("theirs", their_case), ("unlinked", unlinked_case)):
        identifier = IdentifierFactory(case=case, value=value if name != "unlinked" else "+91")
        found[name] = {
            "identifier": identifier,
            "perpetrator": PerpetratorFactory(case=case),
            "key": IntelKey.objects.create(
                kind="phone",
                value=identifier.value,
                case=case,
                owner_org=case.owner_org,
                identifier=identifier,
            ),
        }
    found["link"] = IntelLink.objects.create(
        key_a=found["theirs"]["key"],
        key_b=found["own"]["key"],
        kind="phone",
        org_a=world["b"],
        org_b=world["a"],
    )
    return found


def _intel_seen(world) -> dict[str, set]:
    return {
        "perpetrators": _seen(Perpetrator, world["a"]),
        "identifiers": _seen(Identifier, world["a"]),
        "keys": _seen(IntelKey, world["a"]),
        "links": _seen(IntelLink, world["a"]),
    }


def _expected(intel, *which: str) -> dict[str, set]:
    return {
        "perpetrators": {intel[w]["perpetrator"].pk for w in which},
        "identifiers": {intel[w]["identifier"].pk for w in which},
        # The other side's index row of a cross-reference shows: both learn that it exists.
        "keys": {intel["own"]["key"].pk, intel["theirs"]["key"].pk},
        "links": {intel["link"].pk},
    }


def test_intelligence_without_an_agreement_is_the_own_organisations_only(roles, world, intel):
    # A case share opens no intelligence (the policy's own-cases rule).
    PerpetratorFactory(case=world["live"].case)
    assert _intel_seen(world) == _expected(intel, "own")


def test_an_agreement_opens_the_partners_linked_unrestricted_case_only(roles, world, intel):
    agreement = AgreementFactory(proposer_org=world["a"], partner_org=world["b"])
    assert _intel_seen(world) == _expected(intel, "own", "theirs")
    assert _seen(SharingAgreement, world["a"]) == {agreement.pk}
    IntelKey.objects.filter(case=world["hidden"].case).update(case_restricted=True)
    assert _intel_seen(world) == _expected(intel, "own")
    IntelKey.objects.filter(case=world["hidden"].case).update(case_restricted=False)
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert _intel_seen(world) == _expected(intel, "own")


# --- Audit: entries about the organisation or by its staff; the chain still verifies --------


def _entry(*, actor_org=None, target_org=None) -> AuditEntry:
    """An entry by a member of ``actor_org`` (or by no one) about a record of ``target_org``."""
    actor = None
    if actor_org is not None:
        actor = SimpleNamespace(
            user=None, organisation_id=actor_org.pk, role="caseworker", ip_address=None
        )
    target = ("registry.case", "", target_org.pk if target_org else None)
    return audit.record(actor=actor, action=AuditAction.VIEW, target=target)


def test_audit_entries_are_read_by_the_organisation_they_concern(roles, world):
    a, b = world["a"], world["b"]
    about_a = _entry(target_org=a)
    by_a = _entry(actor_org=a, target_org=b)
    _entry(target_org=b)
    _entry(actor_org=b)
    _entry()  # the platform's own (a login, an anonymous refusal)
    assert _seen(AuditEntry, a) == {about_a.pk, by_a.pk}
    _as("setu_app")
    rls.unbind()
    assert _sql("SELECT count(*) FROM audit_auditentry") == [(0,)]
    _sql("RESET ROLE")


def test_any_session_appends_to_the_trail_and_the_chain_seals_and_verifies(roles, world):
    _as("setu_app")
    rls.unbind()
    # Acting for no organisation (a failed login) and for another one than the entry's.
    platform = audit.record(actor=None, action=AuditAction.VIEW, target=("orgs.x", "", None))
    with rls.acting_for(world["a"].pk):
        elsewhere = audit.record(
            actor=None, action=AuditAction.VIEW, target=("registry.case", "", world["b"].pk)
        )
        # The app's role seals and verifies the whole trail, not only what it may read.
        assert audit.chain_seal() >= 2
    report = audit.verify_report()
    _sql("RESET ROLE")
    assert report.problems == []
    assert report.entries == AuditEntry.objects.count()
    sealed = dict(AuditSeal.objects.values_list("entry_seq", "entry_hash"))
    assert sealed[platform.seq] == platform.entry_hash
    assert sealed[elsewhere.seq] == elsewhere.entry_hash


def test_sealing_as_the_app_role_never_seals_an_entry_as_deleted(roles, world):
    """Without the system read the sealer would find no hash for entries it may not read and
    chain them as deleted, for good."""
    entry = _entry(target_org=world["b"])
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        audit.chain_seal()
    _sql("RESET ROLE")
    assert AuditSeal.objects.get(entry_seq=entry.seq).entry_hash == entry.entry_hash
