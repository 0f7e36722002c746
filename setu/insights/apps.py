from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Privacy-safe statistics: counts only, small cells suppressed, statistics consent honoured."""

    name = "setu.insights"
    label = "insights"
