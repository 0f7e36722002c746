"""Correcting and removing an accused (with verdicts), a protection measure and a hearing:
services, pages and who may do it."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.access.actor import actor_for_user
from setu.audit.models import AuditEntry
from setu.core.changes import PERSONAL_MARK
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.legal import services
from setu.legal.models import Accused, Hearing, Judgment, ProtectionMeasure
from setu.legal.tests.factories import (
    AccusedFactory,
    HearingFactory,
    JudgmentFactory,
    MeasureFactory,
    ProceedingFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


@pytest.fixture
def charged(personas):
    """A proceeding with charges framed, and one accused convicted on BNS-143."""
    p = ProceedingFactory(case=personas.case, charges_framed_on=D(2026, 3, 1), stage="charges")
    a = AccusedFactory(proceeding=p, name="Ramesh K", custody="custody", arrested_on=D(2026, 1, 12))
    JudgmentFactory(accused=a, section="BNS-143", verdict="convicted", decided_on=D(2026, 5, 1))
    return a


def test_accused_and_verdicts_are_corrected_together_and_audited(charged, legal_officer):
    services.accused_correct(
        actor=legal_officer,
        accused=charged,
        custody="bail",
        bail_on=D(2026, 2, 1),
        verdicts={
            "BNS-143": {"verdict": "acquitted", "decided_on": D(2026, 5, 1), "sentence": ""},
            "ITPA-5": {"verdict": "convicted", "decided_on": D(2026, 5, 2), "sentence": "7 years"},
        },
    )
    verdicts = dict(charged.judgments.values_list("section", "verdict"))
    assert verdicts == {"BNS-143": "acquitted", "ITPA-5": "convicted"}
    charged.refresh_from_db()
    assert charged.custody == "bail" and charged.bail_on == D(2026, 2, 1)
    assert AuditEntry.objects.filter(target_type="legal.judgment").count() == 2


def test_a_refused_verdict_leaves_nothing_half_written(charged, legal_officer):
    with pytest.raises(InvalidInput) as exc:
        services.accused_correct(
            actor=legal_officer,
            accused=charged,
            name="Ramesh Kumar",
            verdicts={
                "BNS-143": None,
                # Before the charges were framed: refused, naming the section's date field.
                "ITPA-5": {"verdict": "convicted", "decided_on": D(2026, 2, 1)},
            },
        )
    assert "decided_on:ITPA-5" in exc.value.errors
    charged.refresh_from_db()
    assert charged.name == "Ramesh K"
    assert list(charged.judgments.values_list("section", flat=True)) == ["BNS-143"]


def test_a_verdict_without_its_date_is_refused(charged, legal_officer):
    with pytest.raises(InvalidInput) as exc:
        services.accused_correct(
            actor=legal_officer,
            accused=charged,
            verdicts={"ITPA-5": {"verdict": "convicted", "decided_on": None}},
        )
    assert list(exc.value.errors) == ["decided_on:ITPA-5"]


def test_deleting_an_accused_removes_the_verdicts_and_keeps_the_name_out_of_the_trail(
    charged, legal_officer
):
    services.accused_delete(actor=legal_officer, accused=charged)
    assert not Accused.objects.exists() and not Judgment.objects.exists()
    entry = AuditEntry.objects.get(target_type="legal.accused", action="delete")
    assert entry.changes["before"]["name"] == PERSONAL_MARK
    assert "Ramesh" not in str(AuditEntry.objects.values_list("changes", flat=True))
    assert AuditEntry.objects.filter(target_type="legal.judgment", action="delete").count() == 1


def test_measure_is_corrected_checked_and_deleted(personas, legal_officer):
    m = MeasureFactory(proceeding=ProceedingFactory(case=personas.case))
    with pytest.raises(InvalidInput) as exc:  # a statement before a magistrate before the FIR
        services.measure_update(actor=legal_officer, measure=m, on=D(2026, 1, 2))
    assert "on" in exc.value.errors
    services.measure_update(actor=legal_officer, measure=m, kind="video", detail="From Patna")
    m.refresh_from_db()
    assert m.kind == "video"
    services.measure_delete(actor=legal_officer, measure=m)
    assert not ProtectionMeasure.objects.exists()
    assert AuditEntry.objects.filter(target_type="legal.protectionmeasure").count() == 2


def test_moving_or_deleting_a_hearing_moves_the_next_date(personas, legal_officer):
    p = ProceedingFactory(case=personas.case)
    soon = datetime.date.today() + datetime.timedelta(days=5)
    later = soon + datetime.timedelta(days=20)
    h = services.hearing_add(actor=legal_officer, proceeding=p, on=soon)
    Hearing.objects.filter(pk=h.pk).update(reminded_at=datetime.datetime.now(datetime.UTC))
    h.refresh_from_db()
    services.hearing_update(actor=legal_officer, hearing=h, on=later, purpose="Evidence")
    p.refresh_from_db()
    h.refresh_from_db()
    assert p.next_hearing_on == later and h.reminded_at is None  # the new date is reminded
    with pytest.raises(InvalidInput) as exc:
        services.hearing_update(actor=legal_officer, hearing=h, outcome="adjourned")
    assert "adjournment_reason" in exc.value.errors or "outcome" in exc.value.errors
    services.hearing_delete(actor=legal_officer, hearing=h)
    p.refresh_from_db()
    assert p.next_hearing_on is None
    assert AuditEntry.objects.filter(target_type="legal.hearing", action="delete").exists()


def test_readers_may_not_correct_and_outsiders_do_not_find(personas, charged, police_liaison):
    m = MeasureFactory(proceeding=charged.proceeding)
    h = HearingFactory(proceeding=charged.proceeding)
    for actor in (police_liaison, personas["lead"]):
        with pytest.raises(Forbidden):
            services.accused_delete(actor=actor, accused=charged)
        with pytest.raises(Forbidden):
            services.measure_delete(actor=actor, measure=m)
        with pytest.raises(Forbidden):
            services.hearing_delete(actor=actor, hearing=h)
    for who in ("partner_admin", "other_admin", "platform_admin"):
        with pytest.raises(NotFound):
            services.hearing_delete(actor=personas[who], hearing=h)
    assert Hearing.objects.filter(pk=h.pk).exists() and Accused.objects.filter(pk=charged.pk)


# --- Pages --------------------------------------------------------------------------------------


def test_accused_page_shows_verdicts_per_section_and_saves_them(charged, legal_officer):
    client = _client(legal_officer.user)
    url = reverse("legal:accused-edit", args=[charged.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["verdict:BNS-143"].value() == "convicted"
    assert "verdict:ITPA-5" in form.fields
    data = {
        "name": "Ramesh K",
        "custody": "custody",
        "arrested_on": "2026-01-12",
        "verdict:BNS-143": "convicted",
        "decided_on:BNS-143": "2026-05-01",
        "verdict:ITPA-5": "acquitted",
        "decided_on:ITPA-5": "2026-02-01",  # before charges: refused beside its field
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["decided_on:ITPA-5"]
    assert charged.judgments.count() == 1
    data["decided_on:ITPA-5"] = "2026-05-01"
    data["verdict:BNS-143"] = ""  # removes the verdict recorded in error
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert dict(charged.judgments.values_list("section", "verdict")) == {"ITPA-5": "acquitted"}


def test_deletion_asks_first_and_deletes_only_when_confirmed(charged, legal_officer):
    client = _client(legal_officer.user)
    url = reverse("legal:accused-delete", args=[charged.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"btn-danger" in page.content
    assert b"Ramesh K" in page.content and Accused.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("legal:proceeding-detail", args=[charged.proceeding_id])
    assert not Accused.objects.exists()


def test_hearing_and_measure_pages(personas, legal_officer):
    p = ProceedingFactory(case=personas.case)
    h = HearingFactory(proceeding=p, on=D(2026, 3, 2))
    m = MeasureFactory(proceeding=p)
    client = _client(legal_officer.user)
    detail = client.get(reverse("legal:proceeding-detail", args=[p.pk])).content.decode()
    for name, pk in (("hearing", h.pk), ("measure", m.pk)):
        for action in ("edit", "delete"):
            assert reverse(f"legal:{name}-{action}", args=[pk]) in detail
    url = reverse("legal:hearing-edit", args=[h.pk])
    bad = client.post(url, {"on": "2026-01-01", "outcome": "held"})  # before the FIR
    assert bad.status_code == 200 and bad.context["form"].errors["on"]
    ok = client.post(url, {"on": "2026-03-03", "outcome": "held", "court": "CJM Court"})
    assert ok.status_code == 302
    h.refresh_from_db()
    assert (h.on, h.court, h.outcome) == (D(2026, 3, 3), "CJM Court", "held")
    assert client.post(reverse("legal:measure-delete", args=[m.pk])).status_code == 302
    assert client.post(reverse("legal:hearing-delete", args=[h.pk])).status_code == 302
    assert not p.hearings.exists() and not p.measures.exists()


def test_caseworker_sees_no_correction_links(personas):
    p = ProceedingFactory(case=personas.case)
    h = HearingFactory(proceeding=p)
    page = _client(personas.users["lead"]).get(reverse("legal:proceeding-detail", args=[p.pk]))
    assert reverse("legal:hearing-delete", args=[h.pk]).encode() not in page.content
    assert (
        _client(personas.users["lead"])
        .post(reverse("legal:hearing-delete", args=[h.pk]))
        .status_code
        == 403
    )


def test_an_add_refused_by_the_service_comes_back_with_the_error_in_place(personas, legal_officer):
    p = ProceedingFactory(case=personas.case)
    url = reverse("legal:proceeding-add", args=[p.pk, "hearing"])
    response = _client(legal_officer.user).post(url, {"h-on": "2026-01-01"})  # before the FIR
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert not p.hearings.exists()
    assert _client(legal_officer.user).get(url).status_code == 200
    unknown = reverse("legal:proceeding-add", args=[p.pk, "nothing"])
    assert _client(legal_officer.user).get(unknown).status_code == 404


def test_legal_officer_of_another_org_does_not_find_the_accused(personas, charged):
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory

    outsider = actor_for_user(
        MembershipFactory(organisation=personas.other_org, role=Role.LEGAL_OFFICER).user
    )
    response = _client(outsider.user).get(reverse("legal:accused-edit", args=[charged.pk]))
    assert response.status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_api_corrects_and_deletes_the_parts(personas, charged, legal_officer):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(legal_officer.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    h = HearingFactory(proceeding=charged.proceeding, on=D(2026, 3, 2))
    bad = api.patch(f"/api/v1/legal/hearings/{h.pk}/", {"outcome": "adjourned"}, format="json")
    assert bad.status_code == 400 and "adjournment_reason" in bad.json()["error"]["fields"]
    ok = api.patch(
        f"/api/v1/legal/hearings/{h.pk}/",
        {"outcome": "adjourned", "adjournment_reason": "witness_absent"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["adjournment_reason"] == "witness_absent"
    r = api.patch(f"/api/v1/legal/accused/{charged.pk}/", {"bail_on": "2026-01-01"}, format="json")
    assert r.status_code == 400 and "bail_on" in r.json()["error"]["fields"]  # before the arrest
    assert api.delete(f"/api/v1/legal/accused/{charged.pk}/").status_code == 204
    assert api.delete(f"/api/v1/legal/hearings/{h.pk}/").status_code == 204
    assert not Accused.objects.exists() and not Hearing.objects.exists()
    caseworker = APIClient()
    caseworker.force_login(personas.users["lead"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    m = MeasureFactory(proceeding=charged.proceeding)
    assert caseworker.delete(f"/api/v1/legal/measures/{m.pk}/").status_code == 403
    assert (
        api.patch(f"/api/v1/legal/measures/{m.pk}/", {"kind": "video"}, format="json").json()[
            "kind"
        ]
        == "video"
    )
