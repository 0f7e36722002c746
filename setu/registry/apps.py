from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The shared registry: persons, cases, trafficking events and services (HTCDS v2)."""

    name = "setu.registry"
    label = "registry"

    def ready(self) -> None:
        # The audit trail names cases and persons through us (it may not import registry).
        from setu.audit import labels
        from setu.registry import selectors

        labels.register_labeller("registry.case", selectors.audit_case_labels)
        labels.register_labeller("registry.person", selectors.audit_person_labels)
        labels.register_case_finder(selectors.audit_case_finder)
        labels.register_person_records_finder(
            lambda actor, person_id: selectors.person_records_for_access_report(
                actor=actor, person_id=person_id
            )
        )
