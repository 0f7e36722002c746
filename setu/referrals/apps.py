from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Referrals between organisations: consent-checked sharing, status flow, reminders, handover."""

    name = "setu.referrals"
    label = "referrals"
