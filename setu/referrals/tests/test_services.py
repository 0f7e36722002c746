import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from setu.audit.models import AuditAction, AuditEntry
from setu.consent.models import Consent, ConsentScope
from setu.core.errors import ConsentRequired, Forbidden, InvalidInput, NotFound
from setu.directory.tests.factories import ServiceFactory
from setu.notifications.models import NoticeKind, Notification, NotificationPreference
from setu.orgs.tests.factories import MembershipFactory
from setu.referrals import selectors, services
from setu.referrals.models import (
    EventKind,
    Referral,
    ReferralKind,
    ReferralStatus,
)
from setu.referrals.tests.factories import referral_for
from setu.registry.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def _send(personas, scopes=("identity",), service=None, **kwargs):
    service = service or ServiceFactory(organisation=personas.partner_org)
    return services.referral_send(
        actor=personas["lead"],
        case=personas.case,
        person=personas.person,
        to_service=service,
        need="",
        scopes=list(scopes),
        **kwargs,
    )


# --- Consent at the moment of sharing --------------------------------------------------------


def test_send_uses_a_consent_that_covers_the_scopes(personas):
    referral = _send(personas, scopes=["identity", "case_history"])
    assert referral.status == ReferralStatus.SENT
    assert referral.need == "shelter"  # from the service
    assert referral.to_org == personas.partner_org
    assert set(referral.consent.scopes) >= {"identity", "case_history"}
    assert referral.events.get().kind == EventKind.SENT
    entry = AuditEntry.objects.get(action=AuditAction.SHARE, target_id=str(referral.pk))
    assert entry.changes["after"]["shared_scopes"] == ["identity", "case_history"]


def test_send_is_refused_when_no_consent_covers_a_scope(personas):
    with pytest.raises(ConsentRequired) as exc:
        _send(personas, scopes=["identity", "contact"])  # the personas' consent lacks contact
    assert "consented" in str(exc.value)
    assert not Referral.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.SHARE, outcome="denied").exists()


def test_consent_naming_another_organisation_does_not_count(personas):
    Consent.objects.filter(person=personas.person).update(recipient_org=personas.other_org)
    ConsentFactory(person=personas.person, scopes=["identity", "contact"],
                   recipient_org=personas.other_org)  # fmt: skip
    with pytest.raises(ConsentRequired):
        _send(personas, scopes=["contact"])
    ConsentFactory(person=personas.person, scopes=["contact"], recipient_org=personas.partner_org)
    assert _send(personas, scopes=["contact"]).consent.recipient_org == personas.partner_org


def test_withdrawn_or_expired_consent_is_refused_at_sending(personas):
    today = timezone.localdate()
    Consent.objects.filter(person=personas.person).update(withdrawn_on=today)
    with pytest.raises(ConsentRequired):
        _send(personas)
    ConsentFactory(person=personas.person, scopes=["identity"],
                   expires_on=today - datetime.timedelta(days=1))  # fmt: skip
    with pytest.raises(ConsentRequired):
        _send(personas)


def test_only_the_case_organisation_may_refer(personas):
    with pytest.raises(Forbidden):  # the partner sees the shared case but may not re-share it
        services.referral_send(
            actor=personas["partner"], case=personas.case, person=personas.person,
            to_org_id=personas.other_org.pk, need="legal_aid", scopes=["identity"],
        )  # fmt: skip
    with pytest.raises(NotFound):
        services.referral_send(
            actor=personas["other_org"], case=personas.case, person=personas.person,
            to_org_id=personas.partner_org.pk, need="legal_aid", scopes=["identity"],
        )  # fmt: skip


def test_cannot_refer_to_ones_own_organisation_or_share_nothing(personas):
    with pytest.raises(InvalidInput):
        _send(personas, service=ServiceFactory(organisation=personas.own_org))
    with pytest.raises(InvalidInput):
        _send(personas, scopes=["statistics"])  # not a referral scope


def test_new_referral_notifies_designated_contacts(personas):
    contact = MembershipFactory(organisation=personas.partner_org, is_designated_contact=True).user
    with pytest.raises(AssertionError):
        assert Notification.objects.exists()
    referral = _send(personas)
    notice = Notification.objects.get(recipient=contact)
    assert notice.kind == NoticeKind.REFERRAL and str(referral.pk) in notice.url
    assert personas.person.given_name not in notice.message  # no personal data in notices


