"""Factories for referrals: a consented referral from a case's organisation to another one."""

from __future__ import annotations

import factory
from django.utils import timezone

from setu.consent.models import ConsentScope
from setu.directory.tests.factories import ServiceFactory
from setu.referrals.models import Referral, ReferralStatus
from setu.registry.tests.factories import CasePersonFactory, ConsentFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A sent referral; pass ``case``/``person`` to refer from an existing case."""

    class Meta:
        model = Referral

    case = factory.LazyAttribute(lambda o: CasePersonFactory().case)
    person = factory.LazyAttribute(lambda o: o.case.participants.first().person)
    from_org = factory.LazyAttribute(lambda o: o.case.owner_org)
    to_service = factory.SubFactory(ServiceFactory)
    to_org = factory.LazyAttribute(lambda o: o.to_service.organisation)
    need = factory.LazyAttribute(lambda o: o.to_service.service_type)
    shared_scopes = factory.LazyFunction(lambda: [ConsentScope.IDENTITY])
    consent = factory.LazyAttribute(
        lambda o: ConsentFactory(person=o.person, scopes=list(o.shared_scopes))
    )
    status = ReferralStatus.SENT
    sent_at = factory.LazyFunction(timezone.now)


def referral_for(personas, **kwargs):
    """A referral of the personas' case from "Own NGO" to the partner organisation."""
    service = kwargs.pop("to_service", None) or ServiceFactory(organisation=personas.partner_org)
    kwargs.setdefault("case", personas.case)
    kwargs.setdefault("person", personas.person)
    kwargs.setdefault("sent_by", personas.users["lead"])
    return ReferralFactory(to_service=service, **kwargs)
