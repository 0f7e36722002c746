"""Organisations, India's states and districts (LGD), and memberships that give users roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class State(models.Model):
    """A state or union territory, keyed by its LGD code."""

    code = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10)  # "State" or "UT"
    iso_3166_2 = models.CharField(max_length=6)
    abbreviations = models.JSONField(default=list, blank=True)
    variants = models.JSONField(default=list, blank=True)
    former_names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district, keyed by its LGD code; variants and former names help match free text."""

    code = models.PositiveIntegerField(primary_key=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100)
    variants = models.JSONField(default=list, blank=True)
    former_names = models.JSONField(default=list, blank=True)
    census2011_code = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["state__name", "name"]
        indexes = [models.Index(fields=["state", "name"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.state.name}"


class OrganisationType(models.TextChoices):
    SOURCE_NGO = "source_ngo", _("Source-area NGO")
    DESTINATION_NGO = "destination_ngo", _("Destination-area NGO")
    POLICE_AHTU = "police_ahtu", _("Police Anti-Human Trafficking Unit")
    SHELTER_HOME = "shelter_home", _("Shelter / rehabilitation home")
    LEGAL_AID = "legal_aid", _("Legal aid organisation")
    GOVERNMENT_DEPARTMENT = "government_department", _("Government department")
    CHILD_WELFARE_COMMITTEE = "child_welfare_committee", _("Child Welfare Committee")
    SURVIVOR_COLLECTIVE = "survivor_collective", _("Survivor collective")
    NETWORK_BODY = "network_body", _("Network / coordinating body")


# HTCDS org_Type has no India-specific kinds; this is the closest standard code for export.
HTCDS_ORG_TYPE = {
    OrganisationType.SOURCE_NGO: "NGO",
    OrganisationType.DESTINATION_NGO: "NGO",
    OrganisationType.POLICE_AHTU: "LawEnforcement",
    OrganisationType.SHELTER_HOME: "NGO",
    OrganisationType.LEGAL_AID: "LegalService",
    OrganisationType.GOVERNMENT_DEPARTMENT: "LocalGovernmentOrganisation",
    OrganisationType.CHILD_WELFARE_COMMITTEE: "LocalGovernmentOrganisation",
    OrganisationType.SURVIVOR_COLLECTIVE: "NGO",
    OrganisationType.NETWORK_BODY: "NGO",
}


class Organisation(BaseModel):
    """A member organisation; it owns its persons and cases."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    org_type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    states = models.ManyToManyField(
        State, blank=True, related_name="organisations", verbose_name=_("states served")
    )
    districts = models.ManyToManyField(
        District, blank=True, related_name="organisations", verbose_name=_("districts served")
    )
    base_district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("based in"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    # A shelter that must not be found by traffickers hides its address from other organisations.
    address_is_confidential = models.BooleanField(_("address is confidential"), default=False)
    mfa_required = models.BooleanField(_("two-factor authentication required"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def htcds_org_type(self) -> str:
        return HTCDS_ORG_TYPE[OrganisationType(self.org_type)]


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation admin")
    CASEWORKER = "caseworker", _("Caseworker")
    COUNSELLOR = "counsellor", _("Counsellor")
    SHELTER_MANAGER = "shelter_manager", _("Shelter manager")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    FIELD_OFFICER = "field_officer", _("Field / rescue officer")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    ANALYST = "analyst", _("Analyst")
    # Survivor collectives are members of the network, not its subjects (issue 26).
    COLLECTIVE_LEADER = "collective_leader", _("Collective leader")
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")


class Membership(BaseModel):
    """Gives a user one role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Receives match notices and referrals addressed to the organisation.
    is_designated_contact = models.BooleanField(_("designated contact"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_user_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the account holder")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MembershipInvitation(BaseModel):
    """An offer of a role to an existing account; a membership exists only once its holder accepts.

    An admin cannot take over another organisation's staff account by adding it: the account
    holder signs in and accepts (or declines) the invitation first.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_designated_contact = models.BooleanField(_("designated contact"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_user_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation} ({self.status})"
