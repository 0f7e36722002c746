from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Referrals between organisations: consent-checked sharing, status flow, reminders, handover."""

    name = "setu.referrals"
    label = "referrals"

    def ready(self) -> None:
        from setu.consent import subscriptions
        from setu.referrals import services

        subscriptions.subscribe(services.on_consent_ended)
