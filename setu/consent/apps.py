from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """Consent: what a person agreed may be shared, with whom, until when; the shares it backs."""

    name = "setu.consent"
    label = "consent"

    def ready(self) -> None:
        # The registry's person and case pages (and its API's person detail) show consents and
        # shares; the registry may not import us (we build on it), so we provide them.
        from setu.audit import labels
        from setu.consent import selectors, serializers
        from setu.registry import hooks

        hooks.provide_person_consents(selectors.person_consents)
        hooks.provide_case_shares(selectors.case_shares)
        hooks.provide_case_timeline_items(selectors.case_timeline_items)
        hooks.provide_person_api_field(
            "consents", lambda: serializers.ConsentOut(many=True, read_only=True)
        )
        # The breach report lists accesses to a person's consents too.
        labels.register_person_records_finder(selectors.consent_records_of_person)
        from setu.consent import services

        hooks.on_person_anonymised(services.consents_forget_guardian)
