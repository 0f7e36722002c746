from django.apps import AppConfig


class SheltersConfig(AppConfig):
    """Shelter capacity: beds by kind, holds for referrals, admissions, snapshots, unmet demand."""

    name = "setu.shelters"
    label = "shelters"
