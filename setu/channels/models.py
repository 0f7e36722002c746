"""What the channels app keeps: only which deliveries it has answered, by a keyed digest."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    MISSED_CALL = "missed_call", _("Missed call")
    FLOW = "flow", _("Flow result")


class Delivery(BaseModel):
    """One message, missed call or flow run already handled, remembered so that a gateway's
    re-delivery gets the same answer instead of being handled twice.

    ``digest`` is a keyed HMAC of the adapter, channel and the gateway's id: neither the number
    nor the text is stored, and the digest cannot be reversed without ``SECRET_KEY``. The reply
    is sealed (it may say what the sender asked about).
    """

    digest = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(max_length=16)
    # The keyword, line or flow purpose it went to (Setu's own words, never the sender's).
    label = models.CharField(max_length=64, blank=True)
    reply_sealed = models.TextField(blank=True)

    # Nothing personal is held in clear; the sealed reply still never reaches the trail.
    AUDIT_PERSONAL_FIELDS = ("reply_sealed",)

    class Meta:
        verbose_name = _("phone delivery")
        verbose_name_plural = _("phone deliveries")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.channel} delivery {self.pk}"
