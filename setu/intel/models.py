"""Intelligence about the people and means behind a case: perpetrators (persons and
organisations such as placement agencies), their identifiers (phones, UPI IDs, accounts,
vehicles, handles, web addresses…), the cross-reference index that finds the same value in
other organisations' cases, and the intelligence-sharing agreements between organisations.

Every item belongs to a registry case and to the case's organisation, and records where it
came from (source) and who recorded it. Names and identifier values are personal data: the
audit trail marks that they changed, never what they are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class PerpetratorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class PerpetratorRole(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter")
    EMPLOYER = "employer", _("Employer")
    PLACEMENT_AGENT = "placement_agent", _("Placement agent or agency")
    HARBOURER = "harbourer", _("Harbourer (kept the victim)")
    EXPLOITER = "exploiter", _("Exploiter (brothel, factory or household)")
    FINANCIER = "financier", _("Financier (paid or received money)")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    """Where an item of intelligence came from: prosecutors weigh it by its source."""

    SURVIVOR = "survivor", _("Survivor's statement")
    FAMILY = "family", _("Family's statement")
    WITNESS = "witness", _("Witness statement")
    FIR = "fir", _("FIR")
    CHARGESHEET = "chargesheet", _("Chargesheet")
    PHONE_SEIZURE = "phone_seizure", _("Seized phone")
    BANK_RECORDS = "bank_records", _("Bank or payment records")
    FIELD = "field", _("Field inquiry")
    OPEN_SOURCE = "open_source", _("Online or published source")
    OTHER = "other", _("Other")


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    UPI = "upi", _("UPI ID")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    VEHICLE = "vehicle", _("Vehicle registration")
    HANDLE = "handle", _("Social media or messaging handle")
    URL = "url", _("Website or online advertisement")
    EMAIL = "email", _("E-mail address")
    ADDRESS = "address", _("Address")
    GSTIN = "gstin", _("GST number")
    PAN = "pan", _("PAN")
    REGISTRATION = "registration", _("Registration or licence number")


# The cross-reference index also holds perpetrators' names (and aliases) under this kind.
NAME_KIND = "name"
KEY_KINDS = [*IdentifierKind.choices, (NAME_KIND, _("Name"))]


class Perpetrator(BaseModel):
    """A person or organisation alleged to have taken part in the trafficking of a case."""

    AUDIT_PERSONAL_FIELDS = ("name", "aliases", "note")

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("person or organisation"),
        max_length=12,
        choices=PerpetratorKind.choices,
        default=PerpetratorKind.PERSON,
    )
    name = models.CharField(_("name"), max_length=150)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=PerpetratorRole.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "name"]
        indexes = [models.Index(fields=["owner_org", "created_at"])]

    def __str__(self) -> str:
        return self.name


class Identifier(BaseModel):
    """A phone, UPI ID, account, vehicle, handle, web address or number seen in a case: its
    canonical value (compared across organisations) and the value as it was written."""

    AUDIT_PERSONAL_FIELDS = ("value", "raw", "note")

    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    perpetrator = models.ForeignKey(
        Perpetrator,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identifiers",
        verbose_name=_("whose"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=300)
    raw = models.CharField(_("as written"), max_length=300)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    first_seen = models.DateField(_("first seen"), null=True, blank=True)
    last_seen = models.DateField(_("last seen"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "value"], name="intel_identifier_once_per_case"
            ),
            models.CheckConstraint(
                condition=Q(first_seen__isnull=True)
                | Q(last_seen__isnull=True)
                | Q(last_seen__gte=F("first_seen")),
                name="intel_identifier_seen_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}"


class IntelKey(models.Model):
    """One row of the cross-reference index: a canonical value (identifier or name key) in a
    case. Kept by the services in the same transaction as the item it indexes."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=16, choices=KEY_KINDS)
    value = models.CharField(max_length=300)
    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="+")
    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    identifier = models.ForeignKey(
        Identifier, null=True, blank=True, on_delete=models.CASCADE, related_name="keys"
    )
    perpetrator = models.ForeignKey(
        Perpetrator, null=True, blank=True, on_delete=models.CASCADE, related_name="keys"
    )
    # The case's ``is_restricted``, copied here so that the agreement rule (access.policy) never
    # reads another organisation's case row, which row-level security withholds from it. Kept
    # by the services: set when the row is made, followed when the case's restriction changes.
    case_restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "value"], name="intel_key_lookup"),
            models.Index(fields=["case"], name="intel_key_case"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class IntelLink(BaseModel):
    """The same value in two organisations' cases: found once, alerted once, listed to both."""

    key_a = models.ForeignKey(IntelKey, on_delete=models.CASCADE, related_name="+")
    key_b = models.ForeignKey(IntelKey, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=KEY_KINDS)
    org_a = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_b = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key_a", "key_b"], name="intel_link_once_per_pair")
        ]
        indexes = [
            models.Index(fields=["org_a", "created_at"]),
            models.Index(fields=["org_b", "created_at"]),
            # The partner rule reads the links between two organisations (access.policy).
            models.Index(fields=["org_a", "org_b"], name="intel_link_org_pair"),
        ]


class SharingAgreement(BaseModel):
    """Two organisations agree to show each other's police liaisons and legal officers the
    details of intelligence both hold; live only once the partner accepted, between its dates,
    until either side withdraws."""

    proposer_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer_org=F("partner_org")), name="intel_agreement_two_orgs"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="intel_agreement_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"
