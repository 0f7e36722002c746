"""Factories for shelter capacity. Bed groups belong to a shelter home; referrals are for shelter."""

from __future__ import annotations

import factory

from setu.access.actor import Actor, actor_for_user
from setu.orgs.models import Organisation, OrganisationType, Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory
from setu.referrals.models import Referral
from setu.registry.tests.factories import CasePersonFactory, ConsentFactory
from setu.shelters.models import BedGroup, BedKind


class BedGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BedGroup

    shelter = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.SHELTER_HOME)
    # Fits the factories' default person, a girl of 17 (``bed_kind_misfit``).
    kind = BedKind.GIRLS_UNDER_18
    total = 4


class ReferralFactory(factory.django.DjangoModelFactory):
    """A shelter referral from the case's organisation to a shelter."""

    class Meta:
        model = Referral

    class Params:
        link = factory.SubFactory(CasePersonFactory)

    case = factory.SelfAttribute("link.case")
    person = factory.SelfAttribute("link.person")
    from_org = factory.SelfAttribute("case.owner_org")
    to_org = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.SHELTER_HOME)
    need = "shelter"
    consent = factory.SubFactory(ConsentFactory, person=factory.SelfAttribute("..person"))
    shared_scopes = factory.LazyFunction(lambda: ["identity"])
    status = "sent"


def member(org: Organisation, role: str = Role.CASEWORKER, **kwargs: object) -> Actor:
    """An actor with ``role`` in ``org`` (a caseworker unless said otherwise)."""
    return actor_for_user(MembershipFactory(organisation=org, role=role, **kwargs).user)


def shelter_manager(shelter: Organisation) -> Actor:
    return member(shelter, Role.SHELTER_MANAGER)
