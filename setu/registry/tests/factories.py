"""Factories for registry records, owned by an organisation created on demand."""

from __future__ import annotations

import datetime

import factory

from setu.consent.models import CaseShare, Consent, ConsentScope
from setu.orgs.tests.factories import OrganisationFactory
from setu.registry.models import (
    Address,
    Case,
    CasePerson,
    CaseRole,
    DocumentType,
    EventKind,
    Gender,
    IdentityDocument,
    Person,
    PersonAlias,
    Phone,
    ServiceRecord,
    ServiceType,
    TraffickingEvent,
)
from setu.registry.services import person_name_tokens_refresh


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    owner_org = factory.SubFactory(OrganisationFactory)
    given_name = factory.Iterator(["Puja", "Rina", "Salma", "Lakshmi", "Anjali", "Mousumi"])
    family_name = factory.Iterator(["Mondal", "Oraon", "Khatun", "Munda", "Das", "Sahu"])
    name_native = ""
    gender = Gender.FEMININE
    estimated_age = 16
    # Eighteen months ago: a girl of 17 today, whatever day the tests run (a fixed date would
    # make her an adult one day, and a girls' bed would then no longer fit her).
    age_estimated_on = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=548)
    )

    @factory.post_generation
    def name_tokens(self, create: bool, extracted: object, **kwargs: object) -> None:
        # Services keep the name tokens; factories bypass them, so fill them in here.
        if create:
            person_name_tokens_refresh(self)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    owner_org = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"C-{n:05d}")


class CasePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CasePerson

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory, owner_org=factory.SelfAttribute("..case.owner_org"))
    role = CaseRole.VICTIM


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraffickingEvent

    case = factory.SubFactory(CaseFactory)
    kind = EventKind.RESCUE
    occurred_on = datetime.date(2025, 3, 14)
    place = "Kamathipura"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    scopes = factory.LazyFunction(lambda: [ConsentScope.IDENTITY, ConsentScope.CASE_HISTORY])


class CaseShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    consent = factory.SubFactory(ConsentFactory)
    scopes = factory.LazyFunction(lambda: [ConsentScope.IDENTITY, ConsentScope.CASE_HISTORY])
    reason = "Referral for shelter"


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAlias
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    name = "Munni"

    @factory.post_generation
    def name_tokens(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            person_name_tokens_refresh(self.person)


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: f"+9198{n:08d}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    person = factory.SubFactory(PersonFactory)
    village = "Gosaba"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityDocument

    person = factory.SubFactory(PersonFactory)
    doc_type = DocumentType.AADHAAR
    number = "1234"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    case = factory.SubFactory(CaseFactory)
    service_type = ServiceType.SHELTER
