import io
import json
import zipfile

import pytest

from setu.audit.models import AuditAction, AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.directory import hsds, services
from setu.directory.models import ServiceType
from setu.directory.tests.factories import ServiceFactory
from setu.orgs.models import District

pytestmark = pytest.mark.django_db


def _district(code=None):
    qs = District.objects.select_related("state")
    return qs.get(code=code) if code else qs.first()


def test_a_caseworker_adds_a_service_for_their_organisation_and_it_is_audited(personas):
    district = _district()
    service = services.service_create(
        actor=personas["lead"],
        data={"service_type": ServiceType.LEGAL_AID, "age_min": 18, "languages": ["hi", "bn"]},
        districts=[district],
    )
    assert service.organisation == personas.own_org
    assert service.name == "Legal aid"  # defaults to the type
    assert list(service.districts.all()) == [district]
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(service.pk)).get()
    assert entry.changes["before"] is None
    assert entry.changes["after"]["languages"] == ["hi", "bn"]


def test_a_counsellor_or_platform_admin_may_not_add_services(personas):
    for who in ("counsellor", "analyst", "platform_admin"):
        with pytest.raises(Forbidden):
            services.service_create(actor=personas[who], data={"service_type": "medical"})


def test_update_records_before_and_after(personas):
    service = ServiceFactory(organisation=personas.own_org, hours="9-5")
    services.service_update(actor=personas["org_admin"], service=service, data={"hours": "24x7"})
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_id=str(service.pk)).get()
    assert entry.changes["before"]["hours"] == "9-5"
    assert entry.changes["after"]["hours"] == "24x7"


def test_another_organisation_cannot_edit_a_service(personas):
    service = ServiceFactory(organisation=personas.own_org)
    with pytest.raises(Forbidden):  # it is visible in the directory, but not theirs
        services.service_update(actor=personas["partner"], service=service, data={"hours": "x"})
    service.refresh_from_db()
    assert service.hours == "24 hours"


def test_eligibility_must_make_sense(personas):
    with pytest.raises(InvalidInput) as exc:
        services.service_create(
            actor=personas["lead"],
            data={"service_type": "shelter", "age_min": 18, "age_max": 12, "sexes": ["x"]},
        )
    assert {"age_max", "sexes"} <= set(exc.value.errors)


def test_anonymous_like_actor_without_membership_cannot_export(personas):
    from setu.access.actor import Actor
    from setu.orgs.tests.factories import UserFactory

    with pytest.raises(Forbidden):
        services.directory_export(actor=Actor(user=UserFactory()), fmt="json")


def test_hsds_json_has_the_hsds_shape_and_hides_confidential_addresses(personas):
    district = _district()
    open_org = personas.partner_org
    open_org.address, open_org.base_district = "12 Park Street", district
    open_org.save()
    hidden = personas.other_org
    hidden.address, hidden.address_is_confidential = "Secret lane 4", True
    hidden.save()
    visible = ServiceFactory(organisation=open_org, districts=[district], languages=["bn"])
    secret = ServiceFactory(organisation=hidden, disability_access=True, states=[district.state])
    data = services.directory_export(actor=personas["lead"], fmt="json")
    assert data["total_items"] == 2 and data["page_number"] == 1
    by_id = {s["id"]: s for s in data["contents"]}
    open_service = by_id[str(visible.pk)]
    for key in ("id", "organization_id", "name", "status", "organization", "service_areas",
                "service_at_locations", "languages", "phones", "attributes"):  # fmt: skip
        assert key in open_service
    assert open_service["status"] == "active"
    assert open_service["service_areas"][0]["uri"] == f"urn:in-lgd:district:{district.code}"
    assert open_service["languages"][0]["code"] == "bn"
    address = open_service["service_at_locations"][0]["location"]["addresses"][0]
    assert address["address_1"] == "12 Park Street" and address["country"] == "IN"
    secret_location = by_id[str(secret.pk)]["service_at_locations"][0]["location"]
    assert secret_location["addresses"] == []
    assert "Secret lane" not in json.dumps(data)
    assert secret_location["accessibility"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_hsds_zip_is_a_tabular_package(personas):
    hidden = personas.partner_org
    hidden.address, hidden.address_is_confidential = "Secret lane 4", True
    hidden.save()
    ServiceFactory(organisation=hidden, districts=[_district()])
    blob = services.directory_export(actor=personas["partner"], fmt="zip")
    archive = zipfile.ZipFile(io.BytesIO(blob))
    names = set(archive.namelist())
    assert {"datapackage.json", "services.csv", "organizations.csv", "service_areas.csv",
            "locations.csv", "addresses.csv", "taxonomy_terms.csv"} <= names  # fmt: skip
    package = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in package["resources"]} <= names
    services_csv = archive.read("services.csv").decode()
    assert services_csv.splitlines()[0].startswith("id,organization_id,name")
    assert len(services_csv.splitlines()) == 2
    assert archive.read("addresses.csv").decode().strip() == ",".join(hsds.TABLES["address"][1])
    assert b"Secret lane" not in b"".join(archive.read(n) for n in names)


def test_command_exports_to_a_file(personas, tmp_path):
    from django.core.management import call_command

    ServiceFactory(organisation=personas.partner_org)
    out = tmp_path / "dir.json"
    call_command("directory", "export-hsds", str(out))
    assert json.loads(out.read_text())["total_items"] == 1
    call_command("directory", "export-hsds", str(tmp_path / "dir.zip"), "--user", "lead")
    assert zipfile.is_zipfile(tmp_path / "dir.zip")
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_service_outside_scope_is_not_found(personas):
    from setu.directory import selectors

    with pytest.raises(NotFound):
        selectors.service_get(actor=personas["lead"], service_id=personas.case.pk)
