"""Factories for directory entries, owned by an organisation created on demand."""

from __future__ import annotations

import factory

from setu.directory.models import Service, ServiceType
from setu.orgs.tests.factories import OrganisationFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    service_type = ServiceType.SHELTER
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Short-stay shelter for women and girls."
    phone = "+919800000000"
    hours = "24 hours"

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.districts.set(extracted)

    @factory.post_generation
    def states(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.states.set(extracted)
