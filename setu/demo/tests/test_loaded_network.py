"""The demo network as ``setu demo load`` leaves it: loaded once for this module (a transaction
rolled back when the module is done), and read by every test in its own savepoint. The load's
refusals, its all-or-nothing transaction and loads into an empty database are in test_load.py."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.core.management import CommandError
from django.db.models import F
from django.test import override_settings

from setu.access import policy
from setu.access.actor import actor_for_user
from setu.accounts.models import User
from setu.consent.models import CaseShare, Consent, ConsentScope
from setu.demo import loader
from setu.demo.network import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    demo_accounts,
)
from setu.demo.scenarios import SCENARIOS
from setu.demo.tests.test_load import PERSONS, SEED, _load
from setu.orgs.models import Membership, Organisation, OrganisationType, Role
from setu.registry.models import Case, CasePerson, EventKind, Person, TraffickingEvent


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.fixture(scope="module")
def _loaded_once(module_db) -> str:
    with override_settings(DEMO_MODE=True):
        return _load()


@pytest.fixture
def loaded(_loaded_once, db, demo_mode) -> str:
    """The output of one load of the demo network (40 persons), shared by the module's tests."""
    return _loaded_once


def test_it_prints_a_summary_with_the_password(loaded):
    assert "Demo network loaded" in loaded
    assert DEMO_PASSWORD in loaded
    assert re.search(r"\s+\d[\d,]*\s+cases", loaded)


def test_every_organisation_type_and_role_is_present(loaded):
    orgs = Organisation.objects.all()
    assert orgs.count() == len(ORGANISATIONS) >= 12
    assert set(orgs.values_list("org_type", flat=True)) == set(OrganisationType.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for org in orgs:
        roles = set(org.memberships.values_list("role", flat=True))
        assert {Role.ORG_ADMIN, Role.CASEWORKER} <= roles, org.name
        assert org.states.exists() and org.base_district_id


def test_every_demo_account_exists_and_uses_the_demo_password(loaded):
    accounts = demo_accounts()
    assert User.objects.count() == len(accounts)
    for account in accounts:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        if account.org is None:
            assert user.is_platform_admin and not user.memberships.exists()
        else:
            membership = user.memberships.get()
            assert membership.role == account.role
            assert membership.organisation.name == account.org.name
            assert account.username == f"{account.org.slug}.{account.role}"
    assert not User.objects.filter(is_superuser=True).exists()


def test_cases_have_owners_and_people_of_their_own_organisation(loaded):
    cases = Case.objects.all()
    assert cases.count() >= PERSONS
    assert not cases.filter(owner_org__isnull=True).exists()
    assert not cases.filter(participants__isnull=True).exists()
    # A case's participants are records of the organisation that owns the case.
    mixed = CasePerson.objects.exclude(person__owner_org_id=F("case__owner_org_id"))
    assert not mixed.exists()
    assert Person.objects.count() > PERSONS
    kinds = set(TraffickingEvent.objects.values_list("kind", flat=True))
    assert {
        EventKind.RECRUITMENT,
        EventKind.TRANSIT,
        EventKind.EXPLOITATION,
        EventKind.MISSING_REPORTED,
        EventKind.RESCUE,
        EventKind.SHELTER_ADMISSION,
        EventKind.REPATRIATION,
    } <= kinds


def test_shares_never_exceed_the_consent_behind_them(loaded):
    shares = CaseShare.objects.select_related("consent", "case")
    assert shares.filter(revoked_at__isnull=True).exists()
    for share in shares:
        consent = share.consent
        assert share.organisation_id != share.case.owner_org_id
        assert CasePerson.objects.filter(case=share.case, person=consent.person).exists()
        assert consent.recipient_org_id in (None, share.organisation_id)
        assert set(share.scopes) <= set(consent.scopes)
        if consent.withdrawn_on:
            assert share.revoked_at is not None


def test_consent_is_mostly_network_matching_with_some_referrals_and_withdrawals(loaded):
    consents = list(Consent.objects.all())
    matching = [c for c in consents if ConsentScope.MATCHING in c.scopes and not c.recipient_org_id]
    assert len(matching) > len(consents) / 2
    assert any(c.recipient_org_id for c in consents)
    assert any(c.withdrawn_on for c in consents)


def test_the_same_person_is_recorded_by_two_organisations(loaded):
    plan = loader.plan_network(persons=PERSONS, seed=SEED)
    orgs_of: dict[str, set[str]] = defaultdict(set)
    for person_uuid, _record, true_id, slug in plan.truth:
        orgs_of[true_id].add(slug)
        assert Person.objects.filter(pk=person_uuid, owner_org__name=_name(slug)).exists()
    assert sum(len(s) >= 2 for s in orgs_of.values()) >= 3


def _name(slug: str) -> str:
    return next(o.name for o in ORGANISATIONS if o.slug == slug)


def test_scenario_access_is_what_docs_demo_says(loaded):
    wrong = []
    for scenario in SCENARIOS:
        for username, reference, visible in scenario.sees:
            actor = actor_for_user(User.objects.get(username=username))
            cases = Case.objects.filter(reference=reference)
            assert cases.exists(), reference
            if policy.scope(actor, cases, policy.Action.VIEW).exists() is not visible:
                wrong.append((scenario.key, username, reference, visible))
    assert wrong == []


def test_if_empty_skips_a_database_that_has_organisations(loaded):
    counts = (Organisation.objects.count(), Person.objects.count(), User.objects.count())
    out = _load("--if-empty")
    assert "already exist" in out
    assert (Organisation.objects.count(), Person.objects.count(), User.objects.count()) == counts


def test_without_if_empty_a_second_load_is_an_error(loaded):
    with pytest.raises(CommandError, match="empty database"):
        _load()


def test_demo_photos_and_documents_are_kept_as_uploads_are(loaded):
    import hashlib

    from setu.core import uploads
    from setu.registry.models import Attachment

    attachments = list(Attachment.objects.all())
    kinds = {a.kind for a in attachments}
    assert kinds == {"photo", "document"}
    for attachment in attachments:
        data = uploads.stored_path(attachment.stored_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
        assert uploads.check(data, allowed=uploads.IMAGE_TYPES | {uploads.PDF}).content_type == (
            attachment.content_type
        )
        assert (attachment.person_id is None) != (attachment.case_id is None)
