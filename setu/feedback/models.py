"""Survivor voice (issue 26): what survivors say about the police stations, courts, committees,
shelters, officials and schemes they met, given without an account and without a name.

Nothing here records who gave a piece of feedback. A ``Feedback`` row holds the answers, the
channel, the subject and the place; an ``Invitation`` holds only digests of its link token and
short code, and the response does not point back at it. The organisation a piece of feedback
is about never reads it one by one (``access.policy``, feedback section): it sees counts of
eleven or more, and the changes it recorded in answer ("you said, we did").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel

# The questions are few and fixed; a change of wording or scale is a new version, so answers
# given to different questions are never counted together.
QUESTIONNAIRE_VERSION = 1


class SubjectKind(models.TextChoices):
    """What kind of service, office or scheme feedback is about (perception questions recur
    for each kind, so reports compare like with like)."""

    POLICE_STATION = "police_station", _("Police station")
    COURT = "court", _("Court")
    CWC = "cwc", _("Child Welfare Committee")
    DLSA = "dlsa", _("District Legal Services Authority")
    SHELTER = "shelter", _("Shelter home")
    OFFICIAL = "official", _("Government official")
    SCHEME = "scheme", _("Government scheme")
    SERVICE = "service", _("Other service")


class Subject(BaseModel):
    """One police station, court, committee, shelter, office or scheme survivors can speak about,
    linked to the directory, scheme or organisation record where one exists."""

    kind = models.CharField(_("kind"), max_length=16, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        "orgs.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    # The member organisation concerned, if it is one: it never reads feedback one by one.
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation concerned"),
    )
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("directory entry"),
    )
    scheme = models.ForeignKey(
        "entitlements.Scheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scheme"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "district"], name="feedback_subject_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    """How the answers reached Setu."""

    WEB_LINK = "web_link", _("Personal web link")
    SHORT_CODE = "short_code", _("Short code on a card or SMS")
    SMS = "sms", _("SMS keyword")
    IVR = "ivr", _("Voice call (IVR)")
    ASSISTED = "assisted", _("Recorded by a caseworker on her behalf")


class Treated(models.IntegerChoices):
    """How she was treated, 1 (very badly) to 5 (very well); shown as faces."""

    VERY_BADLY = 1, _("Very badly")
    BADLY = 2, _("Badly")
    NEITHER = 3, _("Neither well nor badly")
    WELL = 4, _("Well")
    VERY_WELL = 5, _("Very well")


class Entitled(models.TextChoices):
    """Whether she got what she was entitled to."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Safe(models.TextChoices):
    """Whether she felt safe."""

    YES = "yes", _("Yes")
    NO = "no", _("No")


class Theme(models.TextChoices):
    """The network's shared framework of themes; open feedback is coded against it."""

    RESPECT = "respect", _("Treated with respect")
    DISRESPECT = "disrespect", _("Treated without respect")
    DELAY = "delay", _("Delay")
    BRIBE_DEMANDED = "bribe_demanded", _("Bribe demanded")
    LANGUAGE = "language", _("Language not understood")
    PRIVACY = "privacy", _("Privacy not kept")
    INFORMATION_GIVEN = "information_given", _("Information given")
    INFORMATION_MISSING = "information_missing", _("Information not given")
    BLAMED = "blamed", _("Blamed or shamed")
    UNSAFE = "unsafe", _("Felt unsafe")
    DOCUMENTS = "documents", _("Documents asked for again and again")
    PAYMENT = "payment", _("Money not received")
    HELPFUL = "helpful", _("Helpful staff")


class Lane(models.TextChoices):
    """Open feedback is coded and counted; a serious complaint goes to a handler outside the
    organisation concerned at once."""

    OPEN = "open", _("Open feedback")
    SERIOUS = "serious", _("Serious complaint")


class Serious(models.TextChoices):
    """What makes a complaint serious: harm done by staff of the organisation concerned."""

    ABUSE = "abuse", _("Abuse or violence")
    BRIBERY = "bribery", _("Bribery")
    THREATS = "threats", _("Threats")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation or harassment")


