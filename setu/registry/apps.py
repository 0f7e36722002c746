from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The shared registry: persons, cases, trafficking events, services and consent (HTCDS v2)."""

    name = "setu.registry"
    label = "registry"
