"""Factories for organisations, users and memberships. The default user is an ordinary caseworker."""

from __future__ import annotations

import factory

from setu.accounts.models import User
from setu.orgs.models import Membership, Organisation, OrganisationType, Role

TEST_PASSWORD = "correct-horse-battery-7"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    org_type = OrganisationType.DESTINATION_NGO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    # The account is the organisation's own unless a test says otherwise (see User.created_by_org).
    user = factory.SubFactory(UserFactory, created_by_org=factory.SelfAttribute("..organisation"))
    role = Role.CASEWORKER
