"""Idle and absolute session limits; deactivation ends every session of the account at once."""

from __future__ import annotations

import datetime
import time
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from setu.access.actor import actor_for_user
from setu.accounts import services
from setu.accounts.models import ApiToken, UserSession
from setu.accounts.tests.factories import ApiTokenFactory
from setu.audit.models import AuditEntry
from setu.orgs.models import Role
from setu.orgs.tests.factories import TEST_PASSWORD, MembershipFactory

_SECOND = datetime.timedelta(seconds=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory(user__username="asha").user


def _signed_in(username: str = "asha") -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _shift(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[f"setu_{key}"] = now - ago
    session.save()


def test_idle_session_ends(member):
    client = _signed_in()
    _shift(client, last_seen=settings.SETU_SESSION_IDLE_SECONDS + 5)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?timeout=idle"
    assert not client.get(reverse("web:home")).wsgi_request.user.is_authenticated


def test_active_session_continues(member):
    client = _signed_in()
    _shift(client, last_seen=settings.SETU_SESSION_IDLE_SECONDS - 60)
    assert client.get(reverse("web:home")).status_code == 200


def test_absolute_limit_ends_even_an_active_session(member):
    client = _signed_in()
    _shift(client, login_at=settings.SESSION_COOKIE_AGE + 5, last_seen=10)
    response = client.get(reverse("web:home"))
    assert response["Location"] == "/accounts/login/?timeout=absolute"
    assert not client.get(reverse("web:home")).wsgi_request.user.is_authenticated


def test_activity_does_not_extend_the_absolute_limit(member):
    client = _signed_in()
    _shift(client, login_at=100)
    login_at = client.session["setu_login_at"]
    for _ in range(3):
        client.get(reverse("web:home"))
    assert client.session["setu_login_at"] == login_at
    # Django itself re-dates the stored session on every save, which is why the login time is kept.
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    # Two seconds later (the clock is moved, not waited for): the stored date moves with it.
    later = first - settings.SESSION_COOKIE_AGE * _SECOND + 2 * _SECOND
    with mock.patch("django.contrib.sessions.backends.base.timezone.now", return_value=later):
        client.get(reverse("web:home"))
    assert Session.objects.get(session_key=key).expire_date > first


def test_htmx_requests_are_told_to_redirect(member):
    client = _signed_in()
    _shift(client, last_seen=settings.SETU_SESSION_IDLE_SECONDS + 5)
    response = client.get(reverse("web:home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?timeout=idle"


def test_sign_in_indexes_the_session_and_a_new_key_is_indexed_too(member):
    client = _signed_in()
    client.get(reverse("web:home"))
    assert UserSession.objects.filter(user=member, session_key=client.session.session_key).exists()
    new = "a-new-passphrase-for-asha-9"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
    )
    client.get(reverse("web:home"))
    assert UserSession.objects.filter(user=member, session_key=client.session.session_key).exists()


def test_deactivation_logs_out_every_session_revokes_tokens_and_is_audited(member):
    admin = MembershipFactory(
        organisation=member.memberships.get().organisation, role=Role.ORG_ADMIN
    ).user
    phone, laptop = _signed_in(), _signed_in()
    for client in (phone, laptop):
        assert client.get(reverse("web:home")).status_code == 200
    token = ApiTokenFactory(user=member)
    forced = Client()
    forced.force_login(member)  # a session the index has not seen yet: found by the scan

    services.user_deactivate(actor=actor_for_user(admin), user=member)

    for client in (phone, laptop, forced):
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(member.pk) for s in Session.objects.all()
    )
    member.refresh_from_db()
    token.refresh_from_db()
    assert member.is_active is False and token.revoked_at is not None
    entry = AuditEntry.objects.filter(target_id=str(member.pk), details__op="user_deactivate").get()
    assert entry.details["sessions_ended"] == 3 and entry.details["tokens_revoked"] == 1
    assert entry.changes == {"before": {"is_active": True}, "after": {"is_active": False}}


def test_reactivated_account_does_not_get_its_old_sessions_back(member):
    admin = MembershipFactory(
        organisation=member.memberships.get().organisation, role=Role.ORG_ADMIN
    ).user
    client = _signed_in()
    services.user_deactivate(actor=actor_for_user(admin), user=member)
    services.user_reactivate(actor=actor_for_user(admin), user=member)
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.parametrize("who", ["lead", "other_admin", "partner_admin", "counsellor"])
def test_only_admins_of_the_users_org_may_deactivate(personas, who):
    from setu.core.errors import Forbidden, NotFound

    with pytest.raises((NotFound, Forbidden)):
        services.user_deactivate(actor=personas[who], user=personas.users["analyst"])
    personas.users["analyst"].refresh_from_db()
    assert personas.users["analyst"].is_active


@pytest.mark.parametrize("who", ["org_admin", "platform_admin"])
def test_org_admin_and_platform_admin_may_deactivate(personas, who):
    services.user_deactivate(actor=personas[who], user=personas.users["analyst"])
    personas.users["analyst"].refresh_from_db()
    assert not personas.users["analyst"].is_active


def test_nobody_deactivates_themselves(personas):
    from setu.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        services.user_deactivate(actor=personas["org_admin"], user=personas.users["org_admin"])
    assert "user" in exc.value.errors
    assert ApiToken.objects.count() == 0
