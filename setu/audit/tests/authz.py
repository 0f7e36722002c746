from tests.authz import Entry

ADMINS = frozenset({"org_admin", "partner_admin", "other_admin"})


def _own_entry(p):
    """An entry about the own organisation's case: only its admin may open it."""
    from setu.audit import services as audit
    from setu.audit.models import AuditAction

    entry = audit.record(actor=p["lead"], action=AuditAction.VIEW, target=p.case)
    return {"entry_hash": entry.entry_hash}


ENTRIES = [
    Entry("audit:entry-list", ADMINS),
    Entry("audit:entry-export", ADMINS),
    Entry("audit:entry-detail", frozenset({"org_admin"}), _own_entry),
]
