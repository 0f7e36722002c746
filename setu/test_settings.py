"""Settings for the test suite: the real settings with test-only secrets and fast hashing."""

import os

os.environ.setdefault("SETU_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SETU_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from setu.settings import *  # noqa: F403

# Argon2 is the production hasher; tests only need speed.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render pages without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise expects it to exist)
