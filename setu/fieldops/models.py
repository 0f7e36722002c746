"""Field operations: a rescue, interception, home visit or court escort planned by a team of one
or more organisations; its SOP checklist; the safety check-ins of its members, the alerts a
missed check-in, a distress signal or a duress PIN raises, and each escalation step of an alert;
the debrief afterwards.

The target place is the most sensitive value in Setu: only the team sees it, the audit trail
holds only a mark (``AUDIT_PERSONAL_FIELDS``), and no notification or SMS ever carries it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.core.crypto import BlindIndexField, EncryptedTextField
from setu.core.models import BaseModel


class OperationKind(models.TextChoices):
    RESCUE = "rescue", _("Rescue")
    INTERCEPTION = "interception", _("Interception")
    HOME_VISIT = "home_visit", _("Home visit")
    COURT_ESCORT = "court_escort", _("Court escort")


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Operation(BaseModel):
    """One field operation, led by ``owner_org`` with partner organisations."""

    AUDIT_PERSONAL_FIELDS = ("target_place", "vehicles", "authority_name")

    owner_org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    partner_orgs = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OperationKind.choices)
    # A code name the team chooses; it may be shown in notices, so it must not name the place.
    code_name = models.CharField(_("code name"), max_length=60)
    # Encrypted at rest; the blind index finds the same place (case and punctuation ignored).
    target_place = EncryptedTextField(_("target place"), max_length=500)
    target_place_index = BlindIndexField(source="target_place", transform="words")
    district = models.ForeignKey(
        "orgs.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    planned_start = models.DateTimeField(_("planned start"))
    expected_end = models.DateTimeField(_("expected end"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OperationStatus.choices,
        default=OperationStatus.PLANNED,
    )
    vehicles = models.TextField(_("vehicles"), max_length=500, blank=True)
    receiving_shelter = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving shelter"),
    )
    bed_hold = models.ForeignKey(
        "shelters.BedHold", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authority_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("CWC or magistrate to inform"),
    )
    authority_name = models.CharField(_("magistrate or CWC bench"), max_length=200, blank=True)
    # A drill: its alerts say so and never page the police liaison.
    is_drill = models.BooleanField(_("drill (test mode)"), default=False)
    checkin_minutes = models.PositiveSmallIntegerField(_("check in every (minutes)"), default=30)
    grace_minutes = models.PositiveSmallIntegerField(_("grace period (minutes)"), default=5)
    step_minutes = models.PositiveSmallIntegerField(
        _("minutes between escalation steps"), default=5
    )
    # The escalation policy copied when the operation starts: steps, delays, recipients' ids.
    escalation_policy = models.JSONField(default=dict, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    sop_version = models.CharField(max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-planned_start"]
        indexes = [models.Index(fields=["owner_org", "status"])]

    def __str__(self) -> str:
        return self.code_name


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Team lead")
    MEMBER = "member", _("Team member")
    SAFETY_CONTACT = "safety_contact", _("Safety contact")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    FEMALE_OFFICER = "female_officer", _("Female officer")
    COUNSELLOR = "counsellor", _("Counsellor")
    INTERPRETER = "interpreter", _("Interpreter")
    MEDICAL = "medical", _("Medical support")


# Roles that stay at base and are not themselves on a check-in timer.
BASE_ROLES = frozenset({TeamRole.SAFETY_CONTACT})

# Who the SOP expects on the team for each kind of operation: women officers where women or
# girls are searched or moved (ITPA s.15(6A)), a counsellor, an interpreter and medical support
# for the persons met. The plan names a role nobody fills; it does not refuse to start, since
# an interpreter is not needed when the team speaks the survivor's language.
SUPPORT_ROLES: dict[str, tuple[TeamRole, ...]] = {
    OperationKind.RESCUE: (
        TeamRole.FEMALE_OFFICER,
        TeamRole.COUNSELLOR,
        TeamRole.INTERPRETER,
        TeamRole.MEDICAL,
    ),
    OperationKind.INTERCEPTION: (
        TeamRole.FEMALE_OFFICER,
        TeamRole.COUNSELLOR,
        TeamRole.INTERPRETER,
        TeamRole.MEDICAL,
    ),
    OperationKind.HOME_VISIT: (TeamRole.COUNSELLOR, TeamRole.INTERPRETER, TeamRole.MEDICAL),
    OperationKind.COURT_ESCORT: (TeamRole.FEMALE_OFFICER,),
}


class TeamMember(BaseModel):
    """A user on an operation's team, with their role, buddy and check-in timer."""

    AUDIT_PERSONAL_FIELDS = ("phone",)

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices)
    buddy = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("buddy"),
    )
    # The phone the member checks in from by SMS or missed call: digits as normalised (10 for
    # an Indian mobile), compared with the sender's normalised number; never logged.
    phone = models.CharField(_("phone for check-ins"), max_length=15, blank=True)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    duress_pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    shares_location = models.BooleanField(
        _("share my location during the operation"), default=False
    )
    on_timer = models.BooleanField(default=True)
    # The server-held timer: the member must check in before this moment.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_checkin_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "user"], name="fieldops_one_seat_per_user")
        ]
        indexes = [models.Index(fields=["next_due_at"])]

    @property
    def owner_org_id(self) -> object:
        return self.operation.owner_org_id


