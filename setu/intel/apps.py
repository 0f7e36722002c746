from django.apps import AppConfig


class IntelConfig(AppConfig):
    """Intelligence: perpetrators, their identifiers, cross-references and sharing agreements."""

    name = "setu.intel"
    label = "intel"

    def ready(self) -> None:
        from setu.intel import selectors, services
        from setu.legal import hooks as legal_hooks
        from setu.registry import hooks as registry_hooks

        # The case's intelligence, with its provenance, joins the legal case bundle.
        legal_hooks.register_bundle_section("intel", selectors.legal_bundle_section)
        # The index carries the case's restriction, which the agreement rule reads.
        registry_hooks.on_case_restriction_changed(services.case_restriction_follow)
