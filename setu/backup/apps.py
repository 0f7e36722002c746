from django.apps import AppConfig


class BackupConfig(AppConfig):
    """Encrypted backup and restore of the whole database (``setu backup``, ``setu restore``)."""

    name = "setu.backup"
