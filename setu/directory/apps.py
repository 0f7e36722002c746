from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The service directory: what each organisation offers, where and for whom (HSDS export)."""

    name = "setu.directory"
    label = "directory"
