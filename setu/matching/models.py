"""Matching state kept in the database, so every web worker and task sees the same index.

A ``MatchRecord`` holds the linkage engine's input for one registry person and its blocking
keys (``MatchKey`` rows), maintained by a task whenever the person changes. ``MatchPair`` is a
candidate pair found by the engine; each organisation acts on its own side. ``MatchLink`` rows
record confirmed links (ended, never deleted, on unlink). ``MatchDecision`` is the append-only
history of reviewers' decisions that calibrates the notice threshold. ``MatchAlert`` is a
re-trafficking or missing-person alert to one organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.crypto import EncryptedJSONField
from setu.core.models import BaseModel


class MatchingReach(models.TextChoices):
    """With whom a record may be matched, from the person's MATCHING consents in force."""

    NETWORK = "network", _("Every organisation in the network")
    NAMED = "named", _("Only the organisations named in the consent")
    OWN = "own", _("Only within the own organisation")


class MatchRecord(BaseModel):
    """The engine's view of one person (its PersonRecord as JSON) and their matching flags."""

    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, related_name="match_record"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Names, birth, parents, village and phone of the person: encrypted like the registry's
    # phone numbers (setu.core.crypto), so that the index keeps no readable copy of them.
    data = EncryptedJSONField(default=dict)
    # A network-wide MATCHING consent is in force: compared with every other organisation.
    cross_org = models.BooleanField(default=False)
    # Without a network-wide one: the other organisations (ids as text, sorted) that MATCHING
    # consents in force name; the record is compared with those organisations' records only.
    matching_orgs = models.JSONField(default=list, blank=True)
    # In a case with a missing-person report and not yet found since.
    missing_open = models.BooleanField(default=False)
    # Rescued, intercepted, sheltered or reintegrated at some point (a "found" person).
    found = models.BooleanField(default=False)
    engine_version = models.CharField(max_length=40, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["engine_version"])]

    @property
    def reach(self) -> str:
        """Network-wide, named organisations only, or own organisation only."""
        if self.cross_org:
            return MatchingReach.NETWORK
        return MatchingReach.NAMED if self.matching_orgs else MatchingReach.OWN

    def allows_matching_with(self, organisation_id: object) -> bool:
        """Whether this record's consent lets it be matched with a record of that organisation."""
        if str(organisation_id) == str(self.organisation_id):
            return True
        return self.cross_org or str(organisation_id) in self.matching_orgs


