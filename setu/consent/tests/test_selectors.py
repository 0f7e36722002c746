import datetime

from setu.consent import selectors
from setu.registry.tests.factories import ConsentFactory

TODAY = datetime.date.today()


def test_consents_covering_prefers_named_recipient(personas):
    named = ConsentFactory(
        person=personas.person,
        scopes=["identity"],
        recipient_org=personas.other_org,
        given_on=TODAY - datetime.timedelta(days=30),
    )
    found = selectors.consents_covering(
        case=personas.case, organisation=personas.other_org, scopes=["identity"]
    )
    assert found[0] == named and len(found) == 2
    assert (
        selectors.consents_covering(
            case=personas.case, organisation=personas.other_org, scopes=["health"]
        )
        == []
    )


def test_person_consent_covering_prefers_named_recipient_and_respects_the_policy(personas):
    named = ConsentFactory(
        person=personas.person,
        scopes=["identity"],
        recipient_org=personas.other_org,
        given_on=TODAY - datetime.timedelta(days=30),
    )
    found = selectors.person_consent_covering(
        actor=personas["lead"],
        person_id=personas.person.pk,
        organisation_id=personas.other_org.pk,
        scopes=["identity"],
    )
    assert found == named
    # Another organisation's caseworker cannot use this person's consents at all.
    assert (
        selectors.person_consent_covering(
            actor=personas["other_org"],
            person_id=personas.person.pk,
            organisation_id=personas.other_org.pk,
            scopes=["identity"],
        )
        is None
    )


def test_consents_expired_lists_each_expired_consent_until_it_is_retired(db):
    from django.utils import timezone

    expired = ConsentFactory(
        given_on=TODAY - datetime.timedelta(days=10), expires_on=TODAY - datetime.timedelta(days=1)
    )
    ConsentFactory(expires_on=TODAY)  # still in force today
    ConsentFactory(
        given_on=TODAY - datetime.timedelta(days=10),
        expires_on=TODAY - datetime.timedelta(days=1),
        withdrawn_on=TODAY - datetime.timedelta(days=2),
    )
    assert selectors.consents_expired() == [expired.pk]
    expired.ended_at = timezone.now()
    expired.save()
    assert selectors.consents_expired() == []


def test_a_partner_sees_no_consent_given_to_a_third_organisation(personas):
    """A consent naming another organisation would tell the partner who else holds her."""
    to_third = ConsentFactory(person=personas.person, recipient_org=personas.other_org)
    to_partner = ConsentFactory(person=personas.person, recipient_org=personas.partner_org)
    network_wide = personas.person.consents.filter(recipient_org__isnull=True).get()

    seen_by_partner = set(
        selectors.consent_list(actor=personas["partner"], person_ids=[personas.person.pk])
    )
    assert seen_by_partner == {to_partner, network_wide}
    seen_by_owner = set(
        selectors.consent_list(actor=personas["lead"], person_ids=[personas.person.pk])
    )
    assert {to_third, to_partner, network_wide} <= seen_by_owner
    assert not selectors.consent_list(
        actor=personas["other_org"], person_ids=[personas.person.pk]
    ).exists()
