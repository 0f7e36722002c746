"""Factories for the intel context; rows are written straight (tests of the services use them)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from setu.intel.models import (
    Identifier,
    IdentifierKind,
    Perpetrator,
    PerpetratorRole,
    SharingAgreement,
    Source,
)
from setu.orgs.tests.factories import OrganisationFactory
from setu.registry.tests.factories import CaseFactory


class PerpetratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Perpetrator

    case = factory.SubFactory(CaseFactory)
    owner_org = factory.SelfAttribute("case.owner_org")
    name = factory.Sequence(lambda n: f"Ramesh Agent{n}")
    role = PerpetratorRole.RECRUITER
    source = Source.SURVIVOR


class IdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identifier

    case = factory.SubFactory(CaseFactory)
    owner_org = factory.SelfAttribute("case.owner_org")
    kind = IdentifierKind.PHONE
    value = factory.Sequence(lambda n: f"+9198{n:08d}")
    raw = factory.SelfAttribute("value")
    source = Source.SURVIVOR


class AgreementFactory(factory.django.DjangoModelFactory):
    """A live agreement (accepted, started yesterday, ends in a year)."""

    class Meta:
        model = SharingAgreement

    proposer_org = factory.SubFactory(OrganisationFactory)
    partner_org = factory.SubFactory(OrganisationFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    accepted_at = factory.LazyFunction(timezone.now)
