from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    """Phone channels into Setu: SMS keywords, missed calls and flow-engine (RapidPro) results."""

    name = "setu.channels"
    label = "channels"

    def ready(self) -> None:
        from setu.channels import checks  # noqa: F401  (registers the deploy checks)
