"""What restriction and sharing let through (issue 28, findings 8, 9, 12, 13 and 17).

The written rules are in docs/sharing.md; each test here checks one of them.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.access import policy
from setu.access.actor import actor_for_user
from setu.access.policy import Action
from setu.audit.models import AuditEntry
from setu.audit.services import AuditAction
from setu.consent import selectors as consent_selectors
from setu.consent import services as consent_services
from setu.consent.models import CaseShare, ConsentGiver, ConsentScope
from setu.core.errors import ConsentRequired, Forbidden, InvalidInput
from setu.core.tests.apiclient import token_client
from setu.orgs.models import Role
from setu.orgs.tests.factories import MembershipFactory
from setu.referrals.tests.factories import ReferralFactory
from setu.registry import selectors
from setu.registry.models import CaseRole, Person
from setu.registry.tests.factories import (
    AddressFactory,
    CaseFactory,
    CasePersonFactory,
    ConsentFactory,
    PhoneFactory,
)

KOLKATA = 664  # LGD district code of Kolkata (West Bengal, state 19)
SCOPES = [ConsentScope.IDENTITY, ConsentScope.CONTACT, ConsentScope.CASE_HISTORY]


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _member(org, role, name):
    user = MembershipFactory(organisation=org, role=role, user__username=name).user
    return user, actor_for_user(user)


def _api_ids(user, **params) -> set[str]:
    response = token_client(user).get(reverse("api:person-list"), params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- 8: a restricted case's persons are restricted too --------------------------------------------


@pytest.fixture
def restricted(personas):
    """A restricted case of the lead's organisation, run by the org admin alone, with a survivor
    who appears in no other case and has a phone and a home in Kolkata."""
    case = CaseFactory(
        owner_org=personas.own_org, case_owner=personas.users["org_admin"], is_restricted=True
    )
    link = CasePersonFactory(case=case, person__given_name="Hidden", person__family_name="Kaur")
    PhoneFactory(person=link.person, number="+919830099999")
    AddressFactory(person=link.person, district_id=KOLKATA)
    return case, link.person


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.FIELD_OFFICER, Role.CASEWORKER])
def test_a_person_only_in_a_restricted_case_is_hidden_from_roles_that_may_not_open_it(
    personas, restricted, role
):
    case, person = restricted
    user, actor = _member(personas.own_org, role, f"restricted-{role}")
    assert not policy.can(actor, Action.VIEW, case)
    assert str(person.pk) not in _api_ids(user)
    detail = token_client(user).get(reverse("api:person-detail", args=[person.pk]))
    assert detail.status_code == 404
    page = _client(user).get(reverse("registry:person-detail", args=[person.pk]))
    assert page.status_code == 404
    assert not selectors.person_list(actor=actor).filter(pk=person.pk).exists()
    assert not policy.can(actor, Action.MANAGE_CONSENT, person)
    # The organisation's other persons stay visible.
    assert str(personas.person.pk) in _api_ids(user)


def test_the_restricted_case_team_and_the_admin_still_see_its_persons(personas, restricted):
    case, person = restricted
    user, _actor = _member(personas.own_org, Role.COUNSELLOR, "team-counsellor")
    case.team.add(user)
    assert str(person.pk) in _api_ids(user)
    assert str(person.pk) in _api_ids(personas.users["org_admin"])


def test_a_person_also_in_an_open_case_stays_visible_through_it(personas, restricted):
    """The restriction covers the case; her part in a case the role may open stays visible."""
    _case, person = restricted
    CasePersonFactory(case=personas.case, person=person, role=CaseRole.WITNESS)
    user, _actor = _member(personas.own_org, Role.FIELD_OFFICER, "field")
    assert str(person.pk) in _api_ids(user)


# --- 9: restriction travels with a share -----------------------------------------------------------


def test_only_the_admin_shares_a_restricted_case_and_only_to_named_people(personas, restricted):
    case, person = restricted
    ConsentFactory(person=person, scopes=SCOPES)
    case.team.add(personas.users["lead"])
    with pytest.raises(Forbidden):
        consent_services.case_share(
            actor=personas["lead"],
            case=case,
            organisation=personas.partner_org,
            scopes=["identity"],
            reason="Shelter",
        )
    with pytest.raises(InvalidInput) as unnamed:
        consent_services.case_share(
            actor=personas["org_admin"],
            case=case,
            organisation=personas.partner_org,
            scopes=["identity"],
            reason="Shelter",
        )
    assert "recipients" in unnamed.value.errors
    with pytest.raises(InvalidInput):  # someone of another organisation cannot be named
        consent_services.case_share(
            actor=personas["org_admin"],
            case=case,
            organisation=personas.partner_org,
            scopes=["identity"],
            reason="Shelter",
            recipients=[personas.users["other_org"]],
        )
    share = consent_services.case_share(
        actor=personas["org_admin"],
        case=case,
        organisation=personas.partner_org,
        scopes=["identity"],
        reason="Shelter",
        recipients=[personas.users["partner_admin"]],
    )
    partner_admin_id = str(personas.users["partner_admin"].pk)
    assert [str(u.pk) for u in share.recipients.all()] == [partner_admin_id]
    # The named people are in the share's own audit entry (written in the same transaction).
    entry = AuditEntry.objects.get(action=AuditAction.SHARE, target_id=str(share.pk))
    assert entry.changes["after"]["recipients"] == [partner_admin_id]
    assert policy.can(personas["partner_admin"], Action.VIEW, case)
    assert policy.can(personas["partner_admin"], Action.VIEW, person)
    assert not policy.can(personas["partner"], Action.VIEW, case)
    assert not policy.can(personas["partner"], Action.VIEW, person)


def test_a_case_restricted_after_sharing_stops_reaching_the_partner(personas):
    assert policy.can(personas["partner"], Action.VIEW, personas.case)
    personas.case.is_restricted = True
    personas.case.save()
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)
    assert not policy.can(personas["partner"], Action.VIEW, personas.person)


def test_a_share_naming_people_reaches_only_them(personas):
    share = personas.case.shares.get()
    share.recipients.set([personas.users["partner_admin"]])
    assert policy.can(personas["partner_admin"], Action.VIEW, personas.case)
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)


# --- 12: filters match only on what the actor may see --------------------------------------------


def test_the_district_filter_does_not_reveal_an_unshared_home_district(personas):
    AddressFactory(person=personas.person, district_id=KOLKATA)
    partner = personas.users["partner"]
    assert str(personas.person.pk) in _api_ids(partner)  # identity is shared, places are not
    assert str(personas.person.pk) not in _api_ids(partner, district=KOLKATA)
    assert str(personas.person.pk) not in _api_ids(partner, state=19)
    cases = selectors.case_list(actor=personas["partner"], filters={"district": KOLKATA})
    assert not cases.filter(pk=personas.case.pk).exists()
    # The owner's filter, and a partner with places shared, still find her.
    assert str(personas.person.pk) in _api_ids(personas.users["lead"], district=KOLKATA)
    share = personas.case.shares.get()
    share.scopes = [*share.scopes, "contact"]
    share.save()
    consent = share.consent
    consent.scopes = [*consent.scopes, "contact"]
    consent.save()
    assert str(personas.person.pk) in _api_ids(partner, district=KOLKATA)


def test_case_history_filters_do_not_reach_into_a_share_without_history(personas):
    from setu.registry.tests.factories import EventFactory

    EventFactory(case=personas.case, district_id=KOLKATA)
    share = personas.case.shares.get()
    share.scopes = ["identity"]
    share.save()
    for filters in ({"district": KOLKATA}, {"event_kind": "IN:Rescue"}):
        partner_sees = selectors.case_list(actor=personas["partner"], filters=filters)
        assert not partner_sees.filter(pk=personas.case.pk).exists(), filters
        lead_sees = selectors.case_list(actor=personas["lead"], filters=filters)
        assert lead_sees.filter(pk=personas.case.pk).exists(), filters


# --- 17: a share carries each person only on her own consent --------------------------------------


@pytest.fixture
def crowded(personas):
    """The shared case also holds a co-victim without consent, a family member and an alleged
    perpetrator, each with a phone and a home district."""
    people = {}
    for key, role in [
        ("co_victim", CaseRole.VICTIM),
        ("mother", CaseRole.FAMILY),
        ("trafficker", CaseRole.PERPETRATOR),
    ]:
        link = CasePersonFactory(case=personas.case, role=role, person__given_name=key.title())
        PhoneFactory(person=link.person)
        AddressFactory(person=link.person, district_id=KOLKATA)
        people[key] = link.person
    share = personas.case.shares.get()
    share.scopes = SCOPES
    share.save()
    consent = share.consent
    consent.scopes = SCOPES
    consent.save()
    return people


def test_a_share_carries_no_one_who_did_not_consent(personas, crowded):
    partner = personas["partner"]
    seen = _api_ids(personas.users["partner"])
    assert str(personas.person.pk) in seen
    for key in ("co_victim", "mother", "trafficker"):
        assert str(crowded[key].pk) not in seen, key
        assert not policy.can(partner, Action.VIEW, crowded[key]), key
    detail = selectors.case_detail(actor=partner, case_id=personas.case.pk)
    names = {p.link.person_id: p.name for p in detail.participants}
    assert names[personas.person.pk] == personas.person.display_name
    for key in ("co_victim", "mother", "trafficker"):
        assert names[crowded[key].pk] == "(identity not shared)", key
    # The district filter finds nobody through them either.
    assert not selectors.case_list(actor=partner, filters={"district": KOLKATA}).exists()


def test_a_co_victim_travels_on_her_own_consent(personas, crowded):
    co_victim = crowded["co_victim"]
    ConsentFactory(person=co_victim, recipient_org=personas.partner_org, scopes=["identity"])
    partner = personas["partner"]
    assert policy.person_visible_scopes(partner, co_victim) == {"identity"}
    detail = selectors.person_detail(actor=partner, person_id=co_victim.pk)
    assert detail.visibility.identity and not detail.phones  # contact was not in her consent
    # A consent to a third organisation does not carry her to the partner.
    other = crowded["mother"]
    ConsentFactory(person=other, recipient_org=personas.other_org, scopes=SCOPES)
    assert not policy.can(partner, Action.VIEW, other)


def test_family_travels_when_the_survivors_consent_and_the_share_cover_family(personas, crowded):
    share = personas.case.shares.get()
    consent = share.consent
    consent.scopes = [*SCOPES, "family"]
    consent.save()
    assert not policy.can(personas["partner"], Action.VIEW, crowded["mother"])  # share lacks it
    share.scopes = [*SCOPES, "family"]
    share.save()
    assert policy.person_visible_scopes(personas["partner"], crowded["mother"]) == {
        "identity",
        "contact",
    }
    # Never the alleged perpetrator, nor a co-victim without her own consent.
    assert not policy.can(personas["partner"], Action.VIEW, crowded["trafficker"])
    assert not policy.can(personas["partner"], Action.VIEW, crowded["co_victim"])


def test_an_alleged_perpetrator_never_travels_even_on_his_own_consent(personas, crowded):
    ConsentFactory(person=crowded["trafficker"], scopes=SCOPES)
    assert not policy.can(personas["partner"], Action.VIEW, crowded["trafficker"])


def test_a_share_rests_only_on_a_survivors_consent(personas, crowded):
    """A share whose consent is a family member's (not a survivor in the case) carries nothing."""
    mother_consent = ConsentFactory(person=crowded["mother"], scopes=SCOPES)
    share = personas.case.shares.get()
    share.consent = mother_consent
    share.save()
    assert not policy.can(personas["partner"], Action.VIEW, personas.case)
    assert not policy.can(personas["partner"], Action.VIEW, personas.person)
    assert not policy.can(personas["partner"], Action.VIEW, crowded["mother"])


