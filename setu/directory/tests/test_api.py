import pytest
from rest_framework.test import APIClient

from setu.directory.models import Service
from setu.directory.tests.factories import ServiceFactory
from setu.orgs.models import District

pytestmark = pytest.mark.django_db


def _api(personas, who):
    client = APIClient()
    client.force_authenticate(personas.users[who])
    return client


def test_list_filters_and_paginates(personas):
    district = District.objects.first()
    mine = ServiceFactory(service_type="medical", districts=[district])
    ServiceFactory(service_type="shelter", districts=[district])
    body = _api(personas, "lead").get("/api/v1/services/", {"need": "medical"}).json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(mine.pk)
    assert body["results"][0]["district_codes"] == [district.code]


def test_create_and_patch_own_service(personas):
    district = District.objects.first()
    client = _api(personas, "partner_admin")
    response = client.post(
        "/api/v1/services/",
        {"service_type": "repatriation", "district_codes": [district.code], "sexes": ["female"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    service_id = response.json()["id"]
    response = client.patch(f"/api/v1/services/{service_id}/", {"hours": "Mon-Sat"}, format="json")
    assert response.status_code == 200 and response.json()["hours"] == "Mon-Sat"
    assert Service.objects.get().organisation == personas.partner_org


def test_cannot_patch_another_organisations_service(personas):
    service = ServiceFactory(organisation=personas.partner_org)
    response = _api(personas, "lead").patch(
        f"/api/v1/services/{service.pk}/", {"hours": "never"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_hsds_endpoint(personas):
    ServiceFactory()
    body = _api(personas, "other_org").get("/api/v1/directory/hsds/").json()
    assert body["total_items"] == 1 and body["contents"][0]["organization"]["id"]


def test_anonymous_is_refused():
    assert APIClient().get("/api/v1/services/").status_code in (401, 403)
