from django.apps import AppConfig


class SheltersConfig(AppConfig):
    """Shelter capacity: beds by kind, holds for referrals, admissions, snapshots, unmet demand."""

    name = "setu.shelters"
    label = "shelters"

    def ready(self) -> None:
        # Referrals may not import shelters (shelters builds on referrals): we register.
        from setu.referrals import hooks
        from setu.shelters import selectors, services

        hooks.on_referral_ended(services.on_referral_ended)
        hooks.provide_free_beds(lambda actor: selectors.free_beds_by_shelter(actor=actor))
        hooks.provide_referral_beds(
            lambda actor, referral: selectors.referral_beds(actor=actor, referral=referral)
        )
