import pytest
from django.utils import timezone

from setu.access import policy
from setu.access.policy import Action
from setu.consent.models import Consent
from setu.core.errors import Forbidden, NotFound
from setu.referrals import selectors
from setu.referrals.tests.factories import referral_for
from setu.registry.models import Address, Case, Phone
from setu.registry.tests.factories import CaseFactory, ConsentFactory, EventFactory

pytestmark = pytest.mark.django_db


def _full_referral(personas, scopes):
    person = personas.person
    Phone.objects.create(person=person, number="+919812345678")
    Address.objects.create(person=person, village="Basanti")
    EventFactory(case=personas.case, place="Kamathipura", description="Rescued in a raid")
    personas.case.fir_number = "FIR 12/2025"
    personas.case.save()
    consent = ConsentFactory(person=person, scopes=list(scopes))
    return referral_for(personas, shared_scopes=list(scopes), consent=consent)


def test_receiving_org_sees_only_the_shared_scopes(personas):
    referral = _full_referral(personas, ["identity"])
    view = selectors.referral_shared_view(actor=personas["partner"], referral=referral)
    assert view.consent_in_force and view.scopes == ["identity"]
    assert view.identity["name"] == personas.person.display_name
    assert view.contact is None and view.case_history is None and view.legal is None


def test_every_consented_scope_is_built(personas):
    referral = _full_referral(personas, ["identity", "contact", "case_history", "legal"])
    view = selectors.referral_shared_view(actor=personas["partner"], referral=referral)
    assert view.contact["phones"][0]["number"] == "+919812345678"
    assert view.contact["addresses"][0]["village"] == "Basanti"
    assert view.case_history[0]["place"] == "Kamathipura"
    assert view.legal["fir_number"] == "FIR 12/2025"
    assert view.services is None and view.health is None


def test_receiving_org_never_sees_the_whole_case(personas):
    # A referral (unlike a case share) gives no access to the case through the registry.
    other_case = CaseFactory(owner_org=personas.own_org)
    referral_for(personas, case=other_case, person=personas.person)
    visible = policy.scope(personas["other_admin"], Case.objects.all(), Action.VIEW)
    assert not visible.filter(pk=other_case.pk).exists()
    referral = referral_for(personas)
    referral.to_org = personas.other_org
    referral.save()
    assert not policy.scope(personas["other_org"], Case.objects.all(), Action.VIEW).exists()
    assert selectors.referral_get(actor=personas["other_org"], referral_id=referral.pk)


def test_lapsed_consent_shows_nothing(personas):
    referral = _full_referral(personas, ["identity", "contact"])
    Consent.objects.filter(pk=referral.consent_id).update(withdrawn_on=timezone.localdate())
    referral.refresh_from_db()
    view = selectors.referral_shared_view(actor=personas["partner"], referral=referral)
    assert not view.consent_in_force and view.identity is None and view.contact is None


def test_an_unrelated_org_cannot_see_a_referral(personas):
    referral = referral_for(personas)
    for who in ("other_org", "other_admin", "platform_admin", "analyst"):
        with pytest.raises(NotFound):
            selectors.referral_get(actor=personas[who], referral_id=referral.pk)


def test_lists_by_direction(personas):
    referral = referral_for(personas)
    assert list(selectors.referral_list(actor=personas["lead"], direction="sent")) == [referral]
    assert not selectors.referral_list(actor=personas["lead"], direction="received").exists()
    assert list(selectors.referral_list(actor=personas["partner"], direction="received")) == [
        referral
    ]
    with pytest.raises(Forbidden):
        selectors.referral_list(actor=personas["analyst"])


def test_restricted_case_referrals_stay_with_the_case_team(personas):
    personas.case.is_restricted = True
    personas.case.save()
    referral = referral_for(personas)
    assert selectors.referral_get(actor=personas["lead"], referral_id=referral.pk)
    with pytest.raises(NotFound):
        selectors.referral_get(actor=personas["counsellor"], referral_id=referral.pk)


def test_list_query_count_is_pinned(personas, django_assert_max_num_queries):
    for _ in range(4):
        referral_for(personas)
    with django_assert_max_num_queries(3):
        rows = list(selectors.referral_list(actor=personas["partner"]))
        assert {r.from_org.name for r in rows} == {"Own NGO"}


def test_a_consent_naming_the_organisation_is_chosen_over_a_network_wide_one(personas):
    """Narrowest first on every database (NULL sorts first on SQLite, last on PostgreSQL)."""
    person = personas.person
    today = timezone.localdate()
    named = ConsentFactory(
        person=person,
        scopes=["identity"],
        recipient_org=personas.partner_org,
        given_on=today - timezone.timedelta(days=30),
    )
    ConsentFactory(person=person, scopes=["identity"], recipient_org=None, given_on=today)
    found = selectors.consent_covering(
        actor=personas["lead"],
        person=person,
        to_org_id=personas.partner_org.pk,
        scopes=["identity"],
    )
    assert found == named
    elsewhere = selectors.consent_covering(
        actor=personas["lead"], person=person, to_org_id=personas.other_org.pk, scopes=["identity"]
    )
    assert elsewhere is not None and elsewhere.recipient_org_id is None
