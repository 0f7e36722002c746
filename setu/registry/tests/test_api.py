"""Registry API: same policy as the web pages, one error shape, audited reads and writes."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.consent.models import Consent
from setu.core.changes import PERSONAL_MARK
from setu.core.tests.apiclient import token_client
from setu.registry.models import Address, Case, IdentityDocument, Person, Phone, TraffickingEvent
from setu.registry.tests.factories import CaseFactory, EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

KOLKATA = 664  # LGD district code of Kolkata (West Bengal, state 19)


@pytest.fixture
def api(personas):
    """API clients per persona, each with its own bearer token."""
    return {who: token_client(user) for who, user in personas.users.items()}


def _ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def _fields(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "invalid"
    return body["fields"]


# --- authentication and scope -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("api:person-list", {}),
        ("api:case-list", {}),
        ("api:person-detail", {"person_id": uuid.uuid4()}),
        ("api:case-detail", {"case_id": uuid.uuid4()}),
    ],
)
def test_no_token_is_401(name, kwargs):
    response = APIClient().get(reverse(name, kwargs=kwargs))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_person_list_is_scoped(personas, api):
    own = str(personas.person.pk)
    assert own in _ids(api["lead"].get(reverse("api:person-list")))
    assert own in _ids(api["partner"].get(reverse("api:person-list")))  # identity is shared
    assert _ids(api["other_org"].get(reverse("api:person-list"))) == set()
    assert api["analyst"].get(reverse("api:person-list")).status_code == 403
    assert api["platform_admin"].get(reverse("api:case-list")).status_code == 403


def test_person_list_filters_and_refuses_bad_filters(personas, api):
    PersonFactory(owner_org=personas.own_org, gender="Masculine", given_name="Ravi")
    response = api["lead"].get(reverse("api:person-list"), {"gender": "Masculine"})
    assert len(_ids(response)) == 1
    assert "gender" in _fields(api["lead"].get(reverse("api:person-list"), {"gender": "x"}))


def test_person_list_is_paginated_with_flat_query_count(
    personas, api, django_assert_max_num_queries
):
    for _ in range(12):
        PersonFactory(owner_org=personas.own_org)
    with django_assert_max_num_queries(15):
        response = api["lead"].get(reverse("api:person-list"), {"limit": 5})
    body = response.json()
    assert body["count"] == 13
    assert len(body["results"]) == 5


def test_out_of_scope_person_is_404_and_denial_audited(personas, api):
    url = reverse("api:person-detail", args=[personas.person.pk])
    response = api["other_org"].get(url)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}
    denied = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert denied.outcome == Outcome.DENIED
    assert denied.actor_user_id == personas.users["other_org"].pk
    assert denied.target_id == str(personas.person.pk)


# --- search -------------------------------------------------------------------------------------


def test_search_by_name_is_post_only_and_audited_without_the_query(personas, api):
    name = personas.person.given_name
    url = reverse("api:person-search")
    assert api["lead"].get(url, {"query": name}).status_code == 405
    response = api["lead"].post(url, {"query": name}, format="json")
    assert response.status_code == 200
    assert str(personas.person.pk) in _ids(response)
    entry = AuditEntry.objects.get(action=AuditAction.LIST)
    assert name not in str(entry.details) and name not in str(entry.changes)
    assert _ids(api["other_org"].post(url, {"query": name}, format="json")) == set()


def test_search_by_phone(personas, api):
    Phone.objects.create(person=personas.person, number="+919876543210")
    response = api["lead"].post(
        reverse("api:person-search"), {"query": "98765 43210"}, format="json"
    )
    assert _ids(response) == {str(personas.person.pk)}


def test_search_needs_a_query(api):
    assert "query" in _fields(api["lead"].post(reverse("api:person-search"), {}, format="json"))


# --- person detail, create, update ----------------------------------------------------------------


def test_person_detail_is_audited_as_a_view(personas, api):
    Phone.objects.create(person=personas.person, number="+919876543210")
    body = api["lead"].get(reverse("api:person-detail", args=[personas.person.pk])).json()
    assert body["given_name"] == personas.person.given_name
    assert [p["number"] for p in body["phones"]] == ["+919876543210"]
    assert body["cases"][0]["reference"] == personas.case.reference
    view = AuditEntry.objects.get(action=AuditAction.VIEW, target_type="registry.person")
    assert view.actor_user_id == personas.users["lead"].pk
    assert view.target_id == str(personas.person.pk)


def test_partner_sees_only_what_the_consent_covers(personas, api):
    Phone.objects.create(person=personas.person, number="+919876543210")
    body = api["partner"].get(reverse("api:person-detail", args=[personas.person.pk])).json()
    assert body["is_owner"] is False
    assert body["given_name"] == personas.person.given_name  # identity was consented
    assert body["phones"] == []  # contact was not


def test_create_person_is_audited_with_after(personas, api):
    response = api["lead"].post(
        reverse("api:person-list"),
        {"given_name": "Mousumi", "family_name": "Sahu", "estimated_age": 15},
        format="json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.owner_org == personas.own_org
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(person.pk))
    assert entry.changes["after"]["given_name"] == PERSONAL_MARK  # the trail keeps no names


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"given_name": "Rina", "birth_date": "2010-13-45"}, "birth_date"),
        ({"given_name": "Rina", "birth_date": "2999-01-01"}, "birth_date"),
        ({"family_name": "", "gender": "Feminine"}, "given_name"),  # no name at all
        ({"given_name": "Rina", "gender": "woman"}, "gender"),
        ({"given_name": "Rina", "estimated_age": 300}, "estimated_age"),
    ],
)
def test_bad_person_input_is_400_with_field_names_and_nothing_saved(personas, api, payload, field):
    before = Person.objects.count()
    response = api["lead"].post(reverse("api:person-list"), payload, format="json")
    assert field in _fields(response)
    assert Person.objects.count() == before
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_update_person_records_before_and_after(personas, api):
    url = reverse("api:person-detail", args=[personas.person.pk])
    response = api["lead"].patch(url, {"father_name": "Gopal"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["father_name"] == "Gopal"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.changes == {
        "before": {"father_name": PERSONAL_MARK},
        "after": {"father_name": PERSONAL_MARK},
    }


def test_bad_update_leaves_the_person_unchanged(personas, api):
    url = reverse("api:person-detail", args=[personas.person.pk])
    response = api["lead"].patch(
        url, {"father_name": "Gopal", "age_estimated_on": "yesterday"}, format="json"
    )
    assert "age_estimated_on" in _fields(response)
    personas.person.refresh_from_db()
    assert personas.person.father_name == ""


@pytest.mark.parametrize(("who", "status"), [("partner", 403), ("other_org", 404)])
def test_update_refused_outside_the_owning_organisation(personas, api, who, status):
    url = reverse("api:person-detail", args=[personas.person.pk])
    response = api[who].patch(url, {"father_name": "X"}, format="json")
    assert response.status_code == status
    personas.person.refresh_from_db()
    assert personas.person.father_name == ""
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).exists()


# --- documents, phones, places, aliases ---------------------------------------------------------


def test_full_aadhaar_number_is_refused_and_nothing_stored(personas, api):
    url = reverse("api:person-document-create", args=[personas.person.pk])
    response = api["lead"].post(
        url, {"doc_type": "aadhaar", "number": "2345 6789 0123"}, format="json"
    )
    assert "number" in _fields(response)
    assert not IdentityDocument.objects.exists()
    ok = api["lead"].post(url, {"doc_type": "aadhaar", "number": "0123"}, format="json")
    assert ok.status_code == 201
    assert IdentityDocument.objects.get().number == "0123"


def test_unknown_district_is_a_field_error(personas, api):
    url = reverse("api:person-address-create", args=[personas.person.pk])
    response = api["lead"].post(url, {"village": "Basanti", "district": 999999}, format="json")
    assert "district" in _fields(response)
    assert not Address.objects.exists()
    ok = api["lead"].post(url, {"village": "Basanti", "district": KOLKATA}, format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["state"]["code"] == 19  # filled in from the district


def test_phone_and_alias_are_added(personas, api):
    phone = api["lead"].post(
        reverse("api:person-phone-create", args=[personas.person.pk]),
        {"number": "09876543210"},
        format="json",
    )
    assert phone.json()["number"] == "+919876543210"
    alias = api["lead"].post(
        reverse("api:person-alias-create", args=[personas.person.pk]),
        {"name": "Munni", "kind": "nickname"},
        format="json",
    )
    assert alias.status_code == 201
    found = api["lead"].post(reverse("api:person-search"), {"query": "munni"}, format="json")
    assert _ids(found) == {str(personas.person.pk)}


def test_partner_cannot_add_to_a_shared_person(personas, api):
    url = reverse("api:person-phone-create", args=[personas.person.pk])
    assert api["partner"].post(url, {"number": "9876543210"}, format="json").status_code == 403
    assert not Phone.objects.exists()


# --- consent ------------------------------------------------------------------------------------


def test_consent_record_list_and_withdraw(personas, api):
    url = reverse("api:person-consent-list", args=[personas.person.pk])
    created = api["lead"].post(
        url,
        {"scopes": ["matching", "statistics"], "recipient_org": str(personas.partner_org.pk)},
        format="json",
    )
    assert created.status_code == 201, created.content
    consent_id = created.json()["id"]
    assert created.json()["recipient_org"]["id"] == str(personas.partner_org.pk)
    assert consent_id in _ids(api["lead"].get(url))
    withdrawn = api["lead"].post(
        reverse("api:consent-withdraw", args=[consent_id]), {"reason": "asked"}, format="json"
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["is_active"] is False
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditAction.CONSENT_GIVEN, AuditAction.CONSENT_WITHDRAWN} <= actions


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"scopes": ["matching"], "given_on": "2999-01-01"}, "given_on"),
        ({"scopes": ["matching"], "recipient_org": str(uuid.uuid4())}, "recipient_org"),
    ],
)
def test_bad_consent_is_400(personas, api, payload, field):
    before = Consent.objects.count()
    url = reverse("api:person-consent-list", args=[personas.person.pk])
    assert field in _fields(api["lead"].post(url, payload, format="json"))
    assert Consent.objects.count() == before


def test_analyst_cannot_record_consent(personas, api):
    url = reverse("api:person-consent-list", args=[personas.person.pk])
    response = api["analyst"].post(url, {"scopes": ["matching"]}, format="json")
    assert response.status_code == 404


# --- cases --------------------------------------------------------------------------------------


def test_case_list_scope_and_filters(personas, api):
    closed = CaseFactory(owner_org=personas.own_org, status="Closed")
    everything = _ids(api["lead"].get(reverse("api:case-list")))
    assert {str(personas.case.pk), str(closed.pk)} <= everything
    only_closed = _ids(api["lead"].get(reverse("api:case-list"), {"status": "Closed"}))
    assert only_closed == {str(closed.pk)}
    assert _ids(api["partner"].get(reverse("api:case-list"))) == {str(personas.case.pk)}
    assert _ids(api["other_org"].get(reverse("api:case-list"))) == set()
    assert "opened_from" in _fields(
        api["lead"].get(reverse("api:case-list"), {"opened_from": "31/12/2024"})
    )


def test_case_list_query_count_is_flat(personas, api, django_assert_max_num_queries):
    for _ in range(15):
        CaseFactory(owner_org=personas.own_org)
    with django_assert_max_num_queries(15):
        response = api["lead"].get(reverse("api:case-list"))
    assert response.json()["count"] == 16


def test_case_create_update_and_detail(personas, api):
    created = api["lead"].post(
        reverse("api:case-list"),
        {"opened_on": "2025-02-01", "fir_number": "112/2025", "summary": "Rescued at station"},
        format="json",
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert created.json()["reference"]  # numbered by the service
    url = reverse("api:case-detail", args=[case_id])
    updated = api["lead"].patch(url, {"status": "FollowUp"}, format="json")
    assert updated.json()["status"] == "FollowUp"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_id=case_id)
    assert entry.changes["after"] == {"status": "FollowUp"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"opened_on": "2025-02-30"}, "opened_on"),
        ({"opened_on": "2999-01-01"}, "opened_on"),
        ({"status": "Finished"}, "status"),
        ({"trafficking_status": "maybe"}, "trafficking_status"),
    ],
)
def test_bad_case_input_is_400_and_nothing_saved(personas, api, payload, field):
    before = Case.objects.count()
    assert field in _fields(api["lead"].post(reverse("api:case-list"), payload, format="json"))
    assert Case.objects.count() == before


def test_partner_sees_the_shared_case_without_legal_details(personas, api):
    personas.case.fir_number = "77/2025"
    personas.case.summary = "Found in transit"
    personas.case.save()
    url = reverse("api:case-detail", args=[personas.case.pk])
    own = api["lead"].get(url).json()
    assert own["fir_number"] == "77/2025"
    assert own["participants"][0]["person"] == str(personas.person.pk)
    shared = api["partner"].get(url).json()
    assert shared["is_owner"] is False
    assert shared["fir_number"] is None  # legal information was not consented
    assert shared["summary"] == "Found in transit"  # case history was
    assert shared["case_owner"] is None
    assert api["partner"].patch(url, {"status": "Closed"}, format="json").status_code == 403
    assert api["other_org"].get(url).status_code == 404
    personas.case.refresh_from_db()
    assert personas.case.status == "Active"


# --- events -------------------------------------------------------------------------------------


def test_events_list_and_create(personas, api):
    EventFactory(case=personas.case, occurred_on=datetime.date(2025, 1, 5))
    url = reverse("api:case-event-list", args=[personas.case.pk])
    created = api["lead"].post(
        url,
        {
            "kind": "IN:Rescue",
            "occurred_on": "2025-03-01",
            "district": KOLKATA,
            "person": str(personas.person.pk),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["state"]["code"] == 19
    listed = api["lead"].get(url).json()
    assert listed["count"] == 2
    assert [e["occurred_on"] for e in listed["results"]] == ["2025-01-05", "2025-03-01"]
    assert api["partner"].get(url).json()["count"] == 2  # case history is shared
    assert api["other_org"].get(url).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "kind"),
        ({"kind": "IN:Rescue", "occurred_on": "2025-02-30"}, "occurred_on"),
        ({"kind": "IN:Rescue", "district": 999999}, "district"),
        ({"kind": "IN:Rescue", "person": str(uuid.uuid4())}, "person"),
    ],
)
def test_bad_event_is_400_and_nothing_saved(personas, api, payload, field):
    url = reverse("api:case-event-list", args=[personas.case.pk])
    assert field in _fields(api["lead"].post(url, payload, format="json"))
    assert not TraffickingEvent.objects.exists()


def test_partner_cannot_add_events(personas, api):
    url = reverse("api:case-event-list", args=[personas.case.pk])
    assert api["partner"].post(url, {"kind": "IN:Rescue"}, format="json").status_code == 403
    assert not TraffickingEvent.objects.exists()
