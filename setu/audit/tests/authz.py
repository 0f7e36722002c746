from tests.authz import Entry

ADMINS = frozenset({"org_admin", "partner_admin", "other_admin"})


def _own_entry(p):
    """An entry about the own organisation's case: only its admin may open it."""
    from setu.audit import services as audit
    from setu.audit.models import AuditAction

    entry = audit.record(actor=p["lead"], action=AuditAction.VIEW, target=p.case)
    return {"entry_hash": entry.entry_hash}


def _own_person(p):
    return {"person_id": p.person.pk}


def _own_person_json(p):
    return {"person_id": p.person.pk, "fmt": "json"}


EXPORT_PASSWORD = "a strong export password"


def _password(p):
    return {"password": EXPORT_PASSWORD, "password_again": EXPORT_PASSWORD}


ENTRIES = [
    # The breach report: only the admin of the organisation that owns the person.
    Entry("audit:person-access", frozenset({"org_admin"}), _own_person),
    # Its export: the password page (GET), then the encrypted file (POST).
    Entry("audit:person-access-export", frozenset({"org_admin"}), _own_person_json),
    Entry(
        "audit:person-access-export",
        frozenset({"org_admin"}),
        _own_person_json,
        method="post",
        data=_password,
    ),
    Entry("audit:entry-list", ADMINS),
    Entry("audit:entry-export", ADMINS),
    Entry("audit:entry-export", ADMINS, method="post", data=_password),
    Entry("audit:entry-detail", frozenset({"org_admin"}), _own_entry),
]
