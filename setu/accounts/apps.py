from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People who log in: users, API tokens, sessions, two-factor policy."""

    name = "setu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from setu.accounts import receivers  # noqa: F401  (lockout audit)
