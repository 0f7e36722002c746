"""Organisations are chosen by full name, type and district, never by acronym (issue 22.4)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.orgs.forms import OrganisationChoiceField, organisation_label
from setu.orgs.models import District, Organisation, OrganisationType, State


@pytest.fixture
def mumbai(db) -> District:
    state = State.objects.get_or_create(
        code=27, defaults={"name": "Maharashtra", "kind": "State", "iso_3166_2": "IN-MH"}
    )[0]
    district = District.objects.filter(state=state, name="Mumbai").first()
    return district or District.objects.create(code=999519, state=state, name="Mumbai")


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def test_the_label_names_the_organisation_in_full_with_its_type_and_district(mumbai):
    org = Organisation(
        name="Maharashtra Anti-Human Trafficking Unit",
        short_name="MAHTU",
        org_type=OrganisationType.POLICE_AHTU,
        base_district=mumbai,
    )
    label = organisation_label(org)
    assert label.startswith("Maharashtra Anti-Human Trafficking Unit (MAHTU)")
    assert "Police Anti-Human Trafficking Unit" in label and "Mumbai" in label


def test_a_label_without_a_district_still_says_the_type():
    org = Organisation(name="Kolkata Kalyan Trust", short_name="KKT", org_type="shelter_home")
    assert organisation_label(org) == "Kolkata Kalyan Trust (KKT) — Shelter / rehabilitation home"
    assert organisation_label(org, with_type=False) == "Kolkata Kalyan Trust (KKT)"


def test_the_choice_field_reads_districts_in_the_same_query(mumbai, django_assert_num_queries):
    Organisation.objects.create(
        name="A", short_name="AA", org_type="shelter_home", base_district=mumbai
    )
    Organisation.objects.create(
        name="B", short_name="BB", org_type="legal_aid", base_district=mumbai
    )
    field = OrganisationChoiceField(queryset=Organisation.objects.all())
    with django_assert_num_queries(1):
        labels = [label for _value, label in field.choices][1:]
    assert all("Mumbai" in label for label in labels) and len(labels) == 2


@pytest.mark.parametrize(
    "url_name,field",
    [("consent:case-share", "organisation"), ("consent:consent-record", "recipient_org")],
)
def test_share_and_consent_forms_list_organisations_by_full_name(personas, url_name, field):
    target = personas.case.pk if url_name == "consent:case-share" else personas.person.pk
    client = Client()
    client.force_login(personas.users["lead"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    html = client.get(reverse(url_name, args=[target])).content.decode()
    labels = _options(html, field)
    partner = personas.partner_org
    assert any(label.startswith(f"{partner.name} ({partner.short_name})") for label in labels)
    assert partner.short_name not in [label.strip() for label in labels]
