from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit trail."""

    name = "setu.audit"
    label = "audit"

    def ready(self) -> None:
        from setu.audit import checks, receivers  # noqa: F401  (deploy check; login audit)