def test_new_referral_emails_designated_contacts(personas, django_capture_on_commit_callbacks):
    contact = MembershipFactory(organisation=personas.partner_org, is_designated_contact=True).user
    with django_capture_on_commit_callbacks(execute=True):
        _send(personas)
    assert [m.to for m in mail.outbox] == [[contact.email]]
    assert personas.person.given_name not in mail.outbox[0].body


def test_referral_emails_honour_each_users_preferences(
    personas, django_capture_on_commit_callbacks
):
    no_mail, digest, plain = (
        MembershipFactory(organisation=personas.partner_org, is_designated_contact=True).user
        for _ in range(3)
    )
    NotificationPreference.objects.create(user=no_mail, email=False)
    NotificationPreference.objects.create(user=digest, email=True, digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        _send(personas)
    # Everyone has it in the inbox; only the one who wants an email per notice got one now.
    assert Notification.objects.filter(recipient__in=[no_mail, digest, plain]).count() == 3
    assert [m.to for m in mail.outbox] == [[plain.email]]


def test_a_referral_has_one_notice_per_user_kept_current(personas):
    contact = MembershipFactory(organisation=personas.partner_org, is_designated_contact=True).user
    referral = _send(personas)
    Notification.objects.filter(recipient=contact).update(read_at=timezone.now())
    services.referral_accept(actor=personas["partner"], referral=referral)
    services.referral_reminders_send(now=timezone.now() + timedelta(days=30))
    [notice] = Notification.objects.filter(recipient=contact)
    assert notice.read_at is None  # news again


# --- Status flow --------------------------------------------------------------------------------


def test_the_whole_flow_and_both_sides_see_the_history(personas):
    referral = _send(personas)
    referral = services.referral_accept(actor=personas["partner"], referral=referral)
    referral = services.referral_start(actor=personas["partner_admin"], referral=referral)
    referral = services.referral_complete(
        actor=personas["partner"], referral=referral, outcome="Admitted"
    )
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.accepted_at and referral.started_at and referral.completed_at
    kinds = [e.kind for e in selectors.referral_events(actor=personas["lead"], referral=referral)]
    assert kinds == ["sent", "accepted", "in_progress", "completed"]
    assert selectors.referral_events(actor=personas["partner"], referral=referral).count() == 4
    updates = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_id=str(referral.pk))
    assert {e.details["transition"] for e in updates} == {
        "sent->accepted", "accepted->in_progress", "in_progress->completed",
    }  # fmt: skip
    assert all(e.changes["before"]["status"] != e.changes["after"]["status"] for e in updates)


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (ReferralStatus.SENT, "referral_start"),
        (ReferralStatus.SENT, "referral_complete"),
        (ReferralStatus.ACCEPTED, "referral_accept"),
        (ReferralStatus.DECLINED, "referral_accept"),
        (ReferralStatus.COMPLETED, "referral_start"),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_error(personas, status, call):
    referral = referral_for(personas, status=status)
    with pytest.raises(InvalidInput) as exc:
        getattr(services, call)(actor=personas["partner"], referral=referral)
    assert "cannot be marked" in str(exc.value)
    referral.refresh_from_db()
    assert referral.status == status


def test_closed_referral_cannot_be_closed_again(personas):
    referral = referral_for(personas, status=ReferralStatus.CLOSED)
    with pytest.raises(InvalidInput):
        services.referral_close(actor=personas["lead"], referral=referral, reason="again")


def test_decline_needs_a_reason_and_only_the_receiver_may_decline(personas):
    referral = _send(personas)
    with pytest.raises(InvalidInput):
        services.referral_decline(actor=personas["partner"], referral=referral, reason=" ")
    with pytest.raises(Forbidden):
        services.referral_decline(actor=personas["lead"], referral=referral, reason="no")
    declined = services.referral_decline(
        actor=personas["partner"], referral=referral, reason="No bed for a girl under 18"
    )
    assert declined.status == ReferralStatus.DECLINED
    assert declined.decline_reason == "No bed for a girl under 18"


