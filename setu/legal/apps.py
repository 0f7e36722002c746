from django.apps import AppConfig


class LegalConfig(AppConfig):
    """Prosecution support: proceedings per case, hearings, statutory periods and outcomes."""

    name = "setu.legal"
    label = "legal"
