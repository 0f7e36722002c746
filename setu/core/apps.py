from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared base model, errors and checks; holds no business rules."""

    name = "setu.core"

    def ready(self) -> None:
        from setu.core import checks  # noqa: F401  (registers system checks)
