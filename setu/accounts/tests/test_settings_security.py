"""Security settings of production (the test settings swap the hasher for speed)."""

import importlib

from django.conf import settings


def test_production_hashes_passwords_with_argon2():
    production = importlib.import_module("setu.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_is_available():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a long enough passphrase", hasher.salt())
    assert encoded.startswith("argon2$") and hasher.verify("a long enough passphrase", encoded)


def test_lockout_and_enumeration_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_USERNAME_FORM_FIELD == "login"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True


def test_unused_allauth_features_have_no_urls():
    from django.urls import NoReverseMatch, reverse

    for name in ("account_email", "account_confirm_login_code", "account_confirm_email"):
        try:
            reverse(name, kwargs={"key": "x"} if name == "account_confirm_email" else None)
        except NoReverseMatch:
            continue
        raise AssertionError(f"{name} should not exist")
