"""Coordinators keep the subjects survivors speak about and their organisation's complaints
handlers from Setu's own pages, not the Django admin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from setu.feedback import selectors, services
from setu.feedback.models import ComplaintDesk, Subject
from setu.feedback.tests.factories import FeedbackFactory
from setu.orgs.models import District

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _district() -> District:
    # India's districts are reference data loaded by a migration (LGD).
    return District.objects.select_related("state").order_by("pk").first()


def test_a_coordinator_adds_corrects_and_retires_a_subject(network):
    client = _client(network.users["body_coordinator"])
    district = _district()
    page = client.get("/feedback/subjects/new/")
    assert page.status_code == 200 and district.name in page.content.decode()
    made = client.post(
        "/feedback/subjects/new/",
        {
            "kind": "court",
            "name": " Alipore Court ",
            "district_id": district.pk,
            "organisation_id": "",
            "scheme_id": "",
            "is_active": "on",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    court = Subject.objects.get(name="Alipore Court")
    assert court.district == district and court.organisation is None
    assert "Alipore Court" in client.get("/feedback/subjects/").content.decode()
    # The same court in the same district twice is refused on the form.
    again = client.post(
        "/feedback/subjects/new/",
        {"kind": "court", "name": "Alipore Court", "district_id": district.pk},
    )
    assert again.status_code == 200 and Subject.objects.filter(name="Alipore Court").count() == 1
    # Feedback already given keeps the organisation it was about when the subject changes.
    given = FeedbackFactory(subject=network.subject)
    client.post(
        f"/feedback/subjects/{network.subject.pk}/",
        {"kind": "police_station", "name": "Canning PS", "organisation_id": ""},
    )
    network.subject.refresh_from_db()
    given.refresh_from_db()
    assert network.subject.name == "Canning PS" and network.subject.organisation is None
    assert not network.subject.is_active  # the box was not ticked: retired
    assert given.concerns_org == network.police
    assert network.subject not in selectors.subjects_public()


def test_only_coordinators_and_platform_admins_keep_the_subjects(network):
    assert _client(network.users["leader"]).get("/feedback/subjects/").status_code == 403
    assert _client(network.users["police_admin"]).get("/feedback/subjects/").status_code == 403
    assert _client(network.personas.users["platform_admin"]).get(
        "/feedback/subjects/"
    ).status_code == 200  # fmt: skip


def _complaint(network) -> object:
    from setu.feedback.tests.factories import invitation

    _row, token, _code = invitation(network.body, subject=network.subject)
    credential = services.credential_open(address="10.0.0.1", token=token)
    answers = services.answers_from({"treated": "1", "serious_kind": "bribery"})
    feedback, _followup = services.feedback_give(
        credential=credential, subject_id=None, answers=answers, language="en", channel="web_link"
    )
    return feedback


def test_a_coordinator_stops_and_resumes_a_handler_and_complaints_follow(network):
    client = _client(network.users["body_coordinator"])
    page = client.get("/feedback/complaint-desks/")
    assert page.status_code == 200
    desk = ComplaintDesk.objects.get(handler=network.users["handler"])
    client.post(f"/feedback/complaint-desks/{desk.pk}/stop/")
    desk.refresh_from_db()
    assert not desk.is_active
    # No active desk: the complaint waits for the coordinators (never the police station's own).
    assert _complaint(network).handler is None
    client.post(f"/feedback/complaint-desks/{desk.pk}/resume/")
    assert _complaint(network).handler == network.users["handler"]


def test_a_handler_must_be_a_colleague_and_only_her_coordinator_names_her(network):
    client = _client(network.users["body_coordinator"])
    outsider = network.users["police_admin"]
    refused = client.post("/feedback/complaint-desks/", {"handler": outsider.pk, "priority": 1})
    assert refused.status_code == 200
    assert not ComplaintDesk.objects.filter(handler=outsider).exists()
    named = client.post(
        "/feedback/complaint-desks/",
        {"handler": network.users["body_coordinator"].pk, "priority": 2},
    )
    assert named.status_code == 302
    assert ComplaintDesk.objects.filter(organisation=network.body).count() == 2
    # The police station's coordinator cannot stop the network body's handler.
    desk = ComplaintDesk.objects.get(handler=network.users["handler"])
    police = _client(network.users["police_coordinator"])
    assert police.post(f"/feedback/complaint-desks/{desk.pk}/stop/").status_code == 404
    desk.refresh_from_db()
    assert desk.is_active


def test_the_lists_are_linked_from_the_desk_and_cost_few_queries(
    network, django_assert_max_num_queries
):
    from setu.feedback.tests.factories import ComplaintDeskFactory, SubjectFactory

    client = _client(network.users["body_coordinator"])
    desk = client.get("/feedback/").content.decode()
    assert 'href="/feedback/subjects/"' in desk and 'href="/feedback/complaint-desks/"' in desk
    assert 'href="/feedback/subjects/"' not in _client(network.users["leader"]).get(
        "/feedback/"
    ).content.decode()  # fmt: skip
    ComplaintDeskFactory(organisation=network.body, handler=network.users["body_coordinator"])
    district = _district()
    for n in range(15):
        SubjectFactory(organisation=network.police, district=district, name=f"Station {n}")
    # Each row names its district and organisation: fetched with the subjects, not one by one.
    with django_assert_max_num_queries(12):
        page = client.get("/feedback/subjects/")
    assert "Station 14" in page.content.decode() and district.name in page.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get("/feedback/complaint-desks/").status_code == 200
