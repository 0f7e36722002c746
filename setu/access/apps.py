from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who may see and do what: the one access policy of Setu."""

    name = "setu.access"
    label = "access"
