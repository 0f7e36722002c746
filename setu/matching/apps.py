from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Cross-organisation matching: match keys, notices, links, re-trafficking and missing alerts."""

    name = "setu.matching"
    label = "matching"
