"""Django settings for Setu. Every value comes from the environment (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django.conf.locale
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from setu.env import env_bool, env_int, env_list, env_map, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("SETU_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("SETU_DEBUG", False)
# The demo network (and its published demo passwords) may only ever exist where this is on.
DEMO_MODE = env_bool("SETU_DEMO_MODE", False)

SECRET_KEY = env_secret("SETU_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE:
        SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
    else:
        # setu.cli prints this as one line (no traceback); see docs/configuration.md.
        raise ImproperlyConfigured(
            "SETU_SECRET_KEY is not set. Set it (or SETU_SECRET_KEY_FILE) to a long random "
            "string, or set SETU_DEBUG=true for local development."
        )

# Encryption at rest of the most sensitive columns (setu.core.crypto, docs/deployment.md §12):
# a JSON object of key id -> base64 32-byte key, oldest first (the last one encrypts), and a
# separate key for the blind indexes that search them. Development, demo and test runs derive
# both from the secret key when they are unset; production fails `check --deploy` (setu.E005).
FIELD_KEYS = env_secret("SETU_FIELD_KEYS")
FIELD_INDEX_KEY = env_secret("SETU_FIELD_INDEX_KEY")
FIELD_KEYS_DERIVED = DEBUG or DEMO_MODE

ALLOWED_HOSTS = env_list("SETU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SETU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    # Setu's bounded contexts; each app owns its models, services and selectors.
    "setu.core",
    "setu.accounts",
    "setu.orgs",
    "setu.access",
    "setu.audit",
    "setu.registry",
    "setu.consent",
    "setu.directory",
    "setu.referrals",
    "setu.shelters",
    "setu.entitlements",
    "setu.legal",
    "setu.fieldops",
    "setu.intel",
    "setu.channels",
    "setu.feedback",
    "setu.insights",
    "setu.notifications",
    "setu.matching",
    "setu.web",
    "setu.demo",
    "setu.backup",
    "setu.fieldkeys",
]

MIDDLEWARE = [
    # Outermost: error answers under /api/ are JSON whatever produced them (404, 500).
    "setu.core.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "setu.core.middleware.NoStoreMiddleware",
    "setu.accounts.middleware.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "setu.accounts.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "setu.access.middleware.LoginRequiredMiddleware",
    "setu.audit.middleware.DenialAuditMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "setu.urls"
WSGI_APPLICATION = "setu.wsgi.application"
ASGI_APPLICATION = "setu.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # |rupees and |country everywhere, so money and countries are written one way.
            "builtins": ["setu.core.templatetags.setu_format"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "setu.web.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'setu.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("SETU_DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE avoids "database is locked" when the web server and the task worker write.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out login is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*"]
ACCOUNT_ADAPTER = "setu.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Changing or resetting a password clears a temporary one issued by an admin.
ACCOUNT_FORMS = {
    "change_password": "setu.accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "setu.accounts.forms.ResetPasswordKeyForm",
}
# A reset requested for an unknown address sends nothing: no mail from Setu to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Lockout is axes' job: 5 failures per (login, IP). allauth's own limit stays as a second layer
# against guessing spread over many addresses, high enough that a stranger cannot casually lock
# a colleague out everywhere by failing five times.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/15m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Setu"
# A code typed as its 30-second step ends reaches the server in the next step, more so on a slow
# connection: accept the step before and after, as RFC 6238 (section 5.2) recommends at most.
MFA_TOTP_TOLERANCE = 1

AXES_FAILURE_LIMIT = env_int("SETU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SETU_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with "username"/"email" credentials but posts "login": one key for both.
AXES_USERNAME_CALLABLE = "setu.accounts.lockout.login_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Absolute lifetime of a session; the idle limit is enforced by SessionTimeoutMiddleware.
SESSION_COOKIE_AGE = env_int("SETU_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SETU_SESSION_IDLE_SECONDS = env_int("SETU_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and not DEMO_MODE
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SETU_BEHIND_TLS_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("SETU_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SETU_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SETU_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SETU_HSTS_PRELOAD", False)
# A load balancer may probe /health over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
# Scripts and styles come only from Setu's own static files: no inline code, no other host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("or", _("Odia")),
    ("mr", _("Marathi")),
    ("te", _("Telugu")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no language information for Odia; without it the language menu cannot name it.
django.conf.locale.LANG_INFO = {
    **django.conf.locale.LANG_INFO,
    "or": {"bidi": False, "code": "or", "name": "Odia", "name_local": "ଓଡ଼ିଆ"},
}
TIME_ZONE = "Asia/Kolkata"
# Day-month-year and 24-hour times in every language (docs/translation.md, "Formats").
FORMAT_MODULE_PATH = ["setu.formats"]
USE_I18N = True
USE_TZ = True

# --- Static files (all served by the app; no CDN) ---------------------------------------------
STATIC_URL = "/static/"
# Setu's own stylesheet and icons live beside the templates, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("SETU_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEMO_MODE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

# --- Cache (rate limits) -----------------------------------------------------------------------
# Per process by default. With several app servers use a shared cache so that limits hold across
# them, e.g. django.core.cache.backends.db.DatabaseCache with location setu_cache (then run
# `setu createcachetable`).
CACHES = {
    "default": {
        "BACKEND": env_str("SETU_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("SETU_CACHE_LOCATION", ""),
    }
}

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("SETU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Retention ------------------------------------------------------------------------------
# Days after a case is closed until retention clears its free text and, once all of a person's
# cases are that old, her names, phones, address lines and documents (`setu retention run`,
# daily). Seven years by default; 0 turns retention off. Set it by your data-protection policy.
SETU_RETENTION_DAYS = env_int("SETU_RETENTION_DAYS", 2555)

# --- Uploads (photos and documents of persons and cases) ----------------------------------------
# Outside STATIC_ROOT and never served by the proxy: only the attachment view reads it, after the
# access policy (docs/uploads.md). Back it up with `setu backup`, which carries the files.
SETU_UPLOAD_DIR = Path(env_str("SETU_UPLOAD_DIR", str(VAR_DIR / "uploads")))
# The largest file one upload may be; a larger one is refused before more of it is read.
SETU_UPLOAD_MAX_MB = env_int("SETU_UPLOAD_MAX_MB", 10)
# The size check runs first, as bytes arrive; then Django's own handlers (memory, then disk).
FILE_UPLOAD_HANDLERS = [
    "setu.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Temporary files of large uploads are private to the app's user while they are checked.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- Shelters and bed holds -------------------------------------------------------------------
# A bed count not confirmed for this long shows "call to confirm" and the shelter is nudged.
SETU_CAPACITY_STALE_HOURS = env_int("SETU_CAPACITY_STALE_HOURS", 24)
# A bed hold lapses by itself after this long unless the shelter confirms the admission.
SETU_BED_HOLD_HOURS = env_int("SETU_BED_HOLD_HOURS", 4)
# Active holds one worker may have at once, so beds cannot be quietly blocked.
SETU_BED_HOLDS_PER_WORKER = env_int("SETU_BED_HOLDS_PER_WORKER", 3)
# A worker's repeated miss for the same referral (or district and kind) within this many minutes
# counts once as unmet demand, so retries do not inflate the statistic.
SETU_UNMET_DEMAND_REPEAT_MINUTES = env_int("SETU_UNMET_DEMAND_REPEAT_MINUTES", 30)
# A shelter whose beds are this full (percent of beds in service) is shown as nearly full.
SETU_SHELTER_NEARLY_FULL_PERCENT = env_int("SETU_SHELTER_NEARLY_FULL_PERCENT", 85)

# --- Referrals ------------------------------------------------------------------------------
# A referral waiting this long in "sent" (no answer) sends a reminder, and again each period.
SETU_REFERRAL_REMINDER_HOURS = env_int("SETU_REFERRAL_REMINDER_HOURS", 48)
# An accepted referral with no progress for this long sends a reminder.
SETU_REFERRAL_STALLED_HOURS = env_int("SETU_REFERRAL_STALLED_HOURS", 72)

# --- API ----------------------------------------------------------------------------------
# The largest page a list answers; a larger ?limit= is capped to it.
SETU_API_MAX_PAGE_SIZE = env_int("SETU_API_MAX_PAGE_SIZE", 200)
# Checks of a new person against the registry (the panel while typing) per user per minute.
SETU_MATCH_CHECKS_PER_MINUTE = env_int("SETU_MATCH_CHECKS_PER_MINUTE", 30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "setu.accounts.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The second never refuses: it answers 400 for query parameters the schema does not declare.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "setu.core.api_params.QueryParamsAsDeclared",
    ],
    "DEFAULT_PAGINATION_CLASS": "setu.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("SETU_API_RATE", "1200/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Audits refusals and bad tokens, then answers in the one error shape of setu.core.api.
    "EXCEPTION_HANDLER": "setu.audit.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Setu API",
    "DESCRIPTION": "The shared registry of the Setu anti-trafficking network. Every endpoint "
    "applies the same need-to-know access policy as the web interface.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "setu.core.api.declare_error_responses",
    ],
    # One stable name per choice set, so that several "status" fields don't collide.
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "setu.registry.models.DatePrecision",
        "CaseStatusEnum": "setu.registry.models.CaseStatus",
        "ApplicationStatusEnum": "setu.entitlements.models.ApplicationStatus",
        "ClaimStatusEnum": "setu.entitlements.models.ClaimStatus",
        "HoldStatusEnum": "setu.shelters.models.HoldStatus",
        "ServiceTypeEnum": "setu.directory.models.ServiceType",
        "HearingOutcomeEnum": "setu.legal.models.HearingOutcome",
        "MeasureKindEnum": "setu.legal.models.MeasureKind",
        "WitnessPlanStatusEnum": "setu.legal.models.WitnessPlanStatus",
        "AppealStatusEnum": "setu.legal.models.AppealStatus",
        "OperationKindEnum": "setu.fieldops.models.OperationKind",
        "OperationStatusEnum": "setu.fieldops.models.OperationStatus",
        "TeamRoleEnum": "setu.fieldops.models.TeamRole",
        "AlertReasonEnum": "setu.fieldops.models.AlertReason",
        "AlertStatusEnum": "setu.fieldops.models.AlertStatus",
        "StepStateEnum": "setu.fieldops.models.StepState",
        "PerpetratorKindEnum": "setu.intel.models.PerpetratorKind",
        "PerpetratorRoleEnum": "setu.intel.models.PerpetratorRole",
        "IdentifierKindEnum": "setu.intel.models.IdentifierKind",
        "IntelSearchKindEnum": "setu.intel.forms.SEARCH_KINDS",
        "FeedbackSubjectKindEnum": "setu.feedback.models.SubjectKind",
        "FeedbackStatusEnum": "setu.feedback.models.Status",
        "FeedbackThemeEnum": "setu.feedback.models.Theme",
        "FeedbackYesNoEnum": "setu.feedback.models.Safe",
    },
}

# --- Email and notifications -----------------------------------------------------------------
# The console default suits development only; `check --deploy` fails on it (mail.E001).
EMAIL_BACKEND_PATH = env_str("SETU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("SETU_EMAIL_HOST", "localhost"),
        "port": env_int("SETU_EMAIL_PORT", 587),
        "username": env_str("SETU_EMAIL_USER", ""),
        "password": env_secret("SETU_EMAIL_PASSWORD"),
        "use_tls": env_bool("SETU_EMAIL_USE_TLS", True),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = env_str("SETU_FROM_EMAIL", "setu@localhost")

# --- Logging: never personal data ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SETU_LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes would log the attempted username, which may be a person's name or email.
        "axes": {"level": "WARNING"},
        # At DEBUG (with SETU_DEBUG) Django logs every SQL statement with its parameters:
        # survivors' names, phones and villages. Never below INFO, whatever SETU_LOG_LEVEL says
        # (issue 28, promise 2; tests/test_no_personal_data_leaks.py).
        "django.db.backends": {"level": "INFO"},
    },
}

# --- Phone channels: SMS keywords, missed calls, RapidPro (docs/channels.md) --------------------
# The shared secret gateways send in the X-Setu-Secret header; the webhooks answer 503 while it is
# unset. RapidPro may have its own (falls back to SETU_CHANNELS_SECRET).
SETU_CHANNELS_SECRET = env_secret("SETU_CHANNELS_SECRET")
SETU_CHANNELS_RAPIDPRO_SECRET = env_secret("SETU_CHANNELS_RAPIDPRO_SECRET")
# Purpose of each number callers ring for a missed call: feedback=+911234500001,checkin=+91…
SETU_CHANNELS_LINES = env_map("SETU_CHANNELS_LINES")
# Purpose of each RapidPro flow, by flow UUID (or name): feedback=<uuid>,feedback_ivr=<uuid>
SETU_CHANNELS_FLOWS = env_map("SETU_CHANNELS_FLOWS")
# Webhook requests per minute from one address to one adapter; a larger body is refused (bytes).
SETU_CHANNELS_RATE = env_int("SETU_CHANNELS_RATE", 600)
SETU_CHANNELS_MAX_BODY = env_int("SETU_CHANNELS_MAX_BODY", 16384)
# The language of Setu's own SMS replies (the help listing the keywords): en, hi, bn, mr, or, te.
SETU_CHANNELS_LANGUAGE = env_str("SETU_CHANNELS_LANGUAGE", "en")
# How long a delivered message id is remembered, so that a re-delivery is not handled twice.
SETU_CHANNELS_DEDUP_DAYS = env_int("SETU_CHANNELS_DEDUP_DAYS", 30)
# Who starts IVR/SMS flows (the free call-back): the console (development) or RapidPro.
SETU_FLOW_STARTER = env_str("SETU_FLOW_STARTER", "setu.channels.adapters.ConsoleFlowStarter")
SETU_RAPIDPRO_URL = env_str("SETU_RAPIDPRO_URL", "")
SETU_RAPIDPRO_TOKEN = env_secret("SETU_RAPIDPRO_TOKEN")
SETU_RAPIDPRO_TIMEOUT = env_int("SETU_RAPIDPRO_TIMEOUT", 10)
