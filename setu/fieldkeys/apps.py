from django.apps import AppConfig


class FieldKeysConfig(AppConfig):
    """The operator's side of encryption at rest: `setu keys status / rotate / reindex / new`.
    The field and the key ring themselves are ``setu.core.crypto`` (every app's models use them)."""

    name = "setu.fieldkeys"
    label = "fieldkeys"