def test_the_share_preview_lists_who_will_be_visible(personas, crowded):
    share = personas.case.shares.get()
    share.revoked_at = share.created_at
    share.save()
    consent, rows = consent_selectors.case_share_preview(
        actor=personas["lead"],
        case=personas.case,
        organisation=personas.partner_org,
        scopes=["identity", "contact"],
    )
    assert consent is not None and consent.person_id == personas.person.pk
    by_person = {row.person_id: row for row in rows}
    assert by_person[personas.person.pk].scopes  # the survivor who consented
    for key in ("co_victim", "mother", "trafficker"):
        assert by_person[crowded[key].pk].scopes == [], key
    # The page shows the preview before anything is shared, and shares only on "send".
    url = reverse("consent:case-share", args=[personas.case.pk])
    data = {"organisation": str(personas.partner_org.pk), "scopes": ["identity"], "reason": "x"}
    page = _client(personas.users["lead"]).post(url, data)
    html = page.content.decode()
    assert page.status_code == 200 and "Who the organisation will see" in html
    assert "Only the role in the case" in html
    assert not CaseShare.objects.filter(case=personas.case, revoked_at__isnull=True).exists()
    sent = _client(personas.users["lead"]).post(url, {**data, "step": "send"})
    assert sent.status_code == 302
    assert CaseShare.objects.filter(case=personas.case, revoked_at__isnull=True).exists()