class MatchKey(models.Model):
    """One blocking key of a record; candidates are records sharing a key. Denormalised flags keep
    the candidate query on one index.

    Every record has one row per key with ``allowed_org_id`` empty (``cross_org`` set when its
    consent is network-wide). A record whose consent names organisations instead has, per key,
    one more row for each named organisation (``allowed_org_id``), so that a lookup by
    organisation O finds exactly the rows of records that may be matched with O.
    """

    id = models.BigAutoField(primary_key=True)
    record = models.ForeignKey(MatchRecord, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=120)
    organisation_id = models.UUIDField()
    cross_org = models.BooleanField(default=False)
    allowed_org_id = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            # id last: a key's newest postings are read in index order, never by scanning the
            # table backwards (candidate_records' fallback for oversized keys).
            models.Index(fields=["key", "cross_org", "id"], name="matchkey_key_cross_id"),
            models.Index(fields=["key", "organisation_id", "id"], name="matchkey_key_org_id"),
            models.Index(fields=["key", "allowed_org_id", "id"], name="matchkey_key_allowed_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "key"],
                condition=models.Q(allowed_org_id__isnull=True),
                name="matchkey_unique_per_record",
            ),
            models.UniqueConstraint(
                fields=["record", "key", "allowed_org_id"],
                condition=models.Q(allowed_org_id__isnull=False),
                name="matchkey_unique_per_allowed_org",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class PairKind(models.TextChoices):
    """Within one organisation (a possible duplicate) or across two."""

    DUPLICATE = "duplicate", _("Possible duplicate in one organisation")
    CROSS_ORG = "cross_org", _("Possible match across organisations")


class Band(models.TextChoices):
    """How strong a match is, in words; never the raw evidence."""

    STRONG = "strong", _("Strong")
    POSSIBLE = "possible", _("Possible")


class PairStatus(models.TextChoices):
    """Where a pair stands as a whole."""

    OPEN = "open", _("Waiting for review")
    LINK_REQUESTED = "link_requested", _("Link requested by one side")
    LINKED = "linked", _("Linked")
    DISMISSED = "dismissed", _("Dismissed")
    UNLINKED = "unlinked", _("Unlinked (was a false match)")
    WITHDRAWN = "withdrawn", _("Withdrawn: consent or record no longer allows matching")


class QueueUrgency(models.TextChoices):
    """How soon a pair in the review queue needs an answer, most urgent first."""

    RETRAFFICKING = "retrafficking", _("Re-trafficking alert")
    MISSING_FOUND = "missing_found", _("Missing ↔ found")
    CROSS_ORG = "cross_org", _("Across organisations")
    DUPLICATE = "duplicate", _("Within your organisation")


class SideState(models.TextChoices):
    """One organisation's answer on a pair."""

    PENDING = "pending", _("Not yet reviewed")
    CONFIRMED = "confirmed", _("Confirmed: same person")
    DISMISSED = "dismissed", _("Dismissed: not the same person")


class MatchPair(BaseModel):
    """Two persons the engine thinks may be one; side A has the smaller person id."""

    person_a = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    org_a = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    org_b = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=PairKind.choices)
    probability = models.FloatField()
    band = models.CharField(max_length=10, choices=Band.choices)
    # One record has an open missing report and the other was found (rescued, sheltered...).
    missing_found = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=PairStatus.choices, default=PairStatus.OPEN)
    a_state = models.CharField(max_length=10, choices=SideState.choices, default=SideState.PENDING)
    b_state = models.CharField(max_length=10, choices=SideState.choices, default=SideState.PENDING)
    a_reason = models.CharField(_("reason"), max_length=300, blank=True)
    b_reason = models.CharField(_("reason"), max_length=300, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="matchpair_unique"),
            models.CheckConstraint(
                condition=~models.Q(person_a=models.F("person_b")), name="matchpair_two_persons"
            ),
        ]
        indexes = [
            models.Index(fields=["org_a", "status"]),
            models.Index(fields=["org_b", "status"]),
        ]

    def side_of(self, organisation_id: object) -> str:
        """'a' or 'b' for the given organisation ('a' for a duplicate pair)."""
        return "a" if str(self.org_a_id) == str(organisation_id) else "b"

    def own_person_id(self, organisation_id: object) -> object:
        return self.person_a_id if self.side_of(organisation_id) == "a" else self.person_b_id

    def other_person_id(self, organisation_id: object) -> object:
        return self.person_b_id if self.side_of(organisation_id) == "a" else self.person_a_id

    def other_org_id(self, organisation_id: object) -> object:
        return self.org_b_id if self.side_of(organisation_id) == "a" else self.org_a_id


class MatchLink(BaseModel):
    """A confirmed link between two records; unlinking ends it, so both histories stay whole."""

    pair = models.ForeignKey(MatchPair, on_delete=models.CASCADE, related_name="links")
    linked_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-linked_at"]


class Decision(models.TextChoices):
    CONFIRM = "confirm", _("Same person")
    DISMISS = "dismiss", _("Not the same person")
    UNLINK = "unlink", _("Unlinked: false match")


class MatchDecision(BaseModel):
    """One reviewer's decision on a pair, with the score it had: calibrates the thresholds."""

    pair = models.ForeignKey(MatchPair, on_delete=models.CASCADE, related_name="decisions")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=8, choices=Decision.choices)
    probability = models.FloatField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]


class AlertKind(models.TextChoices):
    RETRAFFICKING = "retrafficking", _("Re-trafficking: a person seen before appears again")
    MISSING_FOUND = "missing_found", _("A missing person may have been found")


class MatchAlert(BaseModel):
    """An alert to one organisation about a person it holds; the new event's place and date only."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    pair = models.ForeignKey(
        MatchPair, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    event = models.ForeignKey(
        "registry.TraffickingEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied from the new event: the place (district/state) and date, nothing about the person.
    event_kind = models.CharField(max_length=24, blank=True)
    event_date = models.DateField(null=True, blank=True)
    district = models.ForeignKey(
        "orgs.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.ForeignKey(
        "orgs.State", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "event", "kind"], name="matchalert_once"
            )
        ]