class CheckInKind(models.TextChoices):
    OK = "ok", _("Safe")
    # Looks like a safe check-in to anyone watching; escalates silently.
    DURESS = "duress", _("Safe")
    DISTRESS = "distress", _("Needs help")


class Channel(models.TextChoices):
    WEB = "web", _("Setu page")
    API = "api", _("App (API)")
    SMS = "sms", _("SMS")
    MISSED_CALL = "missed_call", _("Missed call")
    IVR = "ivr", _("Voice call (keypad)")


class CheckIn(BaseModel):
    """One check-in (safe, under duress, or a distress signal) of a team member."""

    AUDIT_PERSONAL_FIELDS = ("latitude", "longitude")

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="checkins")
    kind = models.CharField(max_length=10, choices=CheckInKind.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    # The client's id for this tap: a retry over a bad connection carries the same id.
    client_id = models.CharField(max_length=64)
    at = models.DateTimeField()
    # Coarse (two decimals, about a kilometre), only during the operation and with consent.
    latitude = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    longitude = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "client_id"], name="fieldops_checkin_once_per_client_id"
            )
        ]


class AlertReason(models.TextChoices):
    MISSED = "missed", _("Missed check-in")
    DISTRESS = "distress", _("Distress signal")
    DURESS = "duress", _("Silent alarm")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Someone is on it")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    CHECKED_IN = "checked_in", _("The member checked in")
    SAFE = "safe", _("Found safe")
    FALSE_ALARM = "false_alarm", _("False alarm")
    EMERGENCY = "emergency", _("Real emergency, handled")


class Alert(BaseModel):
    """A team member may be in danger: a check-in deadline passed, or a signal came in."""

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="alerts")
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField(max_length=10, choices=AlertReason.choices)
    # The check-in deadline that was missed, or the moment of the signal; steps count from it.
    deadline_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    is_drill = models.BooleanField(default=False)
    # When the next escalation step of an open alert falls due (None once every step is taken,
    # or the alert is claimed or resolved): the sweep selects only these rows, by index,
    # instead of locking every open alert each minute.
    next_step_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-deadline_at"]
        constraints = [
            # One alert per missed deadline (or signal moment) of a member.
            models.UniqueConstraint(
                fields=["member", "deadline_at", "reason"], name="fieldops_one_alert_per_deadline"
            )
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"]),
            models.Index(
                fields=["next_step_at"],
                condition=Q(next_step_at__isnull=False),
                name="fieldops_alert_step_due",
            ),
        ]

    @property
    def owner_org_id(self) -> object:
        return self.operation.owner_org_id


class EscalationStep(BaseModel):
    """One step of an alert's escalation, taken once: the prompt to the member (step 0), then
    buddy, team lead, safety contact and police liaison, as the frozen policy says."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=16)
    at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)
    # A drill does not page the police: the step is recorded as skipped.
    skipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["alert", "step"]
        constraints = [models.UniqueConstraint(fields=["alert", "step"], name="fieldops_step_once")]


class Phase(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")


class SopAdaptation(BaseModel):
    """An organisation's copy of the network's SOP checklist: steps left out and steps added."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    base_version = models.CharField(max_length=40)
    omitted = models.JSONField(default=list, blank=True)  # codes of base steps left out
    added = models.JSONField(default=list, blank=True)  # [{"phase", "title"}]
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


# Codes of the steps an organisation adds to its copy of the checklist ("own_1", "own_2"…).
OWN_STEP_PREFIX = "own_"


class StepState(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class ChecklistStep(BaseModel):
    """One SOP step of an operation, ticked with time and person, or skipped with a reason."""

    AUDIT_PERSONAL_FIELDS = ("skip_reason",)

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(max_length=40)
    phase = models.CharField(max_length=8, choices=Phase.choices)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    basis = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=8, choices=StepState.choices, default=StepState.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skip_reason = models.CharField(_("why it was skipped"), max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "code"], name="fieldops_step_code_once")
        ]

    @property
    def owner_org_id(self) -> object:
        return self.operation.owner_org_id

    @property
    def shown_title(self) -> str:
        """The title in the reader's language: the network's steps are translated
        (``sop_texts``); an organisation's own steps are shown as it wrote them."""
        return self.title if self.code.startswith(OWN_STEP_PREFIX) else gettext(self.title)


class Debrief(BaseModel):
    """What went well and what went wrong, for the team; and a lesson for the whole network."""

    AUDIT_PERSONAL_FIELDS = ("went_well", "went_wrong", "lesson")

    operation = models.OneToOneField(Operation, on_delete=models.CASCADE, related_name="debrief")
    went_well = models.TextField(_("what went well"), max_length=3000)
    went_wrong = models.TextField(_("what went wrong"), max_length=3000)
    # Shown to the network: no names, no places (the service refuses the team's and the place).
    lesson = models.TextField(_("lesson for the network (no names or places)"), max_length=1000)
    kind = models.CharField(max_length=16, choices=OperationKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def owner_org_id(self) -> object:
        return self.operation.owner_org_id


class Rescued(BaseModel):
    """A person rescued in an operation, recorded as a registry person in a registry case."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="rescued")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "person"], name="fieldops_rescued_once")
        ]
        indexes = [models.Index(fields=["case"])]


ACTIVE_ALERT = Q(status__in=[AlertStatus.OPEN, AlertStatus.CLAIMED])
