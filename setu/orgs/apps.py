from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Organisations of the network, the places they serve, and who works in them."""

    name = "setu.orgs"
    label = "orgs"

    def ready(self) -> None:
        # The audit trail names organisations and members through us (it may not import orgs).
        from setu.audit import labels
        from setu.orgs import selectors

        labels.register_labeller("orgs.organisation", selectors.audit_organisation_labels)
        labels.register_organisation_namer(selectors.audit_organisation_names)
        labels.register_member_lister(selectors.audit_member_choices)
