"""Row-level security on match links, decisions and alerts, and on notices (issue 28, promise 1;
migration ``access 0008``); the flows that cross organisations on purpose still work as
``setu_app``; bed holds stay outside row-level security, for the reason the docs give; and the
audit entries of no organisation are read by system work only.

PostgreSQL only. Set-up runs as the owner; the checks ``SET ROLE setu_app``. The tests of the
four tables fail without the migration, where ``setu_app`` reads every row.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from setu.access import rls
from setu.access.actor import actor_for_user
from setu.access.roles import SYSTEM_ROLE
from setu.access.tests import test_rls
from setu.access.tests.test_rls import _as, _sql
from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry
from setu.matching import selectors as matching_selectors
from setu.matching import services as matching
from setu.matching import tasks
from setu.matching.models import (
    AlertKind,
    Decision,
    MatchAlert,
    MatchDecision,
    MatchLink,
    PairStatus,
)
from setu.matching.tests import factories as f
from setu.notifications import services as notices
from setu.notifications.models import NoticeKind, Notification, NotificationPreference
from setu.orgs.models import Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from setu.registry import services as registry
from setu.registry.models import EventKind
from setu.shelters import services as shelters
from setu.shelters.models import BedHold, HoldStatus
from setu.shelters.tests.factories import BedGroupFactory, member

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]

roles = test_rls.roles  # the fixture creating setu_app and setu_system
world = test_rls.world  # A with its case; B with a hidden one and cases shared with A


def _seen(model, org, user=None) -> set:
    """What a query that forgets the policy returns as setu_app acting for ``org`` (as
    ``user``)."""
    _as("setu_app")
    try:
        rls.bind(org.pk if org else None, user.pk if user else None)
        return set(model.objects.order_by().values_list("pk", flat=True))
    finally:
        rls.unbind()
        _sql("RESET ROLE")


# --- Links and decisions follow their pair; alerts their organisation ----------------------


@pytest.fixture
def pairs(world):
    """A pair across A and B, one within B; each with a link, a decision and an alert."""
    across = f.pair_between(world["own"].person, world["hidden"].person)
    within_b = f.pair_between(world["hidden"].person, world["live"].person)
    rows = {}
    for name, pair in (("across", across), ("within_b", within_b)):
        rows[name] = {
            "pair": pair,
            "link": MatchLink.objects.create(pair=pair, linked_at=timezone.now()),
            "decision": MatchDecision.objects.create(
                pair=pair,
                organisation_id=pair.org_b_id,
                decision=Decision.CONFIRM,
                probability=0.9,
            ),
        }
    rows["alert_a"] = MatchAlert.objects.create(
        organisation=world["a"], person=world["own"].person, kind=AlertKind.RETRAFFICKING
    )
    rows["alert_b"] = MatchAlert.objects.create(
        organisation=world["b"], person=world["hidden"].person, kind=AlertKind.MISSING_FOUND
    )
    return rows


@pytest.mark.parametrize(("model", "key"), [(MatchLink, "link"), (MatchDecision, "decision")])
def test_links_and_decisions_follow_their_pair(roles, world, pairs, model, key):
    assert _seen(model, world["a"]) == {pairs["across"][key].pk}
    assert _seen(model, world["b"]) == {pairs["across"][key].pk, pairs["within_b"][key].pk}
    assert _seen(model, OrganisationFactory(name="C")) == set()
    assert _seen(model, None) == set()


def test_an_alert_is_its_organisations_only(roles, world, pairs):
    assert _seen(MatchAlert, world["a"]) == {pairs["alert_a"].pk}
    assert _seen(MatchAlert, world["b"]) == {pairs["alert_b"].pk}


def test_a_side_writes_only_its_own_decisions_links_and_alerts(roles, world, pairs):
    across, within_b = pairs["across"]["pair"], pairs["within_b"]["pair"]
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        # Its own side of the pair across: a decision in its own name, a link.
        MatchDecision.objects.create(
            pair=across, organisation=world["a"], decision=Decision.DISMISS, probability=0.9
        )
        assert MatchLink.objects.filter(pair=across).update(end_reason="wrong") == 1
        # Not in B's name, not on B's own pair, not B's alert.
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            MatchDecision.objects.create(
                pair=across, organisation=world["b"], decision=Decision.CONFIRM, probability=0.9
            )
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            MatchLink.objects.create(pair=within_b, linked_at=timezone.now())
        assert MatchLink.objects.filter(pair=within_b).update(end_reason="x") == 0
        assert MatchAlert.objects.filter(pk=pairs["alert_b"].pk).update(band="weak") == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            MatchAlert.objects.create(
                organisation=world["b"], person=world["hidden"].person, kind=AlertKind.RETRAFFICKING
            )
    _sql("RESET ROLE")


def test_the_calibration_counts_every_organisations_decisions_under_setu_app(roles, world, pairs):
    """A network coordinator's calibration reads every decision (a system read); the same
    request's own query afterwards sees only the decisions on its organisation's pairs."""
    c = OrganisationFactory(name="C")
    coordinator = actor_for_user(
        MembershipFactory(organisation=c, role=Role.NETWORK_COORDINATOR).user
    )
    as_owner = matching_selectors.calibration(actor=coordinator)
    _as("setu_app")
    rls.bind(c.pk, coordinator.user.pk)
    as_app = matching_selectors.calibration(actor=coordinator)
    after = MatchDecision.objects.count()
    rls.unbind()
    _sql("RESET ROLE")
    assert sum(b.decided for b in as_owner.bands) == 2
    assert as_app == as_owner
    assert after == 0


# --- Notices are their recipient's ----------------------------------------------------------


@pytest.fixture
def inbox(world):
    """Two members of A and one of B, a notice each; a user with no organisation, one too."""
    users = {
        "a1": MembershipFactory(organisation=world["a"]).user,
        "a2": MembershipFactory(organisation=world["a"]).user,
        "b1": MembershipFactory(organisation=world["b"]).user,
        "none": UserFactory(),
    }
    notes = {
        who: Notification.objects.create(recipient=user, kind=NoticeKind.OTHER, message="x")
        for who, user in users.items()
    }
    return users, notes


def test_a_notice_is_read_and_written_by_its_recipient_only(roles, world, inbox):
    users, notes = inbox
    assert _seen(Notification, world["a"], users["a1"]) == {notes["a1"].pk}
    # A colleague's notices stay closed; so does everything without a user bound.
    assert _seen(Notification, world["a"]) == set()
    # An account acting for no organisation (an invitee, a platform admin) reads its own.
    assert _seen(Notification, None, users["none"]) == {notes["none"].pk}
    _as("setu_app")
    rls.bind(world["a"].pk, users["a1"].pk)
    assert Notification.objects.filter(pk=notes["a2"].pk).update(read_at=timezone.now()) == 0
    assert Notification.objects.filter(pk=notes["a1"].pk).update(read_at=timezone.now()) == 1
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        Notification.objects.create(recipient=users["b1"], kind=NoticeKind.OTHER, message="y")
    rls.unbind()
    _sql("RESET ROLE")


def test_the_fan_out_reaches_other_organisations_and_settles_under_setu_app(
    roles, world, inbox, django_capture_on_commit_callbacks
):
    """A notice to another organisation's users and to colleagues is system work; the acting
    user's own query still sees only their own notices afterwards."""
    users, notes = inbox
    _as("setu_app")
    rls.bind(world["a"].pk, users["a1"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        sent = notices.notification_send(
            recipients=[users["a2"], users["b1"]], kind=NoticeKind.MATCH, message="m",
            subject="matching.matchpair:1",
        )  # fmt: skip
        # The same subject again updates the earlier notice instead of adding one.
        notices.notification_send(
            recipients=[users["b1"]], kind=NoticeKind.MATCH, message="m2",
            subject="matching.matchpair:1",
        )  # fmt: skip
    settled = notices.notification_settle(
        recipients=[users["a1"], users["a2"]], subject="matching.matchpair:1"
    )
    own = set(Notification.objects.values_list("pk", flat=True))
    rls.unbind()
    _sql("RESET ROLE")
    assert sent == 2 and settled == 1
    assert own == {notes["a1"].pk}
    theirs = Notification.objects.get(recipient=users["b1"], subject="matching.matchpair:1")
    assert theirs.message == "m2" and theirs.read_at is None
    assert Notification.objects.get(recipient=users["a2"], subject="matching.matchpair:1").read_at
    assert {m.to[0] for m in mail.outbox} == {users["a2"].email, users["b1"].email}


def test_the_daily_digest_reads_every_users_notices_from_cron_as_setu_app(
    roles, world, inbox, django_capture_on_commit_callbacks
):
    users, _notes = inbox
    NotificationPreference.objects.create(user=users["b1"], digest=True)
    _as("setu_app")
    rls.unbind()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notices.digest_send()
    _sql("RESET ROLE")
    assert sent == 1
    assert mail.outbox[-1].to == [users["b1"].email] and "1 other notice" in mail.outbox[-1].body


# --- The matcher's alerts and the review flow as setu_app -------------------------------------


@pytest.fixture
def net(roles):
    net = f.network()
    net.missing, _ = f.missing_girl(net.source)
    net.rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(net.missing)
    f.consent_matching(net.rescued)
    return net


def _as_member(org, membership) -> None:
    _as("setu_app")
    rls.bind(org.pk, membership.user.pk)


def test_alerts_decisions_and_links_across_organisations_under_setu_app(
    net, django_capture_on_commit_callbacks
):
    """The check (a task, in the system scope) alerts the organisation holding the missing
    report; both sides confirm and link in their own requests; a new interception alerts the
    organisation that rescued her; the alert is acknowledged; the pair is unlinked."""
    _as_member(net.dest, net.dest_contact)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.person_changed.enqueue(person_id=str(net.missing.pk))
        tasks.person_changed.enqueue(person_id=str(net.rescued.pk))
    pair = matching_selectors.pair_list(actor=net.actor("dest_contact")).get()
    _as_member(net.source, net.source_contact)
    alert = MatchAlert.objects.get()
    assert alert.kind == AlertKind.MISSING_FOUND
    matching.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    _as_member(net.dest, net.dest_contact)
    matching.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    assert MatchLink.objects.filter(pair=pair).count() == 1
    assert MatchDecision.objects.filter(pair=pair).count() == 2
    # The source records an interception: the destination, which rescued her, is alerted.
    _as_member(net.source, net.source_contact)
    new_case = f.CaseFactory(owner_org=net.source)
    f.CasePersonFactory(case=new_case, person=net.missing)
    with django_capture_on_commit_callbacks(execute=True):
        registry.event_add(
            actor=net.actor("source_contact"), case=new_case, kind=EventKind.INTERCEPTION,
            person=net.missing, occurred_on=datetime.date(2025, 9, 1),
        )  # fmt: skip
    _as_member(net.dest, net.dest_contact)
    retrafficking = MatchAlert.objects.get(kind=AlertKind.RETRAFFICKING)
    matching.alert_acknowledge(actor=net.actor("dest_contact"), alert_id=retrafficking.pk)
    matching.pair_unlink(actor=net.actor("dest_contact"), pair_id=pair.pk, reason="Other girl")
    mine = set(Notification.objects.values_list("recipient_id", flat=True))
    rls.unbind()
    _sql("RESET ROLE")
    assert retrafficking.organisation_id == net.dest.pk
    assert MatchAlert.objects.get(pk=retrafficking.pk).acknowledged_at is not None
    assert MatchLink.objects.get(pair=pair).ended_at is not None
    pair.refresh_from_db()
    assert pair.status == PairStatus.UNLINKED
    assert mine == {net.dest_contact.user.pk}
    assert Notification.objects.filter(recipient=net.source_contact.user).exists()


def test_the_network_sweep_raises_alerts_as_the_system_role(net):
    """``setu matching rematch`` ends with the re-trafficking sweep, run from cron as
    setu_system acting for no organisation (docs/deployment.md)."""
    matching.records_refresh([net.missing.pk, net.rescued.pk])
    matching.person_check(person_id=net.rescued.pk)
    pair = matching_selectors.pair_list(actor=net.actor("dest_contact")).get()
    matching.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    matching.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    MatchAlert.objects.all().delete()
    new_case = f.CaseFactory(owner_org=net.source)
    f.CasePersonFactory(case=new_case, person=net.missing)
    f.EventFactory(case=new_case, person=net.missing, kind=EventKind.INTERCEPTION,
                   occurred_on=datetime.date(2025, 9, 1))  # fmt: skip
    _as(SYSTEM_ROLE)
    rls.unbind()
    made = matching.retrafficking_sweep()
    _sql("RESET ROLE")
    assert made >= 1
    assert MatchAlert.objects.filter(organisation=net.dest, kind=AlertKind.RETRAFFICKING).exists()


# --- Bed holds stay outside row-level security ----------------------------------------------


HOLD_POLICY = """
ALTER TABLE shelters_bedhold ENABLE ROW LEVEL SECURITY;
CREATE POLICY setu_try ON shelters_bedhold FOR ALL
  USING (holder_org_id = (SELECT setu_rls_org()) OR EXISTS (SELECT 1 FROM shelters_bedgroup g
         WHERE g.id = bed_group_id AND g.shelter_id = (SELECT setu_rls_org())))
  WITH CHECK (holder_org_id = (SELECT setu_rls_org()));
"""


@pytest.mark.parametrize("covered", [False, True], ids=["as_deployed", "if_covered"])
def test_another_organisations_expired_hold_gives_its_bed_back_to_the_next_holder(roles, covered):
    """The shelter's last bed is held by B, and B's hold has run out. A's caseworker asks for
    the bed: holding it first ends every due hold on the bed group, whoever made it. Under a
    rule limiting holds to their holder and shelter (``if_covered``, made in this test only),
    A cannot see B's hold, the bed stays counted as held, and A is refused a free bed. That is
    why ``shelters_bedhold`` carries no row-level security (docs/row-level-security.md)."""
    assert _sql("SELECT relrowsecurity FROM pg_class WHERE relname = 'shelters_bedhold'") == [
        (False,)
    ]
    if covered:
        # Before any row is written: PostgreSQL alters no table with pending constraint checks.
        _sql(HOLD_POLICY)
    group = BedGroupFactory(total=1)
    a, b = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    theirs = shelters.bed_hold_create_unreferred(
        actor=member(b), bed_group=group, held_for="rescue",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    BedHold.objects.filter(pk=theirs.pk).update(expires_at=timezone.now())
    caseworker = member(a)
    _as("setu_app")
    rls.bind(a.pk, caseworker.user.pk)
    try:
        with transaction.atomic():
            mine = shelters.bed_hold_create_unreferred(
                actor=caseworker, bed_group=group, held_for="rescue",
                expires_at=timezone.now() + datetime.timedelta(hours=1),
            )  # fmt: skip
    except shelters.NoBedFree:
        mine = None
    rls.unbind()
    _sql("RESET ROLE")
    if covered:
        assert mine is None
        assert BedHold.objects.get(pk=theirs.pk).status == HoldStatus.ACTIVE
    else:
        assert mine is not None and mine.holder_org_id == a.pk
        assert BedHold.objects.get(pk=theirs.pk).status == HoldStatus.EXPIRED


# --- Audit entries of no organisation --------------------------------------------------------


def test_an_entry_of_no_organisation_is_read_by_system_work_only(roles, world):
    """A failed login or a platform admin's act names no organisation. No request reads it,
    not even a platform admin's (who acts for no organisation); the system role does, and
    ``setu audit verify`` run as the app's role counts it."""
    platform_admin = UserFactory(is_platform_admin=True)
    entry = audit.record(
        actor=None, action=AuditAction.LOGIN_FAILED, target=("accounts.user", "", None)
    )
    assert (entry.actor_org_id, entry.target_org_id) == (None, None)
    assert entry.pk not in _seen(AuditEntry, world["a"])
    assert entry.pk not in _seen(AuditEntry, None, platform_admin)
    _as(SYSTEM_ROLE)
    rls.unbind()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    _sql("RESET ROLE")
    _as("setu_app")
    report = audit.verify_report()
    _sql("RESET ROLE")
    assert report.problems == [] and report.entries == AuditEntry.objects.count()


def test_the_session_holds_the_acting_user_and_a_task_or_the_next_request_clears_it(roles, world):
    user = MembershipFactory(organisation=world["a"]).user
    rls.bind(world["a"].pk, user.pk)
    assert _sql("SELECT current_setting('setu.user_id', true)") == [(str(user.pk),)]
    rls.task_begin()
    assert _sql("SELECT current_setting('setu.user_id', true)") == [("",)]
    rls.task_end()
    assert _sql("SELECT current_setting('setu.user_id', true)") == [(str(user.pk),)]
    rls.unbind()
    assert _sql("SELECT current_setting('setu.user_id', true)") == [("",)]
