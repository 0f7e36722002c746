import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.directory.models import Service
from setu.directory.tests.factories import ServiceFactory
from setu.orgs.models import District

pytestmark = pytest.mark.django_db


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_list_filters_by_need_and_district_without_javascript(personas):
    district = District.objects.first()
    ServiceFactory(name="Asha shelter", service_type="shelter", districts=[district])
    ServiceFactory(name="Nyaya legal", service_type="legal_aid", districts=[district])
    response = _client(personas, "counsellor").get(
        reverse("directory:service-list"), {"need": "shelter", "district": district.code}
    )
    assert response.status_code == 200
    assert b"Asha shelter" in response.content
    assert b"Nyaya legal" not in response.content


def test_htmx_request_gets_only_the_results(personas):
    ServiceFactory(name="Asha shelter")
    response = _client(personas, "lead").get(
        reverse("directory:service-list"), headers={"HX-Request": "true"}
    )
    assert b"Asha shelter" in response.content and b"<html" not in response.content


def test_map_is_server_side_svg_linking_to_the_list(personas):
    district = District.objects.filter(code=1).first() or District.objects.first()
    ServiceFactory(service_type="shelter", districts=[district])
    response = _client(personas, "lead").get(
        reverse("directory:service-map"), {"need": "shelter", "state": district.state_id}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "<path" in body and "<script" not in body.split("<main")[1]
    assert f"district={district.code}" in body
    assert 'class="m5"' in body  # the only served district is the darkest


def test_caseworker_adds_a_service_through_the_form(personas):
    district = District.objects.first()
    response = _client(personas, "partner").post(
        reverse("directory:service-create"),
        {"service_type": "counselling", "name": "", "districts": [district.code],
         "sexes": ["female"], "languages": ["bn"], "is_active": "on"},
    )  # fmt: skip
    service = Service.objects.get()
    assert response.status_code == 302
    assert service.organisation == personas.partner_org
    assert service.sexes == ["female"] and list(service.districts.all()) == [district]


def test_form_shows_errors(personas):
    response = _client(personas, "lead").post(
        reverse("directory:service-create"),
        {"service_type": "shelter", "age_min": 20, "age_max": 10},
    )
    assert response.status_code == 200
    assert b"maximum age" in response.content
    assert not Service.objects.exists()


def test_export_downloads_json_and_zip(personas):
    ServiceFactory()
    client = _client(personas, "analyst")
    response = client.get(reverse("directory:export-hsds"))
    assert response["Content-Type"] == "application/json"
    assert response.json()["total_items"] == 1
    response = client.get(reverse("directory:export-hsds"), {"format": "zip"})
    assert response["Content-Type"] == "application/zip"
