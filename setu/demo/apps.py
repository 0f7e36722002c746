from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network: loads a realistic, clearly fictional network for trying Setu."""

    name = "setu.demo"
    label = "demo"