def test_either_side_may_close_an_open_referral_but_not_a_third_org(personas):
    referral = _send(personas)
    with pytest.raises(NotFound):
        services.referral_close(actor=personas["other_org"], referral=referral, reason="x")
    closed = services.referral_close(actor=personas["lead"], referral=referral, reason="Went home")
    assert closed.status == ReferralStatus.CLOSED and closed.close_reason == "Went home"


# --- Transfers and repatriations --------------------------------------------------------------


def test_a_repatriation_completes_only_with_a_full_handover(personas):
    referral = _send(personas, kind=ReferralKind.REPATRIATION)
    referral = services.referral_accept(actor=personas["partner"], referral=referral)
    referral = services.referral_start(actor=personas["partner"], referral=referral)
    with pytest.raises(InvalidInput) as exc:
        services.referral_complete(actor=personas["partner"], referral=referral)
    assert "escort" in str(exc.value)
    referral = services.referral_update_handover(
        actor=personas["lead"],
        referral=referral,
        data={
            "escort_arranged": True,
            "escort_details": "Woman constable, AHTU Howrah",
            "documents_handed_over": ["CWC order", " ", "Medical report"],
            "receiving_authority": "CWC Kolkata",
            "travel_date": datetime.date(2025, 7, 1),
        },
    )
    assert referral.documents_handed_over == ["CWC order", "Medical report"]
    with pytest.raises(InvalidInput) as exc:
        services.referral_complete(actor=personas["partner"], referral=referral)
    assert "arrival" in str(exc.value)
    with pytest.raises(Forbidden):
        services.referral_confirm_received(actor=personas["lead"], referral=referral)
    referral = services.referral_confirm_received(actor=personas["partner"], referral=referral)
    done = services.referral_complete(actor=personas["partner"], referral=referral)
    assert done.status == ReferralStatus.COMPLETED
    assert EventKind.RECEIVED in done.events.values_list("kind", flat=True)


def test_a_service_referral_has_no_handover(personas):
    referral = _send(personas)
    assert referral.handover_missing() == []
    with pytest.raises(InvalidInput):
        services.referral_update_handover(
            actor=personas["lead"], referral=referral, data={"escort_arranged": True}
        )


# --- Consent withdrawn -----------------------------------------------------------------------


def test_withdrawing_consent_stops_sharing_and_is_recorded(personas):
    referral = _send(personas, scopes=["identity"])
    assert services.referral_view_shared(actor=personas["partner"], referral=referral).identity
    Consent.objects.filter(pk=referral.consent_id).update(withdrawn_on=timezone.localdate())
    referral.refresh_from_db()
    view = services.referral_view_shared(actor=personas["partner"], referral=referral)
    assert view.consent_in_force is False and view.identity is None and view.scopes == []
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is not None
    assert referral.events.filter(kind=EventKind.SHARING_STOPPED).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.UNSHARE, target_id=str(referral.pk))
    # Viewing again does not record it twice.
    services.referral_view_shared(actor=personas["partner"], referral=referral)
    assert referral.events.filter(kind=EventKind.SHARING_STOPPED).count() == 1


def test_consent_withdrawal_hook_stops_every_referral_on_it(personas):
    first = _send(personas)
    second = _send(personas)
    consent = first.consent
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    assert services.referrals_stop_for_consent(actor=personas["lead"], consent_id=consent.pk) == 2
    assert Referral.objects.filter(sharing_stopped_at__isnull=False).count() == 2
    assert second.pk


def test_an_expired_consent_stops_its_referrals_through_the_daily_lapse(personas):
    from setu.consent import services as consent_services

    referral = _send(personas)
    today = timezone.localdate()
    Consent.objects.filter(pk=referral.consent_id).update(
        given_on=today - timedelta(days=30), expires_on=today - timedelta(days=1)
    )
    assert consent_services.consents_lapse() == 1
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is not None
    stop = referral.events.get(kind=EventKind.SHARING_STOPPED)
    assert stop.actor is None
    assert AuditEntry.objects.filter(
        action=AuditAction.UNSHARE, target_id=str(referral.pk), actor_user_id__isnull=True
    ).exists()


