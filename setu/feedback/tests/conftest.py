import pytest
from django.core.cache import cache

from setu.access.actor import actor_for_user
from setu.orgs.models import OrganisationType, Role


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with empty guess counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(personas):
    """The personas plus what feedback needs: a police station that is the personas' partner
    organisation (so the 'organisation concerned' has members), a network body with a
    coordinator and a complaints handler, and a collective with a leader and a peer supporter."""
    from setu.feedback.tests.factories import ComplaintDeskFactory, SubjectFactory
    from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory

    body = OrganisationFactory(name="Network Body", org_type=OrganisationType.NETWORK_BODY)
    collective = OrganisationFactory(
        name="Survivors' Collective", org_type=OrganisationType.SURVIVOR_COLLECTIVE
    )
    police = OrganisationFactory(name="Police AHTU", org_type=OrganisationType.POLICE_AHTU)
    users = {
        "body_coordinator": MembershipFactory(
            organisation=body, role=Role.NETWORK_COORDINATOR
        ).user,
        "handler": MembershipFactory(organisation=body, role=Role.CASEWORKER).user,
        "leader": MembershipFactory(organisation=collective, role=Role.COLLECTIVE_LEADER).user,
        "peer": MembershipFactory(organisation=collective, role=Role.PEER_SUPPORTER).user,
        "police_admin": MembershipFactory(organisation=police, role=Role.ORG_ADMIN).user,
        "police_coordinator": MembershipFactory(
            organisation=police, role=Role.NETWORK_COORDINATOR
        ).user,
    }
    ComplaintDeskFactory(organisation=body, handler=users["handler"])
    subject = SubjectFactory(organisation=police, name="Canning Police Station")

    class Net:
        pass

    net = Net()
    net.personas = personas
    net.body, net.collective, net.police, net.subject = body, collective, police, subject
    net.users = users
    net.actors = {name: actor_for_user(user) for name, user in users.items()}
    net.actors.update(personas.actors)
    return net
