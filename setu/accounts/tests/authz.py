"""Matrix entries for accounts, including the allauth pages Setu exposes.

Setu mounts only the allauth pages it uses (setu/accounts/allauth_urls.py): email management,
email confirmation and sign-in by code do not exist. Sign-up exists only to say it is closed.
"""

from tests.authz import EVERYONE, SIGNED_IN, Entry


def _lead_token(p):
    from setu.accounts.tests.factories import ApiTokenFactory

    return {"token_id": ApiTokenFactory(user=p.users["lead"]).pk}


def _everyone_has_2fa(p):
    """Pages about an existing authenticator are 404 without one: give every persona one."""
    from setu.accounts.tests.factories import enable_totp

    for user in p.users.values():
        enable_totp(user)
    return {}


ENTRIES = [
    Entry("account_login", EVERYONE),
    Entry("account_logout", SIGNED_IN),
    Entry("account_inactive", EVERYONE),
    # The sign-up page only says that sign-up is closed (signed-in users are sent home).
    Entry("account_signup", EVERYONE),
    Entry("account_reauthenticate", SIGNED_IN),
    Entry("account_change_password", SIGNED_IN),
    Entry("account_set_password", SIGNED_IN),
    Entry("account_reset_password", EVERYONE),
    Entry("account_reset_password_done", EVERYONE),
    Entry(
        "account_reset_password_from_key",
        EVERYONE,
        kwargs=lambda p: {"uidb36": "1", "key": "bad-key"},
    ),
    Entry("account_reset_password_from_key_done", EVERYONE),
    Entry("mfa_index", SIGNED_IN),
    # The second sign-in step: without a pending sign-in, visitors are sent to sign in and
    # signed-in users home.
    Entry("mfa_authenticate", SIGNED_IN),
    Entry("mfa_reauthenticate", SIGNED_IN),
    Entry("mfa_activate_totp", SIGNED_IN),
    Entry("mfa_deactivate_totp", SIGNED_IN, kwargs=_everyone_has_2fa),
    Entry("mfa_view_recovery_codes", SIGNED_IN, kwargs=_everyone_has_2fa),
    Entry("mfa_generate_recovery_codes", SIGNED_IN),
    Entry("mfa_download_recovery_codes", SIGNED_IN, kwargs=_everyone_has_2fa),
    Entry("accounts:account-home", SIGNED_IN),
    Entry("accounts:token-list", SIGNED_IN),
    Entry("accounts:token-revoke", frozenset({"lead"}), kwargs=_lead_token, method="post"),
    Entry("api-schema", SIGNED_IN, is_api=True),
    # The docs are pages people open in a browser: signed out, they lead to sign-in.
    Entry("api-docs", SIGNED_IN),
    Entry("api-redoc", SIGNED_IN),
]
