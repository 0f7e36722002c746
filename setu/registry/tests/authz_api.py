"""Authorization-matrix entries of the registry API (appended to this app's ENTRIES)."""

from tests.authz import Entry

# Who sees the lead's survivor and case: the owning organisation's identity roles and the
# partner organisation through its consented share.
SEES_CASE = frozenset({"lead", "org_admin", "counsellor", "partner", "partner_admin"})
OWN_EDITORS = frozenset({"lead", "org_admin"})
IDENTITY = frozenset(
    {"lead", "org_admin", "counsellor", "partner", "partner_admin", "other_org", "other_admin"}
)
CREATED = frozenset({201})


def _person(p):
    return {"person_id": p.person.pk}


def _case(p):
    return {"case_id": p.case.pk}


def _consent(p):
    return {"consent_id": p.person.consents.first().pk}


def _photo_upload(p):
    from setu.registry.tests import uploadfiles

    return {"kind": "photo", "file": uploadfiles.upload(uploadfiles.photo())}


def _document_upload(p):
    from setu.registry.tests import uploadfiles

    return {"kind": "document", "file": uploadfiles.upload(uploadfiles.pdf(), "a.pdf")}


def _attachment(p):
    """A photo of the survivor, uploaded by the lead caseworker."""
    from setu.registry import services
    from setu.registry.tests import uploadfiles

    photo = services.attachment_add(
        actor=p["lead"],
        person=p.person,
        kind="photo",
        upload=uploadfiles.upload(uploadfiles.photo()),
    )
    return {"attachment_id": photo.pk}


ENTRIES = [
    Entry("api:person-list", IDENTITY, is_api=True),
    Entry(
        "api:person-search",
        IDENTITY,
        method="post",
        data=lambda p: {"query": "Salma"},
        is_api=True,
    ),
    Entry("api:person-detail", SEES_CASE, _person, is_api=True),
    Entry(
        "api:person-alias-create",
        OWN_EDITORS,
        _person,
        method="post",
        data=lambda p: {"name": "Munni"},
        is_api=True,
    ),
    Entry(
        "api:person-document-create",
        OWN_EDITORS,
        _person,
        method="post",
        data=lambda p: {"doc_type": "ration_card", "number": "WB-1234"},
        is_api=True,
    ),
    Entry(
        "api:person-phone-create",
        OWN_EDITORS,
        _person,
        method="post",
        data=lambda p: {"number": "9876543210"},
        is_api=True,
    ),
    Entry(
        "api:person-address-create",
        OWN_EDITORS,
        _person,
        method="post",
        data=lambda p: {"village": "Basanti"},
        is_api=True,
    ),
    Entry("api:person-consent-list", SEES_CASE, _person, is_api=True),
    Entry(
        "api:consent-withdraw",
        frozenset({"lead", "org_admin", "counsellor"}),
        _consent,
        method="post",
        data=lambda p: {},
        is_api=True,
    ),
    Entry("api:case-list", IDENTITY, is_api=True),
    Entry("api:case-detail", SEES_CASE, _case, is_api=True),
    Entry("api:case-event-list", SEES_CASE, _case, is_api=True),
    Entry("api:person-attachment-list", SEES_CASE, _person, is_api=True),
    Entry(
        "api:person-attachment-list",
        OWN_EDITORS,
        _person,
        method="post",
        data=_photo_upload,
        is_api=True,
    ),
    Entry("api:case-attachment-list", SEES_CASE, _case, is_api=True),
    Entry(
        "api:case-attachment-list",
        OWN_EDITORS,
        _case,
        method="post",
        data=_document_upload,
        is_api=True,
    ),
    Entry("api:attachment-detail", SEES_CASE, _attachment, is_api=True),
    Entry("api:attachment-detail", OWN_EDITORS, _attachment, method="delete", is_api=True),
    Entry("api:attachment-file", SEES_CASE, _attachment, is_api=True),
]