# --- Reminders ----------------------------------------------------------------------------------


def test_overdue_referrals_get_one_reminder_per_period(personas, settings):
    settings.SETU_REFERRAL_REMINDER_HOURS = 48
    contact = MembershipFactory(organisation=personas.partner_org, is_designated_contact=True).user
    now = timezone.now()
    old = referral_for(personas, sent_at=now - timedelta(hours=49))
    fresh = referral_for(personas, sent_at=now - timedelta(hours=2))
    assert services.referral_reminders_send(now=now) == 1
    old.refresh_from_db()
    assert old.reminder_count == 1 and old.last_reminded_at == now
    assert Notification.objects.filter(recipient=contact, url__contains=old.pk).count() == 1
    assert Notification.objects.filter(
        recipient=personas.users["lead"], url__contains=old.pk
    ).exists()
    assert not Notification.objects.filter(url__contains=fresh.pk).exists()
    assert old.events.filter(kind=EventKind.REMINDER).count() == 1
    # Run again soon after: nothing new; after another period: a second reminder.
    assert services.referral_reminders_send(now=now + timedelta(hours=1)) == 0
    assert services.referral_reminders_send(now=now + timedelta(hours=49)) == 2  # old and fresh
    old.refresh_from_db()
    assert old.reminder_count == 2


def test_accepted_without_progress_is_reminded(personas, settings):
    settings.SETU_REFERRAL_STALLED_HOURS = 72
    now = timezone.now()
    stalled = referral_for(
        personas, status=ReferralStatus.ACCEPTED, accepted_at=now - timedelta(hours=80)
    )
    moving = referral_for(
        personas, status=ReferralStatus.IN_PROGRESS, accepted_at=now - timedelta(hours=80)
    )
    assert services.referral_reminders_send(now=now) == 1
    stalled.refresh_from_db()
    moving.refresh_from_db()
    assert stalled.reminder_count == 1 and moving.reminder_count == 0


def test_reminder_task_runs_on_the_task_queue(personas):
    from setu.referrals.tasks import send_referral_reminders

    referral_for(personas, sent_at=timezone.now() - timedelta(days=5))
    result = send_referral_reminders.enqueue()
    assert result.return_value == 1
    assert Notification.objects.count() >= 1


def test_remind_command(personas):
    from io import StringIO

    from django.core.management import call_command

    referral_for(personas, sent_at=timezone.now() - timedelta(days=5))
    out = StringIO()
    call_command("referrals", "remind", stdout=out)
    assert "Sent 1 reminder" in out.getvalue()


def test_sweep_also_stops_sharing_for_withdrawn_consent(personas):
    referral = referral_for(personas)
    Consent.objects.filter(pk=referral.consent_id).update(withdrawn_on=timezone.localdate())
    services.referral_reminders_send()
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is not None


def test_consent_scope_names_match_the_registry():
    assert set(selectors.REFERRAL_SCOPES) <= set(ConsentScope.values)


def test_a_survivor_collective_is_found_and_referred_to_for_peer_support(personas):
    """Survivor collectives are referral partners (issue 26): their peer support is found in
    the directory by need and district, and a referral to it is sent and accepted."""
    from setu.access.actor import actor_for_user
    from setu.directory import selectors as directory
    from setu.orgs.models import District, OrganisationType, Role
    from setu.orgs.tests.factories import OrganisationFactory

    here = District.objects.order_by("code").first()
    collective = OrganisationFactory(org_type=OrganisationType.SURVIVOR_COLLECTIVE)
    peer = ServiceFactory(organisation=collective, service_type="peer_support", districts=[here])
    ServiceFactory(organisation=collective, service_type="livelihood", districts=[here])
    found = directory.service_list(actor=personas["lead"], need="peer_support", district=here)
    assert list(found) == [peer]
    ConsentFactory(person=personas.person, scopes=["identity"], recipient_org=collective)
    referral = _send(personas, service=peer)
    assert referral.need == "peer_support" and referral.to_org == collective
    member = MembershipFactory(organisation=collective, role=Role.CASEWORKER).user
    accepted = services.referral_accept(actor=actor_for_user(member), referral=referral)
    assert accepted.status == ReferralStatus.ACCEPTED