def test_the_preview_says_when_no_consent_covers_the_share(personas):
    consent, rows = consent_selectors.case_share_preview(
        actor=personas["lead"],
        case=personas.case,
        organisation=personas.other_org,
        scopes=["legal"],
    )
    assert consent is None and rows == []
    with pytest.raises(ConsentRequired):
        consent_services.case_share(
            actor=personas["lead"],
            case=personas.case,
            organisation=personas.other_org,
            scopes=["legal"],
            reason="x",
        )


def test_a_partner_reads_the_guardians_name_only_where_the_consent_covers_identity(personas):
    person = personas.person
    covered = ConsentFactory(
        person=person,
        scopes=["identity", "case_history"],
        given_by=ConsentGiver.PARENT_GUARDIAN,
        given_by_name="Jahanara Bibi",
    )
    uncovered = ConsentFactory(
        person=person,
        scopes=["case_history"],
        given_by=ConsentGiver.PARENT_GUARDIAN,
        given_by_name="Rashida Bibi",
    )
    response = token_client(personas.users["partner"]).get(
        reverse("api:person-detail", args=[person.pk])
    )
    names = {c["id"]: c["given_by_name"] for c in response.json()["consents"]}
    assert names[str(covered.pk)] == "Jahanara Bibi"
    assert names[str(uncovered.pk)] == ""
    owner = token_client(personas.users["lead"]).get(reverse("api:person-detail", args=[person.pk]))
    owner_names = {c["id"]: c["given_by_name"] for c in owner.json()["consents"]}
    assert owner_names[str(uncovered.pk)] == "Rashida Bibi"


