"""Notices to users and their choice of channels. A notice never holds a survivor's personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class NoticeKind(models.TextChoices):
    """What a notice is about (decides its icon and which preference governs it)."""

    MATCH = "match", _("Possible match in another organisation")
    DUPLICATE = "duplicate", _("Possible duplicate in your organisation")
    LINK = "link", _("Records linked or unlinked")
    RETRAFFICKING = "retrafficking", _("Re-trafficking alert")
    MISSING_FOUND = "missing_found", _("Missing person possibly found")
    REFERRAL = "referral", _("Referral")
    FEEDBACK = "feedback", _("Serious complaint or survivor feedback")
    INTEL = "intel", _("Intelligence cross-reference")
    OTHER = "other", _("Other")


class Notification(BaseModel):
    """An in-app notice to one user; the message and link carry no personal data."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    message = models.CharField(_("message"), max_length=300)
    # A path inside Setu (UUIDs only), never a query string with names.
    url = models.CharField(_("link"), max_length=200, blank=True)
    # What the notice is about, as "app.model:uuid" (a pair, an alert, a referral): a user has
    # one notice per subject, updated when its news changes, so re-checks never pile up.
    subject = models.CharField(_("about"), max_length=80, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "subject"]),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(BaseModel):
    """Which channels a user receives notices on, besides the in-app inbox (always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("email"), default=True)
    sms = models.BooleanField(_("SMS / WhatsApp"), default=False)
    # Where SMS/WhatsApp notices go; staff's own work number, never a survivor's.
    sms_number = models.CharField(_("number for SMS / WhatsApp"), max_length=16, blank=True)
    urgent_only = models.BooleanField(
        _("only urgent notices (re-trafficking, missing person found) outside the inbox"),
        default=False,
    )
    # One email a day listing what waits (urgent notices still go out at once).
    digest = models.BooleanField(
        _("daily email digest instead of one email per notice"), default=False
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)
