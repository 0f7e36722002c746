"""Background tasks of the registry (Django tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task


@task
def retention_run() -> dict[str, int]:
    """Anonymise closed cases and their persons past the retention period; returns the counts."""
    from setu.registry.services import retention

    result = retention.retention_run()
    return {"cases": result.cases, "persons": result.persons}
