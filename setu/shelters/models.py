"""Shelter capacity: bed groups with guarded counters, bed holds for referrals, stays, history.

A ``BedGroup`` is one kind of bed in one shelter (e.g. "girls under 18", 12 beds). It keeps four
counters: ``total``, ``held``, ``occupied`` and ``out_of_service``; free beds are what is left.
The database refuses any row where ``held + occupied + out_of_service > total`` or a counter is
negative, so no code path (a bug, a race, a hand-written query) can overbook a bed. Services
also lock the group row (``select_for_update``) before reading and changing it, so concurrent
holds and admissions queue on the row and see each other's result.

A ``BedHold`` row says who holds a bed for which referral until when; the ``held`` counter is
the number of active holds of the group (services keep the two in step under the row lock).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class BedKind(models.TextChoices):
    """Who a bed is for; shelters in India are licensed by age and sex."""

    GIRLS_UNDER_18 = "girls_u18", _("Girls under 18")
    WOMEN = "women", _("Women")
    BOYS_UNDER_18 = "boys_u18", _("Boys under 18")
    MEN = "men", _("Men")
    MOTHER_WITH_CHILD = "mother_child", _("Mother with child")


class BedGroup(BaseModel):
    """Beds of one kind in one shelter, with counters the database keeps consistent."""

    shelter = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="bed_groups"
    )
    kind = models.CharField(_("beds for"), max_length=16, choices=BedKind.choices)
    # Distinguishes two groups of the same kind (e.g. "ground floor, step-free").
    label = models.CharField(_("label"), max_length=60, blank=True)
    total = models.PositiveIntegerField(_("beds in total"), default=0)
    held = models.PositiveIntegerField(_("held for referrals"), default=0)
    occupied = models.PositiveIntegerField(_("occupied"), default=0)
    out_of_service = models.PositiveIntegerField(_("out of service"), default=0)
    languages = models.JSONField(_("languages spoken by staff"), default=list, blank=True)
    disability_access = models.BooleanField(_("accessible for disabled persons"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Who last set or confirmed the counts, and when: a stale count is worse than none.
    counts_confirmed_at = models.DateTimeField(_("counts confirmed at"), default=timezone.now)
    counts_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_nudged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shelter__name", "kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["shelter", "kind", "label"], name="bed_group_unique_kind_label"
            ),
            # The invariant that makes overbooking impossible, enforced by the database.
            models.CheckConstraint(
                condition=Q(held__gte=0)
                & Q(occupied__gte=0)
                & Q(out_of_service__gte=0)
                & Q(total__gte=F("held") + F("occupied") + F("out_of_service")),
                name="bed_group_counts_fit_total",
                violation_error_message=_(
                    "Beds held, occupied and out of service cannot exceed the beds in total."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.get_kind_display()}{label}"

    @property
    def free(self) -> int:
        """Beds neither held, occupied nor out of service (by the counters)."""
        return self.total - self.held - self.occupied - self.out_of_service

    @property
    def counters(self) -> list[tuple[str, str, int]]:
        """The counters a shelter sets by hand, with their labels (for the +/- buttons)."""
        return [
            ("total", str(_("Beds in total")), self.total),
            ("occupied", str(_("Occupied")), self.occupied),
            ("out_of_service", str(_("Out of service")), self.out_of_service),
        ]

    def get_languages_display(self) -> list[str]:
        """Names of the languages staff speak (codes the directory does not know shown as is)."""
        from setu.directory.selectors import Language

        return [str(Language(c).label) if c in Language.values else c for c in self.languages]

    @property
    def is_stale(self) -> bool:
        """Counts not confirmed within SETU_CAPACITY_STALE_HOURS: "call to confirm"."""
        hours = int(getattr(settings, "SETU_CAPACITY_STALE_HOURS", 24))
        return self.counts_confirmed_at < timezone.now() - datetime.timedelta(hours=hours)

    @property
    def owner_org_id(self) -> uuid.UUID:
        # The audit trail files the row under its shelter.
        return self.shelter_id


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("Held")
    ADMITTED = "admitted", _("Admitted")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Expired")


class ReleaseReason(models.TextChoices):
    BY_HOLDER = "by_holder", _("Released by the caseworker")
    BY_SHELTER = "by_shelter", _("Released by the shelter")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_CLOSED = "referral_closed", _("Referral closed")
    REHOLD = "rehold", _("Replaced by a new hold")
    EXPIRED = "expired", _("Hold time ran out")


class BedHold(BaseModel):
    """A bed held for a named referral until ``expires_at``, unless the shelter admits first; or,
    with no referral, for persons not yet recorded (a planned rescue), said in ``held_for``."""

    bed_group = models.ForeignKey(BedGroup, on_delete=models.PROTECT, related_name="holds")
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bed_holds",
    )
    # What a hold without a referral is for, as the shelter reads it ("Rescue (field
    # operation)"): never a name or a place, since the persons are not known yet.
    held_for = models.CharField(_("held for"), max_length=80, blank=True)
    # The organisation that asked for the hold; the shelter is bed_group.shelter.
    holder_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bed_holds"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.ACTIVE
    )
    expires_at = models.DateTimeField(_("held until"))
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_reason = models.CharField(
        _("why it ended"), max_length=20, choices=ReleaseReason.choices, blank=True
    )
    # The hold this one replaced (a re-hold), so the chain of holds on a referral is visible.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="active"),
                name="one_active_hold_per_referral",
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=False) | ~Q(held_for=""),
                name="bed_hold_for_a_referral_or_a_purpose",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["held_by", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.bed_group} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def owner_org_id(self) -> uuid.UUID:
        # Audited under the shelter that holds the bed.
        return self.bed_group.shelter_id

    @property
    def is_live(self) -> bool:
        """Active and not yet past its expiry (an expired hold counts as free before the sweep)."""
        return self.status == HoldStatus.ACTIVE and self.expires_at > timezone.now()


class ShelterStay(BaseModel):
    """A person's stay in a shelter bed, from admission to discharge."""

    bed_group = models.ForeignKey(BedGroup, on_delete=models.PROTECT, related_name="stays")
    # The shelter's own case; null when the person came through a bed hold of another org.
    case = models.ForeignKey(
        "registry.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hold = models.OneToOneField(
        BedHold, null=True, blank=True, on_delete=models.PROTECT, related_name="stay"
    )
    admission_event = models.ForeignKey(
        "registry.TraffickingEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    admitted_at = models.DateTimeField(_("admitted at"), default=timezone.now)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-admitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(discharged_at__isnull=True, person__isnull=False),
                name="one_open_stay_per_person",
            )
        ]

    @property
    def owner_org_id(self) -> uuid.UUID:
        # A stay belongs to its shelter.
        return self.bed_group.shelter_id


