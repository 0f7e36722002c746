from django.apps import AppConfig


class IntelConfig(AppConfig):
    """Intelligence: perpetrators, their identifiers, cross-references and sharing agreements."""

    name = "setu.intel"
    label = "intel"
