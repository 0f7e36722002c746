"""Background tasks of the audit trail (Django tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task


@task
def seal_audit_trail() -> int:
    """Chain the entries written since the last run onto the seals; returns how many."""
    from setu.audit import services

    return services.chain_seal()
