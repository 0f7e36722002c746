"""Two-factor authentication: organisations can require it; set-up shows a local QR code."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from setu.accounts.tests.factories import ApiTokenFactory, enable_totp, totp_code
from setu.orgs.tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def strict_member():
    """A caseworker in an organisation that requires 2FA, with no authenticator yet."""
    return MembershipFactory(user__username="ravi", organisation__mfa_required=True).user


def _sign_in(client, username: str):
    return client.post(LOGIN, {"login": username, "password": TEST_PASSWORD})


def test_member_of_strict_org_is_sent_to_set_up_2fa_from_any_page(client, strict_member):
    _sign_in(client, "ravi")
    for url in [
        reverse("web:home"),
        reverse("orgs:organisation-list"),
        reverse("accounts:token-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_activate_totp")), url


def test_session_api_calls_are_refused_until_2fa_is_set_up(client, strict_member):
    _sign_in(client, "ravi")
    response = client.get(reverse("api-schema"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_setup_required"


def test_members_of_other_orgs_are_not_asked(client):
    MembershipFactory(user__username="mina")
    _sign_in(client, "mina")
    assert client.get(reverse("web:home")).status_code == 200


def test_setting_up_2fa_shows_a_local_qr_code_then_lets_the_member_through(client, strict_member):
    _sign_in(client, "ravi")
    # Changing 2FA asks for the password again, even right after signing in (allauth's rule).
    first = client.get(reverse("mfa_activate_totp"))
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # generated here; no external service
    secret = page.context["form"].secret
    assert secret in html
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_sign_in_asks_for_the_code_once_2fa_is_on(client, strict_member):
    secret = enable_totp(strict_member)
    response = _sign_in(client, "ravi")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("accounts:account-home")).wsgi_request.user.is_authenticated
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    cache.clear()
    ok = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert ok.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_a_code_from_the_step_just_ended_still_signs_in_but_an_older_one_does_not(
    client, strict_member
):
    secret = enable_totp(strict_member)
    _sign_in(client, "ravi")
    cache.clear()
    stale = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, steps_ago=3)})
    assert stale.status_code == 200 and stale.context["form"].errors
    cache.clear()
    ok = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, steps_ago=1)})
    assert ok.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_recovery_codes_sign_in_when_the_phone_is_lost(client, strict_member):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    enable_totp(strict_member)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=strict_member, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    _sign_in(client, "ravi")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_mfa_pages_render_in_setu_style(client, strict_member):
    enable_totp(strict_member)
    client.force_login(strict_member)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    for name in ["mfa_index", "mfa_view_recovery_codes"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'href="/static/setu/setu.css"' in response.content.decode()
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert len(re.findall(r"^[0-9a-z]{8}$", codes_page, re.MULTILINE)) >= 1


def test_signed_in_user_at_the_second_step_is_sent_home(client, strict_member):
    enable_totp(strict_member)
    client.force_login(strict_member)
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 302 and response["Location"] == reverse("web:home")


def test_token_calls_are_not_blocked_by_the_web_gate(client, strict_member):
    from setu.accounts.models import ApiToken

    secret = ApiToken.new_secret()
    ApiTokenFactory(user=strict_member, digest=ApiToken.digest_of(secret))
    enable_totp(strict_member)
    response = client.get(reverse("api-schema"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_a_token_is_refused_once_the_organisation_requires_2fa_until_the_member_enrols(client):
    """Issue 28, finding 11: API tokens outlived the organisation's two-factor rule."""
    from setu.accounts.models import ApiToken
    from setu.audit.models import AuditAction, AuditEntry, Outcome

    member = MembershipFactory(user__username="asha").user
    secret = ApiToken.new_secret()
    token = ApiTokenFactory(user=member, digest=ApiToken.digest_of(secret))
    url = "/api/v1/persons/"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(url, **bearer).status_code == 200
    organisation = member.memberships.get().organisation
    organisation.mfa_required = True
    organisation.save()
    refused = client.get(url, **bearer)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "mfa_required"
    entry = AuditEntry.objects.filter(action=AuditAction.DENIED).latest("seq")
    assert entry.outcome == Outcome.DENIED and entry.actor_user_id == member.pk
    assert entry.target_id == str(token.pk) and entry.details["op"] == "api_token_mfa_required"
    enable_totp(member)
    assert client.get(url, **bearer).status_code == 200
