"""Writes to the registry, one module per entity. Every function checks the policy, validates,
saves and audits in one transaction; bad input raises ``InvalidInput`` naming the fields and
leaves the data unchanged. Consent and case shares are written by ``setu.consent.services``."""

from setu.registry.services.cases import (
    CASE_FIELDS,
    CLOSED_STATUSES,
    case_add_person,
    case_close,
    case_create,
    case_update,
    control_means_set,
    exploitation_set,
    note_add,
)
from setu.registry.services.events import (
    EVENT_FIELDS,
    event_add,
    event_update,
)
from setu.registry.services.persons import (
    ADDRESS_FIELDS,
    DOCUMENT_FIELDS,
    PERSON_FIELDS,
    address_add,
    address_remove,
    alias_add,
    alias_remove,
    document_add,
    document_remove,
    person_archive,
    person_create,
    person_update,
    phone_add,
    phone_remove,
)
from setu.registry.services.service_records import (
    SERVICE_FIELDS,
    service_add,
    service_update,
)

__all__ = [
    "ADDRESS_FIELDS",
    "CASE_FIELDS",
    "CLOSED_STATUSES",
    "DOCUMENT_FIELDS",
    "EVENT_FIELDS",
    "PERSON_FIELDS",
    "SERVICE_FIELDS",
    "address_add",
    "address_remove",
    "alias_add",
    "alias_remove",
    "case_add_person",
    "case_close",
    "case_create",
    "case_update",
    "control_means_set",
    "document_add",
    "document_remove",
    "event_add",
    "event_update",
    "exploitation_set",
    "note_add",
    "person_archive",
    "person_create",
    "person_update",
    "phone_add",
    "phone_remove",
    "service_add",
    "service_update",
]
