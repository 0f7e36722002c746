"""Audit entries, and the seals that chain them; the database refuses UPDATE and DELETE on both.

An entry is written with the hash of its own content and no lock, so audited reads and writes
never queue behind each other. A single sealer later chains entries, in the order they
became visible, into ``AuditSeal`` rows; the chain lives there.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Locked out")
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed / searched")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    ARCHIVE = "archive", _("Archived")
    EXPORT = "export", _("Exported")
    SHARE = "share", _("Shared")
    UNSHARE = "unshare", _("Stopped sharing")
    CONSENT_GIVEN = "consent_given", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    DENIED = "denied", _("Denied")
    ADMIN = "admin", _("Administration")
    # Phone channels: what arrived and what was started, never the number or the text.
    INBOUND = "inbound", _("Received by phone")
    FLOW_START = "flow_start", _("Phone flow started")


class Outcome(models.TextChoices):
    OK = "ok", _("Allowed")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditEntry(models.Model):
    """One audited act. ``entry_hash`` is the SHA-256 of ``salt`` and the row's content."""

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor_user_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)  # username at the time
    actor_org_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OK)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # The organisation that owns the target, so each admin can search their own trail.
    target_org_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Random per entry, so two identical acts in the same microsecond still hash apart. Entries
    # written before sealing existed carry the previous entry's hash here, which hashes the same.
    salt = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"


class AuditSeal(models.Model):
    """One link of the chain: seals one entry after the previous seal, in sealing order."""

    position = models.BigIntegerField(primary_key=True)  # 1, 2, 3… with no gaps
    entry_seq = models.BigIntegerField(unique=True)  # no foreign key: a deleted entry must show
    entry_hash = models.CharField(max_length=64)  # the entry's hash when it was sealed
    prev_link = models.CharField(max_length=64)
    link_hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"seal {self.position} of entry #{self.entry_seq}"


class AuditPending(models.Model):
    """An entry written but not sealed yet: the sealer's work queue, filled in the entry's
    transaction so an entry committed late (a lower ``seq`` after a higher one) still waits here.
    """

    seq = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"entry #{self.seq} waiting for its seal"


class AuditHead(models.Model):
    """The sealer's row: the newest seal and the count. Only the sealer locks it, never readers.

    Verification compares it with the seals, so that deleting the newest seals is detected too.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)  # the entry sealed last
    last_hash = models.CharField(max_length=64, default="0" * 64)  # the newest seal's link hash
    count = models.BigIntegerField(default=0)  # seals, which is also the newest seal's position

    def __str__(self) -> str:
        return f"audit chain sealed up to position {self.count}"