class CapacitySnapshot(models.Model):
    """The counts of one bed group after a change; the history behind the free-bed chart."""

    id = models.BigAutoField(primary_key=True)
    bed_group = models.ForeignKey(BedGroup, on_delete=models.CASCADE, related_name="snapshots")
    shelter = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    # Copied so history stays put if the shelter moves or the group changes kind.
    district = models.ForeignKey(
        "orgs.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.ForeignKey(
        "orgs.State", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=BedKind.choices)
    total = models.PositiveIntegerField()
    held = models.PositiveIntegerField()
    occupied = models.PositiveIntegerField()
    out_of_service = models.PositiveIntegerField()
    free = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    taken_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["taken_at", "id"]
        indexes = [models.Index(fields=["bed_group", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.free}/{self.total} free at {self.taken_at:%Y-%m-%d %H:%M}"


class UnmetReason(models.TextChoices):
    NO_FREE_BED = "no_free_bed", _("No free bed when a hold was tried")
    SEARCH_FOUND_NONE = "search_found_none", _("A search for a bed found none")
    DECLINED_NO_BED = "declined_no_bed", _("Shelter referral declined for lack of beds")


class UnmetDemand(BaseModel):
    """A time someone needed a bed and found none: counted per district, never with a name."""

    district = models.ForeignKey(
        "orgs.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.ForeignKey(
        "orgs.State", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("beds for"), max_length=16, choices=BedKind.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=UnmetReason.choices)
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who counted it, so that a worker retrying the same need is counted once (not shown).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "created_at"])]

    @property
    def owner_org_id(self) -> uuid.UUID | None:
        # Filed under the organisation that recorded it.
        return self.recorded_by_org_id
