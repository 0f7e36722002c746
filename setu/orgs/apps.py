from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Organisations of the network, the places they serve, and who works in them."""

    name = "setu.orgs"
    label = "orgs"