class Status(models.TextChoices):
    """Where a piece of feedback stands in closing the loop."""

    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed: she was satisfied")
    REOPENED = "reopened", _("Reopened: she was not satisfied")


class Campaign(BaseModel):
    """A batch of invitations about one subject, run by a collective or another member."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    name = models.CharField(_("name"), max_length=150)
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("about")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Invitation(BaseModel):
    """A personal, expiring, single-use invitation to give feedback: a web link and a short code.

    Only keyed digests of the token and code are kept (``feedback.tokens``), so a copy of the
    database hands out no working link. Nothing names the person it was given to, and the
    feedback given with it does not point back at it.
    """

    issued_by_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT)
    subject = models.ForeignKey(Subject, null=True, blank=True, on_delete=models.PROTECT)
    token_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["issued_by_org", "created_at"])]


class Feedback(BaseModel):
    """One survivor's answers about one subject. No name, number or account: who gave it is
    not recorded; a caseworker's help is marked, not who she helped."""

    AUDIT_PERSONAL_FIELDS = ("comment", "response_note")

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name=_("about"))
    # Copied from the subject when given, so the policy and reports need no join, and a later
    # edit of the subject does not move old answers.
    concerns_org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "orgs.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    assisted = models.BooleanField(_("recorded with a caseworker's help"), default=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    questionnaire_version = models.PositiveSmallIntegerField(default=QUESTIONNAIRE_VERSION)
    given_on = models.DateField(_("given on"))
    treated = models.PositiveSmallIntegerField(
        _("how she was treated"), null=True, blank=True, choices=Treated.choices
    )
    entitled = models.CharField(
        _("got what she was entitled to"), max_length=8, blank=True, choices=Entitled.choices
    )
    felt_safe = models.CharField(_("felt safe"), max_length=4, blank=True, choices=Safe.choices)
    comment = models.TextField(_("anything else"), blank=True)
    lane = models.CharField(_("lane"), max_length=8, choices=Lane.choices, default=Lane.OPEN)
    serious_kind = models.CharField(
        _("serious complaint"), max_length=20, blank=True, choices=Serious.choices
    )
    # The complaints handler it was routed to: outside the organisation concerned.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("complaints handler"),
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # What the network says back to her; she reads it with her follow-up code.
    response_note = models.TextField(_("answer to her"), blank=True)
    satisfied = models.CharField(max_length=4, blank=True, choices=Safe.choices)
    followup_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    followup_expires_at = models.DateTimeField(null=True, blank=True)
    # The flow engine's run id, so a second delivery of the same run adds nothing.
    run_id = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-created_at"]
        indexes = [
            models.Index(fields=["lane", "status"]),
            models.Index(fields=["kind", "given_on"]),
            models.Index(fields=["concerns_org", "given_on"]),
            models.Index(fields=["district", "given_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(treated__isnull=True) | models.Q(treated__gte=1, treated__lte=5),
                name="feedback_treated_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(lane="open", serious_kind="")
                | models.Q(lane="serious") & ~models.Q(serious_kind=""),
                name="feedback_serious_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.given_on:%d-%m-%Y}"


class ChangeNote(BaseModel):
    """ "You said, we did": what an organisation changed in answer to feedback; public to
    survivors on the feedback pages."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    theme = models.CharField(_("theme"), max_length=24, blank=True, choices=Theme.choices)
    you_said = models.CharField(_("you said"), max_length=300)
    we_did = models.CharField(_("we did"), max_length=300)
    published_on = models.DateField(_("published on"))

    class Meta:
        ordering = ["-published_on", "-created_at"]


class ComplaintDesk(BaseModel):
    """A named handler of serious complaints, in a network body or collective; complaints go to
    the first desk outside the organisation concerned."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "handler"], name="feedback_desk_uniq")
        ]
