"""Factories for the feedback context. Subjects are police stations of a partner-less
organisation unless a test says otherwise; feedback is open, about that subject, given today."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from setu.feedback import tokens
from setu.feedback.models import (
    Campaign,
    ChangeNote,
    Channel,
    ComplaintDesk,
    Feedback,
    Invitation,
    Subject,
    SubjectKind,
)
from setu.orgs.tests.factories import OrganisationFactory, UserFactory


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    kind = SubjectKind.POLICE_STATION
    name = factory.Sequence(lambda n: f"Police Station {n}")


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    subject = factory.SubFactory(SubjectFactory)
    concerns_org = factory.SelfAttribute("subject.organisation")
    district = factory.SelfAttribute("subject.district")
    kind = factory.SelfAttribute("subject.kind")
    channel = Channel.WEB_LINK
    given_on = factory.LazyFunction(timezone.localdate)
    treated = 3
    comment = "They made me wait all day."


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class ChangeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeNote

    organisation = factory.SubFactory(OrganisationFactory)
    you_said = "Nobody spoke Bengali at the desk."
    we_did = "A Bengali-speaking officer now sits at the desk on weekdays."
    published_on = factory.LazyFunction(timezone.localdate)


class ComplaintDeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintDesk

    organisation = factory.SubFactory(OrganisationFactory)
    handler = factory.SubFactory(UserFactory)


def invitation(
    org, *, subject=None, campaign=None, days: int = 30, **kw
) -> tuple[Invitation, str, str]:
    """An invitation with its clear token and code (which the database never holds)."""
    token, code = tokens.new_token(), tokens.new_code()
    row = Invitation.objects.create(
        issued_by_org=org,
        subject=subject,
        campaign=campaign,
        token_digest=tokens.token_digest(token),
        code_digest=tokens.code_digest(code),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        **kw,
    )
    return row, token, code
