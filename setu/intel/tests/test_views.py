"""The intel pages and API as each role meets them: who sees details, who sees only whom to
ask, errors on bad input, nothing personal in URLs or the audit trail."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEntry
from setu.intel.models import Identifier, IntelKey, Perpetrator
from setu.intel.tests.conftest import PHONE

pytestmark = pytest.mark.django_db
CANONICAL = "+919820011223"
TODAY = datetime.date.today()


def _client(actor) -> Client:
    client = Client()
    client.force_login(actor.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_case_page_shows_items_and_who_else_holds_them(net, personas):
    page = _client(net.actors["lead"]).get(reverse("intel:case", args=[net.own_case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert CANONICAL in text and "Salim Khan" in text
    assert personas.partner_org.name in text and personas.other_org.name in text
    assert AuditEntry.objects.filter(
        target_type="intel.case", target_id=str(net.own_case.pk)
    ).exists()


def test_adding_a_bad_identifier_explains_and_saves_nothing(net):
    client = _client(net.actors["own_police"])
    url = reverse("intel:case-add", args=[net.own_case.pk, "identifier"])
    before = Identifier.objects.count()
    page = client.post(
        url, {"i-kind": "upi", "i-raw": "agent@gmail.com", "i-source": "fir"}, follow=True
    )
    assert "looks like an e-mail address" in page.content.decode()
    assert Identifier.objects.count() == before
    client.post(url, {"i-kind": "upi", "i-raw": "Agent.Rao@OKAXIS", "i-source": "fir"})
    assert Identifier.objects.filter(case=net.own_case, value="agent.rao@okaxis").exists()


def test_police_liaison_sees_the_agreed_partners_details_caseworker_only_whom_to_ask(net, personas):
    crossref = reverse("intel:crossref")
    police = _client(net.actors["own_police"]).get(crossref).content.decode()
    lead = _client(net.actors["lead"]).get(crossref).content.decode()
    for text in (police, lead):
        assert f"Held by {personas.partner_org.name}" in text
        assert f"Held by {personas.other_org.name}" in text
        assert "partner_police" in text or "partner_legal" in text  # whom to ask
    assert "What they hold" in police and "What they hold" not in lead
    # Details: the partner's items, once (for the partner); never the unrelated one's.
    assert police.count("under your sharing agreement") == 2  # phone and name links


def test_search_is_posted_and_audited_without_the_value(net, personas):
    client = _client(net.actors["own_police"])
    page = client.post(reverse("intel:search"), {"kind": "phone", "raw": "098200-11223"})
    text = page.content.decode()
    assert page.status_code == 200
    assert net.own_case.reference in text
    assert f"Held by {personas.other_org.name}" in text
    entry = AuditEntry.objects.filter(target_type="intel.search").latest("seq")
    assert "98200" not in json.dumps(entry.details) and entry.details["other_holders"] == 2
    bad = client.post(reverse("intel:search"), {"kind": "vehicle", "raw": "XX 99"})
    assert "registration" in bad.content.decode()


def test_search_as_htmx_returns_the_results_only(net):
    page = _client(net.actors["lead"]).post(
        reverse("intel:search"), {"kind": "name", "raw": "khan salim"}, HTTP_HX_REQUEST="true"
    )
    text = page.content.decode()
    assert 'id="results"' in text and "<html" not in text


def test_graph_reaches_two_hops_and_hides_what_the_user_may_not_read(net, personas):
    page = _client(net.actors["own_police"]).get(reverse("intel:graph", args=[net.own_case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "cytoscape-3.34.4.min.js" in text and 'id="graph-data"' in text
    assert f"Held by {personas.other_org.name}" in text
    assert f"Case of {personas.partner_org.name}" in text  # readable under the agreement
    lead = _client(net.actors["lead"]).get(reverse("intel:graph", args=[net.own_case.pk]))
    assert f"Held by {personas.partner_org.name}" in lead.content.decode()
    only_upi = _client(net.actors["lead"]).get(
        reverse("intel:graph", args=[net.own_case.pk]), {"kind": "upi"}
    )
    assert f"Held by {personas.partner_org.name}" not in only_upi.content.decode()


def test_counts_for_the_analyst_name_nothing(net):
    page = _client(net.actors["analyst"]).get(reverse("intel:counts"))
    text = page.content.decode()
    assert page.status_code == 200
    assert CANONICAL not in text and "Salim" not in text and net.own_case.reference not in text


def test_platform_admin_and_counsellor_reach_nothing(net):
    for who in ("platform_admin", "counsellor"):
        client = _client(net.actors[who])
        assert client.get(reverse("intel:case", args=[net.own_case.pk])).status_code in (403, 404)
        assert client.get(reverse("intel:crossref")).status_code in (403, 404)


def test_edit_and_remove_an_identifier(net):
    client = _client(net.actors["lead"])
    identifier = Identifier.objects.get(case=net.own_case, kind="phone")
    url = reverse("intel:identifier-edit", args=[identifier.pk])
    bad = client.post(url, {"raw": "12", "source": "fir"})
    assert bad.status_code == 200 and "too short" in bad.content.decode()
    client.post(url, {"raw": "+91 90000 12345", "source": "fir"})
    identifier.refresh_from_db()
    assert identifier.value == "+919000012345"
    client.post(reverse("intel:identifier-remove", args=[identifier.pk]))
    assert not Identifier.objects.filter(pk=identifier.pk).exists()
    assert not IntelKey.objects.filter(identifier_id=identifier.pk).exists()


def test_perpetrator_edit(net):
    client = _client(net.actors["own_legal"])
    p = Perpetrator.objects.get(case=net.own_case)
    client.post(
        reverse("intel:perpetrator-edit", args=[p.pk]),
        {"kind": "person", "name": "Salim Khan", "aliases": "Sallu, Salim Bhai", "role": "recruiter", "source": "fir"},
    )  # fmt: skip
    p.refresh_from_db()
    assert p.aliases == ["Sallu", "Salim Bhai"] and p.source == "fir"


def test_agreement_page_propose_and_accept(personas):
    admin = _client(personas.actors["org_admin"])
    admin.post(
        reverse("intel:agreements"),
        {"partner_org": str(personas.other_org.pk), "starts_on": str(TODAY), "ends_on": str(TODAY + datetime.timedelta(days=300))},
    )  # fmt: skip
    other = _client(personas.actors["other_admin"])
    text = other.get(reverse("intel:agreements")).content.decode()
    assert "Accept" in text and personas.own_org.name in text
    from setu.intel.models import SharingAgreement

    agreement = SharingAgreement.objects.get()
    other.post(reverse("intel:agreement-act", args=[agreement.pk, "accept"]))
    agreement.refresh_from_db()
    assert agreement.accepted_at is not None
    bad = admin.post(
        reverse("intel:agreements"),
        {"partner_org": str(personas.partner_org.pk), "starts_on": str(TODAY), "ends_on": str(TODAY - datetime.timedelta(days=1))},
    )  # fmt: skip
    assert "The end cannot be before the start" in bad.content.decode()


def test_api_round_trip_and_details_for_the_partner_police(net, personas):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(net.actors["lead"].user)
    made = api.post(
        reverse("api:intel-identifier-add", args=[net.own_case.pk]),
        {"kind": "vehicle", "raw": "MH 02 AB 1234", "source": "fir"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["value"] == "MH02AB1234"
    bad = api.post(
        reverse("api:intel-identifier-add", args=[net.own_case.pk]),
        {"kind": "vehicle", "raw": "MH 02 AB 123456", "source": "fir"},
        format="json",
    )
    assert bad.status_code == 400 and "raw" in bad.json()["error"]["fields"]
    police = APIClient()
    police.force_authenticate(net.actors["partner_police"].user)
    rows = police.get(reverse("api:intel-crossrefs")).json()
    own_side = [
        h for r in rows for h in r["holders"] if h["organisation"]["name"] == personas.own_org.name
    ]
    assert own_side and all(h["detail"] for h in own_side)
    other_side = [
        h
        for r in rows
        for h in r["holders"]
        if h["organisation"]["name"] == personas.other_org.name
    ]
    assert other_side and not any(h["detail"] for h in other_side)
    found = police.post(reverse("api:intel-search"), {"kind": "phone", "raw": PHONE}, format="json")
    assert found.status_code == 200 and len(found.json()["holders"]) == 2
    graph = police.get(reverse("api:intel-graph", args=[net.partner_case.pk])).json()
    assert {n["type"] for n in graph["nodes"]} >= {"case", "value", "person"}


def test_a_perpetrator_is_merged_into_another_record_of_the_case(net):
    lead = _client(net.actors["lead"])
    kept = Perpetrator.objects.get(case=net.own_case)
    twin = Perpetrator.objects.create(
        case=net.own_case, owner_org=net.own_case.owner_org, name="Sallu Bhai", role="recruiter",
        source="fir",
    )  # fmt: skip
    url = reverse("intel:perpetrator-merge", args=[twin.pk])
    edit = lead.get(reverse("intel:perpetrator-edit", args=[twin.pk])).content.decode()
    assert url in edit
    page = lead.get(url).content.decode()
    assert "Salim Khan" in page and f'value="{twin.pk}"' not in page
    done = lead.post(url, {"into": str(kept.pk)})
    assert done.status_code == 302 and done["Location"] == reverse(
        "intel:case", args=[net.own_case.pk]
    )
    kept.refresh_from_db()
    assert kept.aliases == ["Sallu Bhai"] and not Perpetrator.objects.filter(pk=twin.pk).exists()
    api = lead.post(
        reverse("api:intel-perpetrator-merge", args=[kept.pk]), {"into": str(kept.pk)},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 400 and "into" in api.json()["error"]["fields"]
