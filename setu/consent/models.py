"""Consent and the case shares it backs (HTCDS ``con_Consent``).

The tables keep their registry names (``registry_consent``, ``registry_caseshare``): the models
moved to this app without moving a row, and the audit trail's foreign keys and triggers are
untouched.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class ConsentScope(models.TextChoices):
    """What the person agreed may be shared."""

    MATCHING = "matching", _("Check my record against other organisations' records")
    IDENTITY = "identity", _("My name, age and photo")
    CONTACT = "contact", _("My phone and address")
    CASE_HISTORY = "case_history", _("What happened to me (case events)")
    SERVICES = "services", _("Services I have received")
    FAMILY = "family", _("Names and contact of my family, to trace them and return home")
    HEALTH = "health", _("Health information")
    LEGAL = "legal", _("Legal case information")
    STATISTICS = "statistics", _("Counts without my name, for research and policy")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The person")
    PARENT_GUARDIAN = "guardian", _("Parent or guardian")
    CWC = "cwc", _("Child Welfare Committee order")
    COURT = "court", _("Court order")


class ConsentQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date | None = None) -> ConsentQuerySet:
        """Consents given by ``day`` (today), never withdrawn, not expired (``rules.covering``)."""
        from setu.consent import rules

        return self.filter(rules.covering(day=day))


class Consent(BaseModel):
    """Consent to share, given by whom, when, with whom; withdrawn when (HTCDS con_Consent)."""

    # A guardian's name goes to the audit trail only as a mark (core.changes.Personal).
    AUDIT_PERSONAL_FIELDS = ("given_by_name",)

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="consents")
    scopes = models.JSONField(_("what may be shared"), default=list)
    # Null means every organisation in the network; otherwise only this one.
    recipient_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("with whom"),
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    given_by = models.CharField(
        _("given by"), max_length=12, choices=ConsentGiver.choices, default=ConsentGiver.SELF
    )
    given_by_name = models.CharField(
        _("name of the person giving consent"), max_length=150, blank=True
    )
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    # When the end (withdrawal or expiry) reached the shares and the subscribers; set once, so
    # the daily lapse sweep tells them about each expiry exactly once.
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        db_table = "registry_consent"
        ordering = ["-given_on", "-created_at"]

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        """Whether the consent is in force on ``day`` (``rules.covers`` with nothing to cover)."""
        from setu.consent import rules

        return rules.covers(self, day=day)


class CaseShare(BaseModel):
    """An explicit, consent-backed grant for another organisation to see a case."""

    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="shared_cases"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="shares")
    scopes = models.JSONField(_("what is shared"), default=list)
    reason = models.CharField(_("reason"), max_length=300)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Named people at the receiving organisation; if any are named, the share reaches only them.
    # A restricted case is shared only this way, by the owning organisation's admin.
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named people")
    )

    class Meta:
        db_table = "registry_caseshare"
        indexes = [
            models.Index(
                fields=["organisation", "revoked_at"], name="registry_ca_organis_3195fd_idx"
            )
        ]
