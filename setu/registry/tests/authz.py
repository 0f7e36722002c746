"""Who may reach each registry page. Personas: see conftest.py (lead owns personas.case, whose
survivor personas.person consented to a network-wide share with the partner organisation)."""

from tests.authz import Entry

# Anyone who sees identities in their own organisation may open the lists (they are scoped).
IDENTITY = frozenset(
    {"lead", "org_admin", "counsellor", "partner", "partner_admin", "other_org", "other_admin"}
)
# Roles that create records, each in their own organisation.
CREATORS = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})
# The case and its survivor: the owning organisation's identity roles and the partner it is
# shared with (by consent). Not analysts, coordinators, other organisations or platform admins.
CASE_VIEWERS = frozenset({"lead", "org_admin", "counsellor", "partner", "partner_admin"})
# Editing the case or the person: the owning organisation's case editors.
EDITORS = frozenset({"lead", "org_admin"})
# Consent and notes: editors plus the counsellor.
CONSENT_KEEPERS = frozenset({"lead", "org_admin", "counsellor"})
SIGNED_IN = frozenset(
    {
        "lead",
        "org_admin",
        "counsellor",
        "analyst",
        "coordinator",
        "partner",
        "partner_admin",
        "other_org",
        "other_admin",
        "platform_admin",
    }
)


def _person(p):
    return {"person_id": p.person.pk}


def _case(p):
    return {"case_id": p.case.pk}


def _alias(p):
    from setu.registry.tests.factories import AliasFactory

    return {"alias_id": AliasFactory(person=p.person).pk}


def _phone(p):
    from setu.registry.tests.factories import PhoneFactory

    return {"phone_id": PhoneFactory(person=p.person).pk}


def _address(p):
    from setu.registry.tests.factories import AddressFactory

    return {"address_id": AddressFactory(person=p.person).pk}


def _document(p):
    from setu.registry.tests.factories import DocumentFactory

    return {"document_id": DocumentFactory(person=p.person).pk}


def _consent(p):
    return {"consent_id": p.case.shares.get().consent_id}


def _share(p):
    return {"share_id": p.case.shares.get().pk}


def _event(p):
    from setu.registry.tests.factories import EventFactory

    return {"event_id": EventFactory(case=p.case).pk}


def _service(p):
    from setu.registry.tests.factories import ServiceFactory

    return {"service_id": ServiceFactory(case=p.case).pk}


def _photo_upload(p):
    from setu.registry.tests import uploadfiles

    return {"kind": "photo", "file": uploadfiles.upload(uploadfiles.photo())}


def _document_upload(p):
    from setu.registry.tests import uploadfiles

    return {"kind": "document", "file": uploadfiles.upload(uploadfiles.pdf(), "a.pdf")}


def _attachment(p):
    """A photo of the survivor (seen where her identity is: the partner too)."""
    from setu.registry import services
    from setu.registry.tests import uploadfiles

    photo = services.attachment_add(
        actor=p["lead"],
        person=p.person,
        kind="photo",
        upload=uploadfiles.upload(uploadfiles.photo()),
    )
    return {"attachment_id": photo.pk}


def _new_person_of_own_org(p):
    from setu.registry.tests.factories import PersonFactory

    return {"person": str(PersonFactory(owner_org=p.own_org).pk), "role": "family"}


