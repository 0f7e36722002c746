"""Entitlements: applications to government schemes, and victim-compensation claims with appeals.

Both belong to a case and its organisation and are scoped by the access policy like case data.
Every status change of an application is kept with its date, so delays and refusals show.
A compensation claim moves through stages: the application to the District Legal Services
Authority, then appeals to the State Legal Services Authority and the High Court.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class SchemeCategory(models.TextChoices):
    COMPENSATION = "compensation", _("Victim compensation")
    REHABILITATION = "rehabilitation", _("Rescue and rehabilitation")
    IDENTITY = "identity", _("Identity documents")
    FINANCIAL_INCLUSION = "financial", _("Bank account and financial inclusion")
    FOOD = "food", _("Food security")
    HEALTH = "health", _("Health")
    PENSION = "pension", _("Pension")
    HOUSING = "housing", _("Housing")
    LIVELIHOOD = "livelihood", _("Skills and livelihood")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class Scheme(BaseModel):
    """A government scheme survivors may apply to (a seeded list the network keeps up to date)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=SchemeCategory.choices)
    # Null for central (all-India) schemes.
    state = models.ForeignKey(
        "orgs.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DOCUMENTS_MISSING = "documents_missing", _("Documents missing")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid / received")
    REJECTED = "rejected", _("Rejected")


OPEN_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.APPLIED, ApplicationStatus.DOCUMENTS_MISSING, ApplicationStatus.APPROVED}
)


class SchemeApplication(BaseModel):
    """One survivor's application to one scheme, owned by the case's organisation."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    applied_on = models.DateField(_("applied on"), default=timezone.localdate)
    status_changed_on = models.DateField(_("status since"), default=timezone.localdate)
    reference_number = models.CharField(_("application number"), max_length=60, blank=True)
    amount = models.DecimalField(
        _("amount (₹)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-status_changed_on", "-created_at"]
        indexes = [models.Index(fields=["owner_org", "status"])]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.get_status_display()}"

    @property
    def days_in_status(self) -> int:
        return (timezone.localdate() - self.status_changed_on).days


class ApplicationStatusChange(BaseModel):
    """A dated move of an application from one status to another."""

    application = models.ForeignKey(
        SchemeApplication, on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_on", "created_at"]


class Forum(models.TextChoices):
    """Where a victim-compensation claim is decided, in the order appeals go."""

    DLSA = "dlsa", _("District Legal Services Authority")
    SLSA = "slsa", _("State Legal Services Authority")
    HIGH_COURT = "high_court", _("High Court")


# The next forum an appeal goes to.
APPEAL_TO = {Forum.DLSA: Forum.SLSA, Forum.SLSA: Forum.HIGH_COURT}


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    AWARDED = "awarded", _("Awarded")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Under appeal")
    CLOSED = "closed", _("Closed")


class CompensationClaim(BaseModel):
    """A survivor's victim-compensation claim, followed through every stage and appeal."""

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scheme or _('Victim compensation')}: {self.get_status_display()}"

    @property
    def first_stage(self) -> CompensationStage | None:
        """The application to the DLSA that opened the claim (from prefetched stages)."""
        stages = list(self.stages.all())
        return stages[0] if stages else None

    @property
    def current_stage(self) -> CompensationStage | None:
        """Where the claim stands now: its latest stage (the last appeal, if any)."""
        stages = list(self.stages.all())
        return stages[-1] if stages else None


class StageOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    INTERIM = "interim", _("Interim compensation awarded")
    AWARDED = "awarded", _("Awarded")
    REJECTED = "rejected", _("Rejected")


class CompensationStage(BaseModel):
    """One hearing of the claim at one forum (the first application, or an appeal)."""

    claim = models.ForeignKey(CompensationClaim, on_delete=models.CASCADE, related_name="stages")
    forum = models.CharField(_("forum"), max_length=12, choices=Forum.choices)
    appeal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    reference = models.CharField(_("file / case number"), max_length=60, blank=True)
    filed_on = models.DateField(_("filed on"), default=timezone.localdate)
    amount_claimed = models.DecimalField(
        _("amount claimed (₹)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    hearing_dates = models.JSONField(_("hearing dates"), default=list, blank=True)
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=StageOutcome.choices, default=StageOutcome.PENDING
    )
    order_on = models.DateField(_("order dated"), null=True, blank=True)
    order_summary = models.TextField(_("what the order says"), blank=True)
    amount_awarded = models.DecimalField(
        _("amount awarded (₹)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    amount_paid = models.DecimalField(
        _("amount paid (₹)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # The last day to appeal this order; limitation periods differ by state, so it is entered.
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_forum_display()}: {self.get_outcome_display()}"

    @property
    def days_to_appeal(self) -> int | None:
        if self.appeal_deadline is None or hasattr(self, "appeal"):
            return None
        return (self.appeal_deadline - timezone.localdate()).days
