"""Withdrawal and expiry reach shares and every subscriber, in one transaction, audited."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from setu.audit.models import AuditAction, AuditEntry
from setu.consent import services, subscriptions
from setu.consent.models import CaseShare, Consent
from setu.consent.subscriptions import ConsentEnded, EndReason
from setu.registry.tests.factories import CaseShareFactory, ConsentFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def heard(monkeypatch):
    """Subscribe a recording handler for one test (the app's own handlers stay registered)."""
    events: list[ConsentEnded] = []
    monkeypatch.setattr(subscriptions, "_handlers", [*subscriptions.subscribers(), events.append])
    return events


def test_referrals_and_matching_subscribe_at_start_up():
    from setu.matching import services as matching
    from setu.referrals import services as referrals

    handlers = subscriptions.subscribers()
    assert referrals.on_consent_ended in handlers
    assert matching.on_consent_ended in handlers


def test_withdrawal_ends_shares_and_tells_subscribers(personas, heard):
    consent = personas.case.shares.get().consent
    services.consent_withdraw(actor=personas["lead"], consent=consent)
    assert not CaseShare.objects.filter(consent=consent, revoked_at__isnull=True).exists()
    [event] = heard
    assert event.consent_id == consent.pk and event.person_id == personas.person.pk
    assert event.reason == EndReason.WITHDRAWN and event.actor == personas["lead"]
    assert Consent.objects.get(pk=consent.pk).ended_at is not None


def test_a_failing_subscriber_rolls_the_whole_withdrawal_back(personas, monkeypatch):
    def broken(event: ConsentEnded) -> None:
        raise RuntimeError("subscriber failed")

    monkeypatch.setattr(subscriptions, "_handlers", [*subscriptions.subscribers(), broken])
    consent = personas.case.shares.get().consent
    with pytest.raises(RuntimeError):
        services.consent_withdraw(actor=personas["lead"], consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None and consent.ended_at is None
    assert CaseShare.objects.filter(consent=consent, revoked_at__isnull=True).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).exists()


def test_publishing_outside_a_transaction_is_refused(transactional_db):
    event = ConsentEnded(
        consent_id=None,
        person_id=None,
        recipient_org_id=None,
        scopes=frozenset(),
        reason=EndReason.EXPIRED,
        ended_on=TODAY,
    )
    with pytest.raises(RuntimeError):
        subscriptions.publish(event)


def test_lapse_retires_an_expired_consent_once(db, heard):
    consent = ConsentFactory(given_on=TODAY - 10 * DAY, expires_on=TODAY - DAY)
    share = CaseShareFactory(consent=consent)
    ConsentFactory(expires_on=TODAY)  # in force until tonight
    assert services.consents_lapse() == 1
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert [(e.consent_id, e.reason, e.actor) for e in heard] == [
        (consent.pk, EndReason.EXPIRED, None)
    ]
    unshare = AuditEntry.objects.get(action=AuditAction.UNSHARE, target_id=str(share.pk))
    assert unshare.details["reason"] == "consent_expired"
    assert services.consents_lapse() == 0  # told once, not every night
    assert len(heard) == 1


def test_lapse_leaves_withdrawn_consents_alone(db, heard):
    ConsentFactory(given_on=TODAY - 10 * DAY, expires_on=TODAY - DAY, withdrawn_on=TODAY - 2 * DAY)
    assert services.consents_lapse() == 0
    assert heard == []


@pytest.mark.parametrize("command", [("consent", "lapsed"), ("matching", "lapsed")])
def test_lapsed_commands_report_how_many_consents_were_retired(db, command):
    ConsentFactory(given_on=TODAY - 10 * DAY, expires_on=TODAY - DAY)
    out = StringIO()
    call_command(*command, stdout=out)
    assert "1 expired consents retired" in out.getvalue()
