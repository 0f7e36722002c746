from django.apps import AppConfig


class WebConfig(AppConfig):
    """The shell of the web interface: layout, home pages, health check."""

    name = "setu.web"
    label = "web"