# --- 13: a referral shows identity only under consent ---------------------------------------------


def test_a_referral_receiver_sees_no_identity_the_persons_consent_does_not_cover(personas, crowded):
    """The partner received a referral for the co-victim, who consented to case history only;
    neither the referral nor her record shows her name or her mother's name."""
    co_victim = crowded["co_victim"]
    co_victim.mother_name = "Sabina Bibi"
    co_victim.save()
    consent = ConsentFactory(
        person=co_victim, recipient_org=personas.partner_org, scopes=["case_history"]
    )
    referral = ReferralFactory(
        case=personas.case,
        person=co_victim,
        from_org=personas.own_org,
        to_org=personas.partner_org,
        consent=consent,
        shared_scopes=["case_history"],
    )
    partner = personas.users["partner"]
    page = _client(partner).get(reverse("referrals:referral-detail", args=[referral.pk]))
    assert page.status_code == 200
    api = token_client(partner).get(reverse("api:person-detail", args=[co_victim.pk]))
    person_page = _client(partner).get(reverse("registry:person-detail", args=[co_victim.pk]))
    for body in (page.content.decode(), api.content.decode(), person_page.content.decode()):
        assert co_victim.given_name not in body
        assert "Sabina Bibi" not in body
    case_page = _client(partner).get(reverse("registry:case-detail", args=[personas.case.pk]))
    assert co_victim.given_name not in case_page.content.decode()
    assert Person.objects.filter(pk=co_victim.pk).exists()


def test_the_case_page_names_the_people_a_share_reaches(personas):
    share = personas.case.shares.get()
    partner_admin = personas.users["partner_admin"]
    partner_admin.first_name, partner_admin.last_name = "Meera", "Sen"
    partner_admin.save()
    share.recipients.set([partner_admin])
    html = _client(personas.users["lead"]).get(
        reverse("registry:case-detail", args=[personas.case.pk])
    )
    assert "only for Meera Sen" in html.content.decode()


def test_a_referral_on_somebody_elses_consent_shows_nothing(personas, crowded):
    """The survivor's consent does not speak for the co-victim referred on it."""
    co_victim = crowded["co_victim"]
    survivors_consent = ConsentFactory(
        person=personas.person, recipient_org=personas.partner_org, scopes=["identity"]
    )
    referral = ReferralFactory(
        case=personas.case,
        person=co_victim,
        from_org=personas.own_org,
        to_org=personas.partner_org,
        consent=survivors_consent,
        shared_scopes=["identity"],
    )
    page = _client(personas.users["partner"]).get(
        reverse("referrals:referral-detail", args=[referral.pk])
    )
    assert page.status_code == 200
    assert co_victim.given_name not in page.content.decode()
