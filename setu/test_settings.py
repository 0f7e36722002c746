"""Settings for the test suite: the real settings with test-only secrets and fast hashing."""

import os

os.environ.setdefault("SETU_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SETU_CHANNELS_SECRET", "test-only-channels-secret")
os.environ.setdefault("SETU_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from setu.settings import *

# Tests run without configured field keys: derive them from the secret key, as development does.
FIELD_KEYS_DERIVED = True

# Argon2 is the production hasher; tests only need speed.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render pages without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise expects the static root to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
