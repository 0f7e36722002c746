"""The directory in Open Referral HSDS 3.0: JSON (an API page of services) and the tabular package.

Pure mapping from already-scoped rows to HSDS objects; it writes no audit row itself (the export
service does). Identifiers of derived objects (phones, areas, languages...) are UUIDv5 of the
parent's id, so repeated exports are stable and diffable. A shelter whose address is confidential
gets a location with no address and no coordinates.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from setu.directory.models import Language, Service, ServiceType

if TYPE_CHECKING:
    from setu.orgs.models import Organisation

HSDS_VERSION = "3.0"
TAXONOMY_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://setu.invalid/taxonomy/service-type"))

# Tabular files and the HSDS fields Setu fills (names as in the HSDS 3.0 schema).
TABLES: dict[str, tuple[str, list[str]]] = {
    "organization": (
        "organizations.csv",
        ["id", "name", "alternate_name", "description", "email", "website"],
    ),
    "service": (
        "services.csv",
        [
            "id", "organization_id", "name", "description", "email", "status",
            "eligibility_description", "minimum_age", "maximum_age", "last_modified",
        ],
    ),
    "location": (
        "locations.csv",
        ["id", "location_type", "organization_id", "name", "description"],
    ),
    "address": (
        "addresses.csv",
        [
            "id", "location_id", "address_1", "city", "region", "state_province",
            "postal_code", "country", "address_type",
        ],
    ),
    "phone": (
        "phones.csv",
        ["id", "location_id", "service_id", "organization_id", "number", "type", "description"],
    ),
    "schedule": ("schedules.csv", ["id", "service_id", "description"]),
    "service_area": (
        "service_areas.csv",
        ["id", "service_id", "name", "description", "extent_type", "uri"],
    ),
    "language": ("languages.csv", ["id", "service_id", "name", "code"]),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description"]),
    "service_at_location": (
        "service_at_location.csv",
        ["id", "service_id", "location_id", "description"],
    ),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "version"]),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ["id", "code", "name", "description", "taxonomy", "taxonomy_id"],
    ),
    "attribute": (
        "attributes.csv",
        ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
    ),
}  # fmt: skip


def _uid(parent: Any, *parts: Any) -> str:
    return str(uuid.uuid5(uuid.UUID(str(parent)), "/".join(str(p) for p in parts)))


def taxonomy_term(code: str) -> dict[str, Any]:
    """The HSDS taxonomy term for one Setu service type."""
    return {
        "id": str(uuid.uuid5(uuid.UUID(TAXONOMY_ID), code)),
        "code": code,
        "name": str(ServiceType(code).label),
        "description": str(ServiceType(code).label),
        "taxonomy": "Setu service types",
        "taxonomy_id": TAXONOMY_ID,
    }


def _organization(org: Organisation) -> dict[str, Any]:
    phones = []
    if org.phone:
        phones.append(
            {"id": _uid(org.pk, "phone"), "organization_id": str(org.pk), "number": org.phone,
             "type": "voice", "description": ""}
        )  # fmt: skip
    return {
        "id": str(org.pk),
        "name": org.name,
        "alternate_name": org.short_name,
        "description": str(org.get_org_type_display()),
        "email": org.email,
        "website": "",
        "phones": phones,
    }


def _location(service: Service) -> dict[str, Any]:
    org = service.organisation
    location_id = _uid(org.pk, "location")
    addresses = []
    # A confidential shelter's whereabouts never leave Setu: no address, no coordinates.
    if org.address and not org.address_is_confidential:
        district = org.base_district
        addresses.append(
            {
                "id": _uid(org.pk, "address"),
                "location_id": location_id,
                "address_1": org.address,
                "city": district.name if district else "",
                "region": district.name if district else "",
                "state_province": district.state.name if district else "",
                "postal_code": "",
                "country": "IN",
                "address_type": "physical",
            }
        )
    accessibility = []
    if service.disability_access:
        accessibility.append(
            {"id": _uid(service.pk, "accessibility"), "location_id": location_id,
             "description": "Accessible to persons with disabilities"}
        )  # fmt: skip
    return {
        "id": location_id,
        "location_type": "physical",
        "organization_id": str(org.pk),
        "name": org.name,
        "description": (
            "Address shared with member organisations on referral only"
            if org.address_is_confidential
            else ""
        ),
        "addresses": addresses,
        "accessibility": accessibility,
    }


def _eligibility(service: Service) -> str:
    parts = []
    if service.sexes:
        parts.append("For: " + ", ".join(service.get_sexes_display()))
    if service.age_min is not None or service.age_max is not None:
        low = service.age_min if service.age_min is not None else 0
        high = service.age_max if service.age_max is not None else "any"
        parts.append(f"Ages {low}–{high}")
    if service.disability_access:
        parts.append("Accessible to persons with disabilities")
    if service.eligibility_notes:
        parts.append(service.eligibility_notes)
    return ". ".join(parts)


def service_object(service: Service) -> dict[str, Any]:
    """One service as an HSDS 3.0 service object with its nested objects."""
    sid = str(service.pk)
    location = _location(service)
    term = taxonomy_term(service.service_type)
    areas = [
        {"id": _uid(sid, "area", "d", d.code), "service_id": sid, "name": f"{d.name}, {d.state.name}",
         "description": "District", "extent_type": "text", "uri": f"urn:in-lgd:district:{d.code}"}
        for d in service.districts.all()
    ] + [
        {"id": _uid(sid, "area", "s", s.code), "service_id": sid, "name": s.name,
         "description": "Whole state", "extent_type": "text", "uri": f"urn:in-lgd:state:{s.code}"}
        for s in service.states.all()
    ]  # fmt: skip
    return {
        "id": sid,
        "organization_id": str(service.organisation_id),
        "name": service.name,
        "description": service.description,
        "email": service.email,
        "status": "active" if service.is_active else "inactive",
        "eligibility_description": _eligibility(service),
        "minimum_age": service.age_min,
        "maximum_age": service.age_max,
        "last_modified": service.updated_at.isoformat(),
        "phones": (
            [
                {
                    "id": _uid(sid, "phone"),
                    "service_id": sid,
                    "number": service.phone,
                    "type": "voice",
                    "description": "",
                }
            ]
            if service.phone
            else []
        ),
        "schedules": (
            [{"id": _uid(sid, "schedule"), "service_id": sid, "description": service.hours}]
            if service.hours
            else []
        ),
        "service_areas": areas,
        "languages": [
            {
                "id": _uid(sid, "language", code),
                "service_id": sid,
                "name": str(Language(code).label),
                "code": code,
            }
            for code in service.languages
            if code in Language.values
        ],
        "organization": _organization(service.organisation),
        "service_at_locations": [
            {
                "id": _uid(sid, "at", location["id"]),
                "service_id": sid,
                "location_id": location["id"],
                "description": "",
                "location": location,
            }
        ],
        "attributes": [
            {
                "id": _uid(sid, "attribute", term["code"]),
                "link_id": sid,
                "taxonomy_term_id": term["id"],
                "link_type": "service_type",
                "link_entity": "service",
                "value": term["code"],
                "taxonomy_term": term,
            }
        ],
    }


def as_json(services: Iterable[Service]) -> dict[str, Any]:
    """All services as one HSDS API page (the shape of ``GET /services``)."""
    contents = [service_object(s) for s in services]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def _rows(contents: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Flatten nested service objects into one de-duplicated row set per table."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def put(table: str, obj: dict[str, Any]) -> None:
        tables[table].setdefault(obj["id"], {k: obj.get(k) for k in TABLES[table][1]})

    tables["taxonomy"][TAXONOMY_ID] = {
        "id": TAXONOMY_ID, "name": "Setu service types",
        "description": "Kinds of help the Setu network offers to survivors of trafficking",
        "version": "1",
    }  # fmt: skip
    for service in contents:
        put("service", service)
        org = service["organization"]
        put("organization", org)
        for phone in org["phones"] + service["phones"]:
            put("phone", phone)
        for key, table in (
            ("schedules", "schedule"),
            ("service_areas", "service_area"),
            ("languages", "language"),
        ):
            for obj in service[key]:
                put(table, obj)
        for link in service["service_at_locations"]:
            put("service_at_location", link)
            location = link["location"]
            put("location", location)
            for address in location["addresses"]:
                put("address", address)
            for access in location["accessibility"]:
                put("accessibility", access)
        for attribute in service["attributes"]:
            put("attribute", attribute)
            put("taxonomy_term", attribute["taxonomy_term"])
    return tables


def datapackage() -> dict[str, Any]:
    """The Frictionless data-package descriptor for the tabular export."""
    return {
        "name": "setu_service_directory",
        "title": "Setu service directory (Open Referral HSDS)",
        "profile": "tabular-data-package",
        "version": HSDS_VERSION,
        "resources": [
            {
                "name": name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "profile": "tabular-data-resource",
                "schema": {"fields": [{"name": f, "type": "string"} for f in fields]},
            }
            for name, (path, fields) in TABLES.items()
        ],
    }


def as_zip(services: Iterable[Service]) -> bytes:
    """The HSDS tabular data package (one CSV per object and datapackage.json), zipped."""
    tables = _rows(as_json(services)["contents"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(), indent=2))
        for name, (path, fields) in TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            for row in tables[name].values():
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
            archive.writestr(path, text.getvalue())
    return buffer.getvalue()
