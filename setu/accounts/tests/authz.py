"""Matrix entries for accounts, including the allauth pages Setu exposes."""

from tests.authz import EVERYONE, SIGNED_IN, Entry

ENTRIES = [
    Entry("account_login", EVERYONE),
    Entry("account_logout", SIGNED_IN),
    Entry("account_inactive", EVERYONE),
    Entry("account_signup", EVERYONE),
    Entry("account_reauthenticate", SIGNED_IN),
    Entry("account_email", SIGNED_IN),
    Entry("account_email_verification_sent", EVERYONE),
    Entry("account_change_password", SIGNED_IN),
    Entry("account_set_password", SIGNED_IN),
    Entry("account_reset_password", EVERYONE),
    Entry("account_confirm_login_code", EVERYONE),
    Entry("account_confirm_email", EVERYONE, kwargs=lambda p: {"key": "nokey"}),
    Entry("account_reset_password_from_key_done", EVERYONE),
    Entry(
        "account_reset_password_from_key",
        EVERYONE,
        kwargs=lambda p: {"uidb36": "1", "key": "bad-key"},
    ),
    Entry("account_reset_password_done", EVERYONE),
    Entry("mfa_index", SIGNED_IN),
    Entry("mfa_authenticate", EVERYONE),
    Entry("mfa_reauthenticate", SIGNED_IN),
    Entry("mfa_activate_totp", SIGNED_IN),
    Entry("mfa_deactivate_totp", SIGNED_IN),
    Entry("mfa_view_recovery_codes", SIGNED_IN),
    Entry("mfa_generate_recovery_codes", SIGNED_IN),
    Entry("mfa_download_recovery_codes", SIGNED_IN),
    Entry("api-schema", SIGNED_IN, is_api=True),
    Entry("api-docs", SIGNED_IN, is_api=True),
    Entry("api-redoc", SIGNED_IN, is_api=True),
]