ENTRIES = [
    Entry("registry:person-list", IDENTITY),
    Entry("registry:person-create", CREATORS),
    Entry("registry:person-detail", CASE_VIEWERS, kwargs=_person),
    Entry("registry:person-edit", EDITORS, kwargs=_person),
    Entry("registry:person-archive", EDITORS, kwargs=_person, method="post"),
    Entry(
        "registry:alias-add",
        EDITORS,
        kwargs=_person,
        method="post",
        data=lambda p: {"name": "Munni", "kind": "nickname"},
    ),
    Entry("registry:alias-remove", EDITORS, kwargs=_alias, method="post"),
    Entry(
        "registry:phone-add",
        EDITORS,
        kwargs=_person,
        method="post",
        data=lambda p: {"number": "98300 12345", "kind": "own"},
    ),
    Entry("registry:phone-remove", EDITORS, kwargs=_phone, method="post"),
    Entry(
        "registry:address-add",
        EDITORS,
        kwargs=_person,
        method="post",
        data=lambda p: {"kind": "home", "village": "Gosaba", "country": "IN"},
    ),
    Entry("registry:address-remove", EDITORS, kwargs=_address, method="post"),
    Entry(
        "registry:document-add",
        EDITORS,
        kwargs=_person,
        method="post",
        data=lambda p: {"doc_type": "voter_id", "number": "WB/01/234"},
    ),
    Entry("registry:document-remove", EDITORS, kwargs=_document, method="post"),
    Entry(
        "registry:person-attachment-add",
        EDITORS,
        kwargs=_person,
        method="post",
        data=_photo_upload,
    ),
    Entry(
        "registry:case-attachment-add",
        EDITORS,
        kwargs=_case,
        method="post",
        data=_document_upload,
    ),
    Entry("registry:attachment-download", CASE_VIEWERS, kwargs=_attachment),
    Entry("registry:attachment-delete", EDITORS, kwargs=_attachment, method="post"),
    Entry(
        "consent:consent-record",
        CONSENT_KEEPERS,
        kwargs=_person,
        method="post",
        data=lambda p: {"scopes": ["identity"], "given_by": "self", "given_on": "2025-01-02"},
    ),
    Entry(
        "consent:consent-withdraw",
        CONSENT_KEEPERS,
        kwargs=_consent,
        method="post",
        data=lambda p: {"withdrawn_on": p.case.shares.get().consent.given_on.isoformat()},
    ),
    Entry("registry:district-options", SIGNED_IN),
    Entry("registry:case-list", IDENTITY),
    Entry("registry:case-create", CREATORS),
    Entry("registry:case-detail", CASE_VIEWERS, kwargs=_case),
    Entry("registry:case-edit", EDITORS, kwargs=_case),
    Entry(
        "registry:case-close",
        EDITORS,
        kwargs=_case,
        method="post",
        data=lambda p: {"status": "Closed", "closed_on": p.case.opened_on.isoformat()},
    ),
    Entry(
        "registry:case-add-person",
        EDITORS,
        kwargs=_case,
        method="post",
        data=_new_person_of_own_org,
    ),
    Entry(
        "registry:event-add",
        EDITORS,
        kwargs=_case,
        method="post",
        data=lambda p: {"kind": "IN:Rescue", "date_precision": "day", "country": "IN"},
    ),
    Entry("registry:event-edit", EDITORS, kwargs=_event),
    Entry(
        "registry:service-add",
        EDITORS,
        kwargs=_case,
        method="post",
        data=lambda p: {"service_type": "IN:Shelter", "status": "planned"},
    ),
    Entry("registry:service-edit", EDITORS, kwargs=_service),
    Entry(
        "registry:note-add",
        CONSENT_KEEPERS,
        kwargs=_case,
        method="post",
        data=lambda p: {"body": "Called the family.", "topic": "general"},
    ),
    Entry(
        "registry:exploitation-edit",
        EDITORS,
        kwargs=_case,
        method="post",
        data=lambda p: {"forms": ["ForcedLabour"]},
    ),
    Entry(
        "registry:control-means-edit",
        EDITORS,
        kwargs=_case,
        method="post",
        data=lambda p: {"means": ["DebtBondage"]},
    ),
    Entry(
        "consent:case-share",
        EDITORS,
        kwargs=_case,
        method="post",
        data=lambda p: {
            "organisation": str(p.other_org.pk),
            "scopes": ["identity"],
            "reason": "Repatriation to source district",
            "step": "send",
        },
    ),
    Entry("consent:case-unshare", EDITORS, kwargs=_share, method="post"),
]

from setu.registry.tests.authz_api import ENTRIES as API_ENTRIES  # noqa: E402

ENTRIES += API_ENTRIES
