"""Factories for entitlements; the default scheme is a central one."""

from __future__ import annotations

import factory

from setu.entitlements.models import (
    CompensationClaim,
    CompensationStage,
    Forum,
    Scheme,
    SchemeApplication,
    SchemeCategory,
)
from setu.registry.tests.factories import CasePersonFactory


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    name = factory.Sequence(lambda n: f"Test scheme {n}")
    category = SchemeCategory.FOOD


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchemeApplication

    class Params:
        link = factory.SubFactory(CasePersonFactory)

    case = factory.SelfAttribute("link.case")
    person = factory.SelfAttribute("link.person")
    owner_org = factory.SelfAttribute("case.owner_org")
    scheme = factory.SubFactory(SchemeFactory)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationClaim

    class Params:
        link = factory.SubFactory(CasePersonFactory)

    case = factory.SelfAttribute("link.case")
    person = factory.SelfAttribute("link.person")
    owner_org = factory.SelfAttribute("case.owner_org")


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationStage

    claim = factory.SubFactory(ClaimFactory)
    forum = Forum.DLSA
    amount_claimed = 200000
