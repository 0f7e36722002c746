from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """Consent: what a person agreed may be shared, with whom, until when; the shares it backs."""

    name = "setu.consent"
    label = "consent"
