"""Appeals as records: the appellate court with its own CNR number, who appealed, against which
verdicts, filing and decision, the appeal window shown against each, the pages, the API, the
bundle, and the data migration that carried the single appeal date forward."""

from __future__ import annotations

import datetime
import importlib
import json

import pytest
from django.conf import settings
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.legal import selectors, services
from setu.legal.models import Appeal, AppealStatus, Stage, Verdict
from setu.legal.tests.factories import (
    AccusedFactory,
    AppealFactory,
    JudgmentFactory,
    ProceedingFactory,
)
from setu.orgs.models import District, State

pytestmark = pytest.mark.django_db

D = datetime.date
CHARGES, JUDGMENT = D(2026, 2, 1), D(2026, 5, 1)


def _judged(personas, legal_officer=None):
    """A criminal proceeding judged on 1 May 2026: accused A convicted under BNS-143 and
    acquitted under ITPA-5, accused B acquitted under BNS-143."""
    proceeding = ProceedingFactory(
        case=personas.case,
        cnr_number="MHMU010000122026",
        charges_framed_on=CHARGES,
        judgment_on=JUDGMENT,
        stage=Stage.JUDGMENT,
        legal_officer=legal_officer.user if legal_officer else None,
    )
    a, b = AccusedFactory(proceeding=proceeding), AccusedFactory(proceeding=proceeding)
    verdicts = {
        "a_convicted": JudgmentFactory(
            accused=a, section="BNS-143", verdict=Verdict.CONVICTED, decided_on=JUDGMENT
        ),
        "a_acquitted": JudgmentFactory(
            accused=a, section="ITPA-5", verdict=Verdict.ACQUITTED, decided_on=JUDGMENT
        ),
        "b_acquitted": JudgmentFactory(
            accused=b, section="BNS-143", verdict=Verdict.ACQUITTED, decided_on=JUDGMENT
        ),
    }
    return proceeding, verdicts


def _by_state(verdicts, **fields):
    return {
        "appellant": "state",
        "court_level": "high_court",
        "court": "High Court of Bombay",
        "state_id": State.objects.get(name="Maharashtra").pk,
        "filed_on": D(2026, 7, 20),
        **fields,
    } | ({} if "judgments" in fields else {"judgments": [verdicts["b_acquitted"].pk]})


def test_an_appeal_is_recorded_moves_the_proceeding_to_appeal_and_is_audited(
    personas, legal_officer
):
    proceeding, verdicts = _judged(personas)
    appeal = services.appeal_file(
        actor=legal_officer,
        proceeding=proceeding,
        **_by_state(verdicts, cnr_number=" mhhc010004562026 "),
    )
    proceeding.refresh_from_db()
    assert proceeding.stage == Stage.APPEAL and proceeding.appeal_filed_on == D(2026, 7, 20)
    assert appeal.cnr_number == "MHHC010004562026"
    assert list(appeal.judgments.all()) == [verdicts["b_acquitted"]]
    entry = AuditEntry.objects.get(target_type="legal.appeal", action="create")
    assert entry.changes["after"]["judgments"] == [str(verdicts["b_acquitted"].pk)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        # Filed before the verdicts it is against.
        ({"filed_on": D(2026, 4, 30)}, "filed_on"),
        ({"filed_on": datetime.date.today() + datetime.timedelta(days=1)}, "filed_on"),
        # Decided before it was filed; decided with no date; pending with a date.
        ({"status": AppealStatus.DISMISSED, "decided_on": D(2026, 7, 1)}, "decided_on"),
        ({"status": AppealStatus.DISMISSED}, "decided_on"),
        ({"decided_on": D(2026, 8, 1)}, "status"),
        ({"cnr_number": "MH-123"}, "cnr_number"),
        # The trial court's number is not the appeal's.
        ({"cnr_number": "MHMU010000122026"}, "cnr_number"),
        # An accused does not appeal an acquittal; an acquittal is not "upheld".
        ({"appellant": "accused"}, "appellant"),
        (
            {"status": AppealStatus.CONVICTION_UPHELD, "decided_on": D(2026, 9, 1)},
            "status",
        ),
        ({"judgments": []}, "judgments"),
        ({"court": ""}, "court"),
    ],
)
def test_an_impossible_appeal_is_refused_naming_the_field(personas, legal_officer, fields, field):
    proceeding, verdicts = _judged(personas)
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(
            actor=legal_officer, proceeding=proceeding, **_by_state(verdicts, **fields)
        )
    assert field in exc.value.errors
    assert not Appeal.objects.exists()


