"""Sign-in, failed sign-in, lockout and password reset: nothing reveals whether an account exists."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from setu.audit.models import AuditAction, AuditEntry
from setu.orgs.tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, login: str, password: str):
    return client.post(LOGIN, {"login": login, "password": password})


def _scrub(html: str, *typed: str) -> str:
    """The page minus what legitimately differs between two requests: CSRF token, echoed login."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    for value in typed:
        html = html.replace(value, "")
    return html


@pytest.fixture
def member():
    return MembershipFactory(user__username="asha", user__email="asha@example.org").user


def test_login_page_is_setu_styled_and_translatable(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in to Setu" in html
    assert 'href="/static/setu/setu.css"' in html
    assert "sign up" not in html.lower() or "no self sign-up" in html.lower()


@pytest.mark.parametrize("login", ["asha", "ASHA", "asha@example.org"])
def test_sign_in_with_username_or_email(client, member, login):
    response = _login(client, login, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("web:home")).wsgi_request.user == member


def test_wrong_password_and_unknown_user_get_the_same_answer(client, member):
    wrong = _login(client, "asha", "not-the-password")
    unknown = _login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert _scrub(wrong.content.decode(), "asha") == _scrub(unknown.content.decode(), "nobody-here")


def test_failed_sign_in_is_audited_without_the_attempted_name(client, member):
    _login(client, "asha", "not-the-password")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_user_id is None
    assert "asha" not in str(entry.details) + entry.actor_label + str(entry.changes)


def _lock_out(client, login: str):
    return [_login(client, login, f"wrong-password-{i}").status_code for i in range(5)]


@pytest.mark.parametrize("login", ["asha", "nobody-here"])
def test_five_failures_lock_out_the_login_from_that_address(client, member, login):
    statuses = _lock_out(client, login)
    assert statuses == [200, 200, 200, 200, 429]
    # Even the right password is refused while locked out, before any password check.
    locked = _login(client, "asha", TEST_PASSWORD) if login == "asha" else None
    if locked is not None:
        assert locked.status_code == 429
        assert not client.get(reverse("web:home")).wsgi_request.user.is_authenticated


def test_lockout_page_is_the_same_for_real_and_unknown_accounts(client, member):
    from django.test import Client

    _lock_out(client, "asha")
    real = _login(client, "asha", "again-wrong")
    other = Client()
    _lock_out(other, "nobody-here")
    unknown = _login(other, "nobody-here", "again-wrong")
    assert real.status_code == unknown.status_code == 429
    real_html, unknown_html = real.content.decode(), unknown.content.decode()
    assert "Too many sign-in attempts" in real_html
    assert "asha" not in real_html and "nobody-here" not in unknown_html
    assert _scrub(real_html) == _scrub(unknown_html)


def test_lockout_is_per_login_and_address(client, member):
    _lock_out(client, "asha")
    # Another address is not locked out of the same account.
    response = client.post(
        LOGIN, {"login": "asha", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_lockout_ignores_case_and_spaces_of_the_login(client, member):
    for i, variant in enumerate(["asha", "Asha", " ASHA ", "asha", "aSHa"]):
        status = _login(client, variant, f"wrong-{i}").status_code
    assert status == 429


def test_lockout_is_audited_without_the_attempted_name(client, member):
    _lock_out(client, "asha")
    _login(client, "asha", TEST_PASSWORD)
    lockouts = AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT)
    assert lockouts.count() == 2  # the lockout itself, then the refused attempt
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    for entry in lockouts:
        assert entry.ip_address == "127.0.0.1"
        assert "asha" not in str(entry.details) + entry.actor_label + str(entry.changes)


def test_successful_sign_in_resets_the_failure_count(client, member):
    for i in range(4):
        _login(client, "asha", f"wrong-{i}")
    assert _login(client, "asha", TEST_PASSWORD).status_code == 302
    client.post(reverse("account_logout"))
    assert _lock_out(client, "asha")[:4] == [200, 200, 200, 200]


def test_inactive_account_cannot_sign_in(client, member):
    member.is_active = False
    member.save()
    _login(client, "asha", TEST_PASSWORD)
    assert not client.get(reverse("web:home")).wsgi_request.user.is_authenticated


def test_password_reset_never_reveals_whether_an_account_exists(client, member):
    url = reverse("account_reset_password")
    known = client.post(url, {"email": "asha@example.org"})
    unknown = client.post(url, {"email": "stranger@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Only the real account receives mail; nothing is sent to a stranger's address.
    assert [m.to for m in mail.outbox] == [["asha@example.org"]]
    done = client.get(known["Location"]).content.decode()
    assert "If the address belongs to a Setu account" in done


def test_password_reset_link_sets_a_new_password_and_clears_a_temporary_one(client, member):
    member.must_change_password = True
    member.save()
    client.post(reverse("account_reset_password"), {"email": "asha@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    action = form_page.context["action_url"]
    new = "a-brand-new-passphrase-42"
    response = client.post(action, {"password1": new, "password2": new})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new) and not member.must_change_password


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "No self sign-up" in response.content.decode()
    from setu.accounts.models import User

    before = User.objects.count()
    client.post(
        reverse("account_signup"),
        {"username": "x1", "email": "x1@example.org", "password1": "long-enough-pass-1"},
    )
    assert User.objects.count() == before


def test_logout_needs_a_post_and_confirms(client, member):
    client.force_login(member)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200 and "Are you sure" in page.content.decode()
    assert client.get(reverse("web:home")).wsgi_request.user.is_authenticated
    client.post(reverse("account_logout"))
    assert not client.get(reverse("web:home")).wsgi_request.user.is_authenticated
