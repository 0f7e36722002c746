import pytest

from setu.access.actor import actor_for_user
from setu.orgs.models import Role


@pytest.fixture
def legal_officer(personas):
    """A legal officer of the organisation that owns the personas' case."""
    from setu.orgs.tests.factories import MembershipFactory

    user = MembershipFactory(organisation=personas.own_org, role=Role.LEGAL_OFFICER).user
    return actor_for_user(user)


@pytest.fixture
def police_liaison(personas):
    from setu.orgs.tests.factories import MembershipFactory

    user = MembershipFactory(organisation=personas.own_org, role=Role.POLICE_LIAISON).user
    return actor_for_user(user)
