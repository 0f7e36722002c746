"""Referrals: one organisation asks another to serve a person, sharing only what she consented to.

A referral moves sent -> accepted | declined -> in_progress -> completed | closed; the allowed
moves are in ``TRANSITIONS`` and enforced by ``setu/referrals/services.py``. Every move is kept
in ``ReferralEvent`` so both sides see the same history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel
from setu.directory.selectors import ServiceType


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")


# Allowed moves. Closing is possible from any open state (the person left, the need lapsed).
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CLOSED}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.IN_PROGRESS, ReferralStatus.CLOSED}),
    ReferralStatus.IN_PROGRESS: frozenset({ReferralStatus.COMPLETED, ReferralStatus.CLOSED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS}
)


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency – today")
    URGENT = "urgent", _("Urgent – within 3 days")
    ROUTINE = "routine", _("Routine")


class ReferralKind(models.TextChoices):
    SERVICE = "service", _("Referral to a service")
    TRANSFER = "transfer", _("Inter-state transfer")
    REPATRIATION = "repatriation", _("Repatriation / restoration home")


# Transfers and repatriations move a person physically: the handover must be complete first.
HANDOVER_KINDS = frozenset({ReferralKind.TRANSFER, ReferralKind.REPATRIATION})


class Referral(BaseModel):
    """A request from one organisation to another to serve a person of one of its cases."""

    from_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    to_service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("service"),
    )
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="referrals"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ReferralKind.choices, default=ReferralKind.SERVICE
    )
    need = models.CharField(_("need"), max_length=24, choices=ServiceType.choices)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    # Seen by the receiving organisation: must say what is needed, not retell the case.
    message = models.TextField(_("message to the receiving organisation"), blank=True)
    # Exactly the consent scopes shared; the receiving side is shown these and nothing else.
    shared_scopes = models.JSONField(_("what is shared"), default=list)
    consent = models.ForeignKey(
        "consent.Consent", on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when the person's consent was found withdrawn or expired; nothing is shown after it.
    sharing_stopped_at = models.DateTimeField(_("sharing stopped at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    # Handover checklist (transfers and repatriations only).
    escort_arranged = models.BooleanField(_("escort arranged"), default=False)
    escort_details = models.CharField(_("escort"), max_length=200, blank=True)
    documents_handed_over = models.JSONField(_("documents handed over"), default=list, blank=True)
    receiving_authority = models.CharField(
        _("receiving CWC or shelter"), max_length=200, blank=True
    )
    travel_date = models.DateField(_("travel date"), null=True, blank=True)
    received_confirmed_at = models.DateTimeField(_("arrival confirmed at"), null=True, blank=True)
    received_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_org", "status"]),
            models.Index(fields=["from_org", "status"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_need_display()} → {self.to_org}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def needs_handover(self) -> bool:
        return self.kind in HANDOVER_KINDS

    def handover_missing(self) -> list[str]:
        """Checklist items still missing before a transfer or repatriation may be completed."""
        if not self.needs_handover:
            return []
        missing = []
        if not self.escort_arranged:
            missing.append(str(_("escort arranged")))
        if not self.documents_handed_over:
            missing.append(str(_("documents handed over")))
        if not self.receiving_authority.strip():
            missing.append(str(_("receiving CWC or shelter named")))
        if not self.travel_date:
            missing.append(str(_("travel date")))
        if not self.received_confirmed_at:
            missing.append(str(_("arrival confirmed by the receiving side")))
        return missing


class EventKind(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    STARTED = "in_progress", _("Work started")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    HANDOVER = "handover", _("Handover checklist updated")
    RECEIVED = "received", _("Arrival confirmed")
    REMINDER = "reminder", _("Reminder sent")
    SHARING_STOPPED = "sharing_stopped", _("Sharing stopped: consent withdrawn or expired")


class ReferralEvent(BaseModel):
    """One entry of a referral's history (who, what, when), seen by both organisations."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReferralStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at"]
