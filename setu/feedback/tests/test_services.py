"""Giving feedback, the two lanes, closing the loop, invitations and their limits."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.feedback import services, tokens
from setu.feedback.models import Channel, Feedback, Invitation, Lane, Status
from setu.feedback.tests.factories import FeedbackFactory, invitation
from setu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _answers(**kw):
    return services.answers_from({"treated": "4", "entitled": "partly", "felt_safe": "yes", **kw})


def test_a_link_gives_one_anonymous_answer_and_is_used_up(network):
    row, token, _code = invitation(network.body, subject=network.subject)
    credential = services.credential_open(address="10.0.0.1", token=token)
    feedback, followup = services.feedback_give(
        credential=credential,
        subject_id=None,
        answers=_answers(comment="The officer listened."),
        language="bn",
        channel=Channel.WEB_LINK,
    )
    assert feedback.concerns_org == network.police
    assert feedback.treated == 4 and feedback.entitled == "partly" and feedback.lane == Lane.OPEN
    assert feedback.language == "bn" and not feedback.assisted
    row.refresh_from_db()
    assert row.used_at is not None
    # Used once: the same link opens nothing any more.
    with pytest.raises(NotFound):
        services.credential_open(address="10.0.0.1", token=token)
    # Her follow-up code opens her answer, and only as a digest is it kept.
    assert services.credential_open(address="10.0.0.1", code=followup).feedback == feedback
    assert tokens.normalise_code(followup) not in str(Feedback.objects.values().get())


def test_nothing_in_the_database_or_the_audit_trail_names_the_giver(network):
    _row, token, _code = invitation(network.body, subject=network.subject)
    credential = services.credential_open(address="203.0.113.7", token=token)
    feedback, _f = services.feedback_give(
        credential=credential,
        subject_id=None,
        answers=_answers(comment="Private words"),
        language="hi",
        channel=Channel.WEB_LINK,
    )
    entry = AuditEntry.objects.get(target_id=str(feedback.pk))
    assert entry.actor_user_id is None and entry.actor_org_id is None
    assert entry.ip_address is None
    # Owned by no organisation: not in the police's (or anyone's) own trail.
    assert entry.target_org_id is None
    assert "Private words" not in str(entry.details) + str(entry.changes)
    # The invitation is not linked from the feedback, and holds no token or code in clear.
    assert not hasattr(feedback, "invitation")
    assert token not in str(list(Invitation.objects.values()))


def test_unknown_expired_and_malformed_codes_all_look_the_same(network):
    _row, _token, code = invitation(network.body, subject=network.subject, days=1)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for guess in (code, "ZZZZZ-ZZZZZ", "short", ""):
        with pytest.raises(NotFound):
            services.credential_open(address="10.0.0.2", code=guess)


def test_enumeration_is_stopped_per_address_and_overall(network):
    _row, _token, code = invitation(network.body, subject=network.subject)
    tried = 0
    with pytest.raises(services.TooManyAttempts):
        while True:
            try:
                services.credential_open(address="198.51.100.1", code=tokens.new_code())
            except NotFound:
                tried += 1
    assert tried == services.ATTEMPTS_PER_ADDRESS
    # Even the right code is refused from that address until the window passes.
    with pytest.raises(services.TooManyAttempts):
        services.credential_open(address="198.51.100.1", code=code)
    # Many survivors answering from one address are not stopped: only wrong guesses count.
    for _n in range(services.ATTEMPTS_PER_ADDRESS + 2):
        _r, token, _c = invitation(network.body, subject=network.subject)
        assert services.credential_open(address="192.0.2.1", token=token).invitation
    # Spread over many addresses, the global limit stops the script.
    stopped = False
    for n in range(services.ATTEMPTS_GLOBAL_PER_HOUR + 5):
        try:
            services.credential_open(address=f"10.1.{n // 250}.{n % 250}", code=tokens.new_code())
        except NotFound:
            continue
        except services.TooManyAttempts:
            stopped = True
            break
    assert stopped
    # Another survivor with a real code is told to wait, not told her code is wrong.
    with pytest.raises(services.TooManyAttempts):
        services.credential_open(address="192.0.2.200", code=code)


def test_bad_answers_are_refused_with_a_message_per_question():
    with pytest.raises(InvalidInput) as exc:
        services.answers_from({"treated": "9", "entitled": "maybe", "felt_safe": "x"})
    assert set(exc.value.errors) == {"treated", "entitled", "felt_safe"}
    with pytest.raises(InvalidInput) as exc:
        services.answers_from({})
    assert "__all__" in exc.value.errors


def test_a_failed_answer_leaves_the_invitation_unused(network):
    _row, token, _code = invitation(network.body)  # no subject: she must choose one
    credential = services.credential_open(address="10.0.0.3", token=token)
    with pytest.raises(InvalidInput):
        services.feedback_give(
            credential=credential,
            subject_id=None,
            answers=_answers(),
            language="en",
            channel=Channel.WEB_LINK,
        )
    assert Invitation.objects.get().used_at is None
    assert not Feedback.objects.exists()


def test_a_serious_complaint_goes_at_once_to_a_handler_outside_the_organisation(network):
    _row, token, _code = invitation(network.body, subject=network.subject)
    credential = services.credential_open(address="10.0.0.4", token=token)
    feedback, _f = services.feedback_give(
        credential=credential,
        subject_id=None,
        answers=_answers(serious_kind="bribery", comment="He asked for 2000 rupees."),
        language="bn",
        channel=Channel.WEB_LINK,
    )
    assert feedback.lane == Lane.SERIOUS
    assert feedback.handler == network.users["handler"]
    notice = Notification.objects.get(recipient=network.users["handler"])
    assert "2000" not in notice.message  # the notice carries no words of hers
    # Its own kind: grouped with other complaints in her inbox, and it opens the item.
    assert notice.kind == "feedback"
    assert notice.url == f"/feedback/items/{feedback.pk}/"
    # Nobody at the police station got a notice.
    assert not Notification.objects.filter(
        recipient__in=[network.users["police_admin"], network.users["police_coordinator"]]
    ).exists()


def test_a_desk_inside_the_organisation_concerned_is_skipped(network):
    from setu.feedback.tests.factories import ComplaintDeskFactory
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory

    network.subject.organisation = network.body  # feedback about the network body itself
    network.subject.save()
    collective_handler = MembershipFactory(
        organisation=network.collective, role=Role.COLLECTIVE_LEADER
    ).user
    ComplaintDeskFactory(organisation=network.collective, handler=collective_handler, priority=2)
    feedback, _f = services.feedback_from_channel(
        subject=network.subject, answers=_answers(serious_kind="threats"), channel=Channel.SMS
    )
    assert feedback.handler == collective_handler


def test_assisted_feedback_is_marked_and_not_about_the_helpers_own_organisation(network):
    peer = network.actors["peer"]
    feedback, followup = services.feedback_record_assisted(
        actor=peer, subject=network.subject, answers=_answers(), language="bn"
    )
    assert feedback.assisted and feedback.channel == Channel.ASSISTED and followup
    entry = AuditEntry.objects.get(target_id=str(feedback.pk))
    assert entry.actor_user_id == network.users["peer"].pk
    own = network.subject
    own.organisation = network.collective
    own.save()
    with pytest.raises(InvalidInput):
        services.feedback_record_assisted(actor=peer, subject=own, answers=_answers(), language="")
    with pytest.raises(Forbidden):
        services.feedback_record_assisted(
            actor=network.actors["analyst"],
            subject=network.subject,
            answers=_answers(),
            language="",
        )


def test_coding_acknowledges_responding_asks_her_and_no_reopens(network):
    coordinator = network.actors["body_coordinator"]
    feedback = FeedbackFactory(subject=network.subject)
    services.feedback_code(actor=coordinator, feedback=feedback, themes=["delay", "language"])
    assert feedback.status == Status.ACKNOWLEDGED and feedback.acknowledged_at
    assert feedback.themes == ["delay", "language"]
    with pytest.raises(InvalidInput):
        services.feedback_code(actor=coordinator, feedback=feedback, themes=["nonsense"])
    code = services._followup_code(feedback)
    feedback.save()
    services.feedback_respond(actor=coordinator, feedback=feedback, note="The SHO was told.")
    credential = services.credential_open(address="10.0.0.5", code=code)
    services.feedback_satisfied(credential=credential, satisfied=False)
    feedback.refresh_from_db()
    assert feedback.status == Status.REOPENED and feedback.satisfied == "no"
    # The organisation concerned may not code or answer it.
    with pytest.raises(NotFound):
        services.feedback_code(
            actor=network.actors["police_coordinator"], feedback=feedback, themes=["delay"]
        )


def test_invitations_are_returned_once_and_stored_as_digests(network):
    leader = network.actors["leader"]
    campaign = services.campaign_create(
        actor=leader,
        name="Canning PS listening month",
        subject=network.subject,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    issued = services.invitations_issue(actor=leader, campaign=campaign, count=3)
    assert len({i.code for i in issued}) == 3
    stored = str(list(Invitation.objects.values()))
    assert all(i.token not in stored and i.code not in stored for i in issued)
    assert all(len(i.token) == 32 for i in issued)  # 192 bits, URL-safe
    with pytest.raises(InvalidInput):
        services.invitations_issue(actor=leader, count=0)
    with pytest.raises(Forbidden):
        services.invitations_issue(actor=network.actors["analyst"], count=1)


def test_a_flow_run_delivered_twice_is_stored_once(network):
    answers = _answers()
    first = services.feedback_from_channel(
        subject=network.subject, answers=answers, channel=Channel.IVR, run_id="run-1"
    )
    again = services.feedback_from_channel(
        subject=network.subject, answers=answers, channel=Channel.IVR, run_id="run-1"
    )
    assert first is not None and again is None
    assert Feedback.objects.count() == 1


def test_change_notes_are_the_organisations_own(network):
    note = services.change_note_add(
        actor=network.actors["police_admin"], you_said="Long waits", we_did="A women's desk"
    )
    assert note.organisation == network.police
    with pytest.raises(Forbidden):
        services.change_note_add(actor=network.actors["lead"], you_said="x", we_did="y")


def test_complaint_notices_are_grouped_into_one_line_that_leads_to_the_desk(network):
    from setu.notifications import selectors as notices

    for _n in range(2):
        services.feedback_from_channel(
            subject=network.subject, answers=_answers(serious_kind="abuse"), channel=Channel.SMS
        )
    line = notices.inbox(actor=network.actors["handler"])[0]
    assert line.is_group and line.kind == "feedback" and line.count == 2
    assert line.url == "/feedback/" and "2 complaints" in line.message


def test_she_says_no_and_the_handler_is_told_it_is_open_again(network):
    _row, token, _code = invitation(network.body, subject=network.subject)
    credential = services.credential_open(address="10.0.0.5", token=token)
    feedback, followup = services.feedback_give(
        credential=credential,
        subject_id=None,
        answers=_answers(serious_kind="threats"),
        language="en",
        channel=Channel.WEB_LINK,
    )
    services.feedback_respond(actor=network.actors["handler"], feedback=feedback, note="Done.")
    services.feedback_satisfied(
        credential=services.credential_open(address="10.0.0.5", code=followup), satisfied=False
    )
    notice = Notification.objects.get(recipient=network.users["handler"])
    assert notice.kind == "feedback" and "open again" in notice.message
