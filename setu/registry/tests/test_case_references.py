"""Case references: one scheme, unique per organisation, found in either spelling (issue 22.6)."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from setu.orgs.tests.factories import OrganisationFactory
from setu.registry import selectors, services
from setu.registry.models import Case
from setu.registry.tests.factories import CaseFactory
from setu.registry.text import normalise_case_reference, parse_case_reference
from setu.shelters.tests.factories import member


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("PCMS-2026-0001", "PCMS/2026/0001"),
        ("pcms/2026/1", "PCMS/2026/0001"),
        ("PCMS 2026 12", "PCMS/2026/0012"),
        (" PCMS/2026/0004 ", "PCMS/2026/0004"),
        ("FIR 112/2026", "FIR 112/2026"),
        ("Sessions Case 45 of 2025", "Sessions Case 45 of 2025"),
    ],
)
def test_numbered_references_have_one_spelling(typed, stored):
    assert normalise_case_reference(typed) == stored


def test_a_free_form_reference_is_not_a_numbered_one():
    assert parse_case_reference("FIR 112/2026") is None
    assert parse_case_reference("KKT/2025/0031") == ("KKT", 2025, 31)


@pytest.mark.parametrize("query", ["PCMS/2026/0004", "pcms-2026-4", "2026/0004"])
def test_search_finds_a_case_by_its_reference_in_any_spelling(personas, query):
    case = CaseFactory(owner_org=personas.own_org, reference="PCMS/2026/0004")
    CaseFactory(owner_org=personas.own_org, reference="PCMS/2026/0005")
    found = list(selectors.case_search(actor=personas["lead"], query=query))
    assert found == [case]


def test_search_finds_a_case_by_its_former_reference(personas):
    case = CaseFactory(
        owner_org=personas.own_org, reference="PCMS/2026/0006", former_reference="PCMS-2026-0001"
    )
    assert list(selectors.case_search(actor=personas["lead"], query="PCMS-2026-0001")) == [case]


def test_search_finds_only_cases_the_actor_may_see(personas):
    CaseFactory(owner_org=personas.other_org, reference="XYZ/2026/0001")
    assert not selectors.case_search(actor=personas["lead"], query="XYZ/2026/0001").exists()


def test_the_case_list_searches_by_post_and_keeps_the_reference_out_of_the_url(personas):
    case = CaseFactory(owner_org=personas.own_org, reference="PCMS/2026/0004")
    client = Client()
    client.force_login(personas.users["lead"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    url = reverse("registry:case-list")
    html = client.get(url).content.decode()
    assert 'method="post" action="/cases/"' in html.replace(url, "/cases/")
    response = client.post(url, {"q": "pcms-2026-4"})
    body = response.content.decode()
    assert response.status_code == 200 and reverse("registry:case-detail", args=[case.pk]) in body
    assert "PCMS/2026/0004" not in response.wsgi_request.get_full_path()


def test_the_person_search_box_also_finds_cases_by_reference(personas):
    case = CaseFactory(owner_org=personas.own_org, reference="PCMS/2026/0004")
    client = Client()
    client.force_login(personas.users["lead"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    response = client.post(
        reverse("registry:person-list"), {"q": "PCMS/2026/0004"}, HTTP_HX_REQUEST="true"
    )
    assert reverse("registry:case-detail", args=[case.pk]) in response.content.decode()


def test_the_data_migration_writes_old_references_in_the_scheme_and_keeps_them(personas):
    org = personas.own_org
    kept = CaseFactory(owner_org=org, reference="PCMS/2026/0001")
    clash = CaseFactory(owner_org=org, reference="PCMS-2026-0001")
    plain = CaseFactory(owner_org=org, reference="PCMS-2026-0002")
    free = CaseFactory(owner_org=org, reference="FIR 112/2026")
    elsewhere = CaseFactory(owner_org=personas.other_org, reference="PCMS-2026-0001")
    migration = importlib.import_module("setu.registry.migrations.0006_normalise_case_references")
    migration.normalise(apps, None)
    refs = {c.pk: (c.reference, c.former_reference) for c in Case.objects.all()}
    assert refs[kept.pk] == ("PCMS/2026/0001", "")
    assert refs[plain.pk] == ("PCMS/2026/0002", "PCMS-2026-0002")
    assert refs[clash.pk] == ("PCMS/2026/0003", "PCMS-2026-0001")
    assert refs[free.pk] == ("FIR 112/2026", "")
    assert refs[elsewhere.pk] == ("PCMS/2026/0001", "PCMS-2026-0001")


@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_the_same_moment_get_different_numbers(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises writers anyway")
    org = OrganisationFactory(short_name="PCMS")
    workers = [member(org) for _ in range(4)]
    barrier = threading.Barrier(len(workers))
    outcomes: list[object] = [None] * len(workers)

    def open_case(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = services.case_create(actor=workers[i]).reference
        except Exception as exc:  # a refusal would be the failure this test looks for
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_case, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert sorted(o[-4:] for o in outcomes) == ["0001", "0002", "0003", "0004"]
