"""Factories for field operations; the default operation is a planned rescue led by a new
organisation, planned for tomorrow."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from setu.fieldops.models import Operation, OperationKind, TeamMember, TeamRole
from setu.orgs.tests.factories import OrganisationFactory, UserFactory


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation

    owner_org = factory.SubFactory(OrganisationFactory)
    kind = OperationKind.RESCUE
    code_name = factory.Sequence(lambda n: f"Neem {n}")
    target_place = "Third floor above the tea stall, Lane 4, Kamathipura"
    planned_start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    expected_end = factory.LazyAttribute(lambda o: o.planned_start + datetime.timedelta(hours=6))


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    operation = factory.SubFactory(OperationFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("operation.owner_org")
    role = TeamRole.MEMBER
