from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Cross-organisation matching: match keys, notices, links, re-trafficking and missing alerts."""

    name = "setu.matching"
    label = "matching"

    def ready(self) -> None:
        from setu.consent import subscriptions
        from setu.matching import hooks, selectors, services
        from setu.registry import hooks as registry_hooks

        # Explicit subscriptions: the registry and consent apps never import matching.
        registry_hooks.on_person_saved(hooks.person_changed)
        registry_hooks.on_event_recorded(hooks.event_recorded)
        registry_hooks.on_find_duplicates(selectors.strong_duplicates)
        subscriptions.subscribe(services.on_consent_ended)
