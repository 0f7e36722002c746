from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Per-user notices (in-app inbox, email, SMS/WhatsApp) and each user's channel choices."""

    name = "setu.notifications"
    label = "notifications"