def test_an_appeal_needs_the_judgment_and_a_district_of_its_state(personas, legal_officer):
    proceeding = ProceedingFactory(case=personas.case)
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(
            actor=legal_officer,
            proceeding=proceeding,
            **_by_state({}, judgments=[]),
        )
    assert "filed_on" in exc.value.errors
    judged, verdicts = _judged(personas)
    elsewhere = District.objects.exclude(state__name="Maharashtra").first()
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(
            actor=legal_officer,
            proceeding=judged,
            **_by_state(verdicts, court_level="sessions", district_id=elsewhere.pk),
        )
    assert "district" in exc.value.errors
    # A district alone gives its state.
    pune = District.objects.get(name="Pune")
    appeal = services.appeal_file(
        actor=legal_officer,
        proceeding=judged,
        **_by_state(verdicts, court_level="sessions", state_id=None, district_id=pune.pk),
    )
    assert appeal.state_id == pune.state_id


def test_a_verdict_of_another_case_cannot_be_appealed_here(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    _other, theirs = _judged(personas)
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(
            actor=legal_officer,
            proceeding=proceeding,
            **_by_state(verdicts, judgments=[theirs["b_acquitted"].pk]),
        )
    assert "judgments" in exc.value.errors


def test_the_decision_is_recorded_and_deleting_the_appeal_restores_the_judgment_stage(
    personas, legal_officer
):
    proceeding, verdicts = _judged(personas)
    appeal = services.appeal_file(
        actor=legal_officer,
        proceeding=proceeding,
        **_by_state(verdicts, appellant="accused", judgments=[verdicts["a_convicted"].pk]),
    )
    services.appeal_update(
        actor=legal_officer,
        appeal=appeal,
        status=AppealStatus.SENTENCE_MODIFIED,
        decided_on=D(2026, 10, 5),
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SENTENCE_MODIFIED
    assert list(appeal.judgments.all()) == [verdicts["a_convicted"]]  # kept when not sent
    update = AuditEntry.objects.get(target_type="legal.appeal", action="update")
    assert update.changes["after"]["status"] == "sentence_modified"
    proceeding.refresh_from_db()
    assert "decided the appeal" in selectors.plain_status(
        selectors.proceeding_get(actor=legal_officer, proceeding_id=proceeding.pk)
    )
    services.appeal_delete(actor=legal_officer, appeal=appeal)
    proceeding.refresh_from_db()
    assert proceeding.appeal_filed_on is None and proceeding.stage == Stage.JUDGMENT
    assert AuditEntry.objects.filter(target_type="legal.appeal", action="delete").count() == 1


def test_a_verdict_cannot_move_after_the_appeal_against_it(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    services.appeal_file(actor=legal_officer, proceeding=proceeding, **_by_state(verdicts))
    accused = verdicts["b_acquitted"].accused
    with pytest.raises(InvalidInput) as exc:
        services.judgment_record(
            actor=legal_officer,
            accused=accused,
            section="BNS-143",
            verdict=Verdict.ACQUITTED,
            decided_on=D(2026, 8, 1),
        )
    assert "decided_on" in exc.value.errors
    # Nor can the judgment date go while an appeal stands.
    with pytest.raises(InvalidInput) as exc:
        services.proceeding_update(actor=legal_officer, proceeding=proceeding, judgment_on=None)
    assert "judgment_on" in exc.value.errors


def test_the_window_of_each_verdict_closes_with_its_own_appeal(personas, legal_officer):
    proceeding, verdicts = _judged(personas)

    def codes():
        fresh = selectors.proceeding_get(actor=legal_officer, proceeding_id=proceeding.pk)
        return {d.code for d in selectors.proceeding_deadlines(fresh)}

    assert codes() == {"appeal_acquittal", "appeal_conviction"}
    services.appeal_file(actor=legal_officer, proceeding=proceeding, **_by_state(verdicts))
    # The State appealed the acquittal: the conviction's window still runs for the accused.
    assert codes() == {"appeal_conviction"}
    listed = {d.code for d in selectors.deadline_list(actor=legal_officer, include_running=True)}
    assert "appeal_acquittal" not in listed


def test_the_window_is_shown_against_the_appeal_and_a_late_one_says_by_how_much(
    personas, legal_officer
):
    proceeding, verdicts = _judged(personas)
    in_time = services.appeal_file(
        actor=legal_officer, proceeding=proceeding, **_by_state(verdicts)
    )
    late = services.appeal_file(
        actor=legal_officer,
        proceeding=proceeding,
        **_by_state(
            verdicts,
            appellant="accused",
            judgments=[verdicts["a_convicted"].pk],
            filed_on=JUDGMENT + datetime.timedelta(days=63),
        ),
    )
    window = selectors.appeal_window(in_time, proceeding)
    assert window.period.code == "appeal_acquittal" and window.late_by == 0
    assert window.period.due_on == JUDGMENT + datetime.timedelta(days=90)
    assert "Limitation Act" in window.period.source
    late_window = selectors.appeal_window(late, proceeding)
    assert late_window.period.code == "appeal_conviction" and late_window.late_by == 3


APPEAL_MATRIX = [
    ("lead", True, False),
    ("org_admin", True, True),
    ("partner", False, False),
    ("other_org", False, False),
    ("platform_admin", False, False),
]


@pytest.mark.parametrize(("who", "reads", "writes"), APPEAL_MATRIX)
def test_an_appeal_is_read_and_written_as_its_proceeding(personas, who, reads, writes):
    proceeding, _verdicts = _judged(personas)
    appeal = AppealFactory(proceeding=proceeding)
    actor = personas[who]
    for action, ok in ((selectors.Action.VIEW, reads), (selectors.Action.EDIT, writes)):
        if ok:
            assert selectors.appeal_get(actor=actor, appeal_id=appeal.pk, action=action) == appeal
        else:
            with pytest.raises((NotFound, Forbidden)):
                selectors.appeal_get(actor=actor, appeal_id=appeal.pk, action=action)


def test_the_migration_carries_the_single_appeal_date_forward(personas):
    from django.apps import apps

    migration = importlib.import_module("setu.legal.migrations.0004_appeals_from_appeal_filed_on")
    proceeding, verdicts = _judged(personas)
    proceeding.appeal_filed_on = D(2026, 6, 15)
    proceeding.save()
    untouched = ProceedingFactory(case=personas.case)

    def placed(sender, instance, **kwargs):
        services.appeal_placed(instance, instance.proceeding)

    # 0004 ran before appeals carried their proceeding's place (0009, required since 0011):
    # its rows are placed as they are saved here, standing in for 0010.
    pre_save.connect(placed, sender=Appeal)
    try:
        migration.forwards(apps, None)
        migration.forwards(apps, None)  # run twice: still one appeal
    finally:
        pre_save.disconnect(placed, sender=Appeal)
    appeal = Appeal.objects.get()
    assert appeal.proceeding == proceeding and appeal.filed_on == D(2026, 6, 15)
    assert appeal.status == AppealStatus.PENDING and appeal.appellant == ""
    assert set(appeal.judgments.all()) == set(verdicts.values())
    assert not Appeal.objects.filter(proceeding=untouched).exists()


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_the_page_records_an_appeal_and_shows_it_with_its_window(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    client = _client(legal_officer.user)
    page = client.get(reverse("legal:proceeding-detail", args=[proceeding.pk]))
    assert b"Record an appeal" in page.content
    posted = client.post(
        reverse("legal:proceeding-add", args=[proceeding.pk, "appeal"]),
        {
            "p-judgments": [str(verdicts["b_acquitted"].pk)],
            "p-appellant": "state",
            "p-court_level": "high_court",
            "p-court": "High Court of Bombay",
            "p-state": State.objects.get(name="Maharashtra").pk,
            "p-filed_on": "2026-07-20",
            "p-status": "pending",
        },
    )
    assert posted.status_code == 302
    page = client.get(reverse("legal:proceeding-detail", args=[proceeding.pk]))
    text = page.content.decode()
    assert "High Court of Bombay" in text and "filed in time" in text
    assert "Appeal against acquittal" in text
    # Indian date format on the page.
    assert "20-07-2026" in text or "20/07/2026" in text or "20 Jul" in text


def test_a_refused_correction_comes_back_with_the_error_beside_its_field(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    appeal = services.appeal_file(actor=legal_officer, proceeding=proceeding, **_by_state(verdicts))
    client = _client(legal_officer.user)
    url = reverse("legal:appeal-edit", args=[appeal.pk])
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "judgments": [str(verdicts["b_acquitted"].pk)],
            "appellant": "state",
            "court_level": "high_court",
            "court": "High Court of Bombay",
            "filed_on": "2026-07-20",
            "status": "dismissed",
            "decided_on": "2026-07-01",
        },
    )
    assert answer.status_code == 200
    assert "decided_on" in answer.context["form"].errors
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_a_caseworker_sees_the_appeal_but_no_form(personas):
    proceeding, _verdicts = _judged(personas)
    AppealFactory(proceeding=proceeding, court="High Court of Bombay")
    page = _client(personas.users["lead"]).get(
        reverse("legal:proceeding-detail", args=[proceeding.pk])
    )
    assert b"High Court of Bombay" in page.content and b"Record an appeal" not in page.content


def test_the_api_records_and_decides_an_appeal(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    client = APIClient()
    client.force_authenticate(legal_officer.user)
    made = client.post(
        f"/api/v1/legal/proceedings/{proceeding.pk}/appeals/",
        {
            "judgments": [str(verdicts["a_convicted"].pk)],
            "appellant": "accused",
            "court_level": "high_court",
            "court": "High Court of Bombay",
            "cnr_number": "MHHC010004562026",
            "filed_on": "2026-06-20",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "pending" and body["window"]["late_by_days"] == 0
    refused = client.patch(
        f"/api/v1/legal/appeals/{body['id']}/",
        {"status": "upheld", "decided_on": "2026-06-01"},
        format="json",
    )
    assert refused.status_code == 400 and "decided_on" in str(refused.json())
    decided = client.patch(
        f"/api/v1/legal/appeals/{body['id']}/",
        {"status": "upheld", "decided_on": "2026-09-01"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    detail = client.get(f"/api/v1/legal/proceedings/{proceeding.pk}/").json()
    assert [a["court"] for a in detail["appeals"]] == ["High Court of Bombay"]
    assert detail["stage"] == "appeal"


def test_the_openapi_schema_names_the_appeal_endpoints(personas):
    from drf_spectacular.validation import validate_schema

    client = APIClient()
    client.force_login(personas.users["lead"])
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert "post" in schema["paths"]["/api/v1/legal/proceedings/{proceeding_id}/appeals/"]
    assert {"patch", "delete"} <= set(schema["paths"]["/api/v1/legal/appeals/{appeal_id}/"])


def test_the_bundle_carries_the_appeal_and_the_timeline_shows_it(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    appeal = services.appeal_file(actor=legal_officer, proceeding=proceeding, **_by_state(verdicts))
    services.appeal_update(
        actor=legal_officer, appeal=appeal, status=AppealStatus.ALLOWED, decided_on=D(2026, 11, 2)
    )
    data = selectors.bundle(actor=legal_officer, proceeding_id=proceeding.pk)
    json.dumps(data)  # serialisable as the JSON bundle
    (carried,) = data["appeals"]
    assert carried["court"] == "High Court of Bombay" and carried["status"] == "allowed"
    assert carried["window"]["late_by_days"] == 0 and carried["against"]
    kinds = [e["kind"] for e in data["timeline"]]
    assert "appeal" in kinds and "appeal_decided" in kinds
    page = _client(legal_officer.user).get(reverse("legal:bundle-print", args=[proceeding.pk]))
    assert b"High Court of Bombay" in page.content
