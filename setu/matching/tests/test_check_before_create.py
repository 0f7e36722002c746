"""Check before creating (issue 22 item 5): the name alone finds an existing record, in any
script; with a strong candidate, saving needs a reason, in the service (so the API cannot skip
it), and the reason is audited."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditAction, AuditEntry
from setu.core.errors import InvalidInput
from setu.core.tests.apiclient import token_client
from setu.matching import engine, records, selectors, services
from setu.matching.tests import factories as f
from setu.registry import services as registry
from setu.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def net():
    return f.network()


@pytest.fixture
def rupa(net):
    """Rupa Khatun, 16 in 2024, of the source organisation, indexed for matching."""
    person, _case = f.missing_girl(net.source)
    services.records_refresh([person.pk])
    return person


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _check(net, **data) -> str:
    response = _client(net.source_contact.user).post(reverse("matching:check"), data)
    assert response.status_code == 200
    return response.content.decode()


def _own(net, **data) -> list[tuple[Person, str]]:
    record = records.draft_record(data)
    result = selectors.check_record(actor=net.actor("source_contact"), record=record)
    return [(person, rating) for person, _p, _ex, rating in result.own]


@pytest.mark.parametrize(
    "names",
    [
        {"given_name": "Rupa", "family_name": "Khatun"},
        {"given_name": "Roopa"},
        {"given_name": "রূপা"},
        {"given_name": "रूपा"},
        {"name_native": "রূপা খাতুন"},
    ],
)
def test_the_name_alone_finds_the_record_in_any_script(net, rupa, names):
    assert _own(net, **names) == [(rupa, "strong")]
    html = _check(net, **names)
    assert reverse("registry:person-detail", args=[rupa.pk]) in html
    assert "Probably the same person" in html
    # Save turns into "Create anyway" (swapped in beside the panel).
    assert 'id="person-submit"' in html and "Create anyway" in html


def test_other_names_are_not_offered(net, rupa):
    assert _own(net, given_name="Rokhsana") == []
    assert _own(net, given_name="Debashis", family_name="Roy") == []
    html = _check(net, given_name="Rokhsana")
    assert "No likely existing record" in html and "Save person" in html


def test_age_and_sex_refine_the_name_they_do_not_gate_it(net, rupa):
    # Same age on the same day, same district: still strong, and now by the engine's own score.
    district, state = f.place("Murshidabad")
    same = {
        "given_name": "Rupa",
        "family_name": "Khatun",
        "gender": "Feminine",
        "estimated_age": 16,
        "age_estimated_on": datetime.date(2024, 3, 2),
        "district": district,
        "state": state,
    }
    record = records.draft_record(same)
    result = selectors.check_record(actor=net.actor("source_contact"), record=record)
    assert result.strong and result.own[0][0] == rupa and result.own[0][1] >= engine.POSSIBLE
    # A woman of 45 with the same name is told apart by her age: not offered at all.
    assert _own(net, given_name="Rupa", family_name="Khatun", estimated_age=45) == []
    # So is a man of that name.
    assert _own(net, given_name="Rupa", gender="Masculine") == []


def test_the_service_refuses_a_strong_duplicate_without_a_reason(net, rupa):
    actor = net.actor("source_contact")
    with pytest.raises(InvalidInput) as refused:
        registry.person_create(actor=actor, given_name="Roopa", family_name="Khatoon")
    assert list(refused.value.errors) == ["create_reason"]
    assert "Rupa Khatun" in refused.value.errors["create_reason"][0]
    assert not [p for p in Person.objects.all() if p.given_name == "Roopa"]
    # Another organisation's records never gate this one's creates.
    other = registry.person_create(actor=net.actor("dest_contact"), given_name="Rupa")
    assert other.owner_org_id == net.dest.pk


def test_create_anyway_keeps_the_reason_and_the_overridden_record_in_the_trail(net, rupa):
    actor = net.actor("source_contact")
    reason = "A different girl: her father is Karim, from Domkal"
    person = registry.person_create(
        actor=actor, given_name="Rupa", family_name="Khatun", create_reason=reason
    )
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(person.pk))
    assert entry.changes["after"]["create_reason"] == reason
    assert entry.details == {"created_anyway": [str(rupa.pk)]}
    # Without a candidate no reason is asked for, and none is recorded.
    plain = registry.person_create(actor=actor, given_name="Salma", family_name="Oraon")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(plain.pk))
    assert "create_reason" not in entry.changes["after"] and not entry.details


def test_the_api_cannot_skip_the_check(net, rupa):
    api = token_client(net.source_contact.user)
    url = reverse("api:person-list")
    refused = api.post(url, {"given_name": "রূপা"}, format="json")
    assert refused.status_code == 400, refused.content
    error = refused.json()["error"]
    assert list(error["fields"]) == ["create_reason"]
    assert "Rupa Khatun" in error["fields"]["create_reason"][0]
    created = api.post(
        url, {"given_name": "রূপা", "create_reason": "Her sister, same name"}, format="json"
    )
    assert created.status_code == 201, created.content


def test_the_form_turns_save_into_create_anyway_and_asks_why(net, rupa):
    client = _client(net.source_contact.user)
    url = reverse("registry:person-create")
    page = client.get(url).content.decode()
    assert "Save person" in page and "Create anyway" not in page
    # The panel sits beside the name fields, before the rest of the form.
    assert page.index('id="match-check"') < page.index('name="gender"')
    form = {"given_name": "Rupa", "family_name": "Khatoon", "gender": "Feminine",
            "nationality": "IN"}  # fmt: skip
    refused = client.post(url, form)
    html = refused.content.decode()
    assert refused.status_code == 200 and "Create anyway" in html, html[html.find("form-errors") :][
        :800
    ]
    assert "Rupa Khatun" in html and 'name="create_reason"' in html
    done = client.post(url, {**form, "create_reason": "Different father"})
    assert done.status_code == 302
    names = [(p.given_name, p.family_name) for p in Person.objects.all()]
    assert names.count(("Rupa", "Khatoon")) == 1
