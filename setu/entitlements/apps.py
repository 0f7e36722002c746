from django.apps import AppConfig


class EntitlementsConfig(AppConfig):
    """Survivors' applications to government schemes and victim-compensation claims with appeals."""

    name = "setu.entitlements"
    label = "entitlements"
