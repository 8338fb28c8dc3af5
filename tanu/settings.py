"""Settings for tanu, read from the environment (see README, "Configuration").

Safe defaults: an embedded SQLite database under ``var/``, production-grade security unless
``TANU_DEBUG=1``; demo mode only with ``TANU_DEMO=1`` and never on a public host.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tanu.lib.env import env_bool, env_int, env_list, env_str
from tanu.lib.logs import FORMATS as LOG_FORMATS
from tanu.lib.logs import formatter_config

BASE_DIR = Path(__file__).resolve().parent
# Every file and folder tanu creates (the SQLite database and its journal, documents, backups,
# anchors, exports) is readable by the account that runs it only.
os.umask(0o077)
# The database, documents, backups, anchors and static files. Production names it explicitly,
# outside the installation (checked below); debug, demo and tests default to var/ beside the code.
DATA_DIR = Path(env_str("TANU_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()

DEBUG = env_bool("TANU_DEBUG", False)
DEMO = env_bool("TANU_DEMO", False)
TESTING = env_bool("TANU_TESTING", False)
BUILD_COMMAND = env_bool("TANU_BUILD_COMMAND", False)  # set by tanu.cli for build-only commands

_DEV_SECRET = "django-insecure-tanu-development-only-never-use-in-production"
SECRET_KEY = env_str("TANU_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO or TESTING or BUILD_COMMAND:
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "TANU_SECRET_KEY is not set. Set it to a long random value (see README, Production), "
            "or set TANU_DEBUG=1 for local development."
        )

if not (DEBUG or DEMO or TESTING or BUILD_COMMAND):
    if not env_str("TANU_DATA_DIR"):
        raise ImproperlyConfigured(
            "TANU_DATA_DIR is not set. Set it to a directory outside the installation, such as "
            "/var/lib/tanu (see README, Production): the database, documents, backups and static "
            "files live there, and the default (beside the code) is deleted with the virtualenv "
            "when it is rebuilt. Or set TANU_DEBUG=1 for local development."
        )
    for _installation in (BASE_DIR, Path(sys.prefix).resolve()):
        if DATA_DIR.is_relative_to(_installation):
            raise ImproperlyConfigured(
                f"TANU_DATA_DIR={DATA_DIR} is inside the installation ({_installation}): "
                "reinstalling tanu or rebuilding its virtualenv would delete the database, "
                "documents, backups and static files. Choose a directory outside it, such as "
                "/var/lib/tanu (see README, Production)."
            )

_LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
ALLOWED_HOSTS = env_list("TANU_ALLOWED_HOSTS", _LOCAL_HOSTS)
if DEMO and any(host not in _LOCAL_HOSTS for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "TANU_DEMO=1 is only allowed when the app is served on this machine (TANU_ALLOWED_HOSTS "
        "names only 127.0.0.1/localhost). Demo data and demo passwords must never reach a public host."
    )
CSRF_TRUSTED_ORIGINS = env_list("TANU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",  # second factors: tanu.accounts' own devices (encrypted seed, hashed codes)
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",  # the default queue: a table of the database (tanu worker runs it)
    "tanu.accounts",
    "tanu.audit",
    "tanu.identification",
    "tanu.cases",
    "tanu.referrals",
    "tanu.registers",
    "tanu.linkage",
    "tanu.monitoring",
    "tanu.training",
    "tanu.proceedings",
    "tanu.reports",
    "tanu.ops",
]

MIDDLEWARE = [
    "tanu.lib.http.DemoLoopbackOnlyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may read the database: an error page (a 500 when the database is
    # down) still gets the CSP and X-Frame-Options headers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tanu.lib.http.JsonDepthLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tanu.lib.http.NoStoreForAuthenticatedMiddleware",
    "tanu.audit.middleware.DeniedAccessAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tanu.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tanu.accounts.middleware.UserLanguageMiddleware",
    "tanu.accounts.middleware.RequireMfaMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tanu.urls"
WSGI_APPLICATION = "tanu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tanu.accounts.context_processors.tanu",
            ],
            # {% error_summary %}: every form with an error is summarised at the top (base.html).
            "libraries": {"form_errors": "tanu.lib.form_errors"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("TANU_DATABASE_URL", f"sqlite:///{DATA_DIR / 'tanu.sqlite3'}"),
        conn_max_age=env_int("TANU_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Passwords: Argon2 first; common and breached-list passwords are refused without sending
# anything to a third party (Django's list of 20,000 common passwords ships with Django).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: five failures for one username from one address lock that pair out for
# fifteen minutes. Locking by the pair means nobody can lock another user out for good.
AXES_FAILURE_LIMIT = env_int("TANU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("TANU_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tanu.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Password spraying: an address that fails with this many different usernames within the window
# is refused sign-in (web and API) until its failures are older than the window.
TANU_LOGIN_SPRAY_LIMIT = env_int("TANU_LOGIN_SPRAY_LIMIT", 10)
TANU_LOGIN_SPRAY_MINUTES = env_int("TANU_LOGIN_SPRAY_MINUTES", 30)

# Two-factor authentication: required for every role that can see personal data unless this
# is a development or demo installation.
TANU_REQUIRE_MFA = env_bool("TANU_REQUIRE_MFA", not (DEBUG or DEMO))
OTP_TOTP_ISSUER = "tanu"

# Case handling: the recovery and reflection period (CETS 197 Art. 13: at least 30 days).
TANU_REFLECTION_DAYS = max(30, env_int("TANU_REFLECTION_DAYS", 30))
TANU_REFLECTION_REMINDER_DAYS = env_int("TANU_REFLECTION_REMINDER_DAYS", 7)
# Court hearings are announced to the case workers this many days ahead (tanu proceedings remind).
TANU_HEARING_REMINDER_DAYS = max(1, env_int("TANU_HEARING_REMINDER_DAYS", 3))
# Retention, in days after a case is closed, before `tanu retention apply` anonymises it.
TANU_RETENTION_DAYS = {
    "closed_case": env_int("TANU_RETENTION_CLOSED_CASE_DAYS", 5 * 365),
    "draft_screening": env_int("TANU_RETENTION_DRAFT_SCREENING_DAYS", 180),
}

# Statistics: seconds the dashboard's figures are reused before they are computed again in the
# background (tanu.reports.snapshots); 0 computes them for every request (the test suite's
# default, so that tests see every change at once).
TANU_STATS_MAX_AGE = max(0, env_int("TANU_STATS_MAX_AGE", 0 if TESTING else 300))

# Background work (exports, statistics, reminders, retention, audit anchors) runs as tasks of
# django-tasks (tanu/*/tasks.py). TANU_TASKS_BACKEND: `database` (the default: the queue is a
# table of the database, run by `tanu worker`), `immediate` (each task runs where it is asked
# for: the test suite's default), `rq` (Redis at TANU_REDIS_URL, run by
# `tanu rqworker --job-class django_tasks_rq.Job` on any number of machines; needs the
# django-tasks-rq package), or the dotted path of another django-tasks backend.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TANU_TASKS_BACKEND = env_str("TANU_TASKS_BACKEND", "immediate" if TESTING else "database")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(TANU_TASKS_BACKEND, TANU_TASKS_BACKEND)}}
if TANU_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": env_str("TANU_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "DEFAULT_TIMEOUT": 3 * 60 * 60,
        }
    }

# Sessions: 30 minutes idle, 12 hours at most.
TANU_SESSION_IDLE_SECONDS = env_int("TANU_SESSION_IDLE_SECONDS", 30 * 60)
TANU_SESSION_MAX_SECONDS = env_int("TANU_SESSION_MAX_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = TANU_SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
TANU_API_TOKEN_HOURS = env_int("TANU_API_TOKEN_HOURS", 12)

# Audit anchors (`tanu audit anchor`, hourly): the HMAC key stays outside the database.
TANU_AUDIT_KEY = env_str("TANU_AUDIT_KEY", "")
# Former audit keys (and a former TANU_SECRET_KEY), for verifying the older entries only.
TANU_AUDIT_RETIRED_KEYS = env_list("TANU_AUDIT_RETIRED_KEYS", [])
TANU_AUDIT_ANCHOR_FILE = env_str("TANU_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchors.log"))
# Where the backup timer (deploy/tanu-backup) writes and `tanu drill` looks for the newest backup.
TANU_BACKUP_DIR = Path(env_str("TANU_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()

SECURE = not (DEBUG or DEMO or TESTING)
SESSION_COOKIE_SECURE = env_bool("TANU_SECURE_COOKIES", SECURE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("TANU_SSL_REDIRECT", SECURE)
# Load balancers ask /healthz over plain HTTP, from inside the network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("TANU_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("TANU_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The installable app: its service worker and its manifest (tanu.identification.offline).
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = env_str("TANU_DEFAULT_LANGUAGE", "ru")
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kazakh (which Django lacks) and English as read in Kazakhstan; Russian is Django's own.
FORMAT_MODULE_PATH = ["tanu.formats"]
LANGUAGE_COOKIE_NAME = "tanu_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = env_str("TANU_TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TANU_SITE_URL = env_str("TANU_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env_str("TANU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("TANU_FROM_EMAIL", "tanu@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tanu.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tanu.lib.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "tanu.lib.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tanu.lib.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tanu API",
    "DESCRIPTION": "Identification, protection and referral of presumed victims of trafficking.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ScreeningStatusEnum": "tanu.identification.models.Screening.Status",
        "CaseStatusEnum": "tanu.cases.models.Case.Status",
        "ReferralStatusEnum": "tanu.referrals.models.Referral.Status",
        "FacilityKindEnum": "tanu.monitoring.models.Facility.Kind",
        "SexEnum": "tanu.cases.models.Sex",
        "ProceedingStageEnum": "tanu.proceedings.models.Proceeding.Stage",
        "ProceedingVerdictEnum": "tanu.proceedings.models.Proceeding.Verdict",
        "ProceedingClosingReasonEnum": "tanu.proceedings.models.Proceeding.ClosingReason",
        "ProceduralStatusEnum": "tanu.proceedings.models.Proceeding.PersonStatus",
        "ProtectionMeasureKindEnum": "tanu.proceedings.models.ProtectionMeasure.Kind",
        "SuspectStandingEnum": "tanu.proceedings.models.SuspectCount.Standing",
        "SuspectRoleEnum": "tanu.proceedings.models.SuspectCount.Role",
        "SuspectSexEnum": "tanu.proceedings.models.SuspectCount.Sex",
    },
}

# The OpenAPI schema (/api/v1/schema/) is open only in development and demo mode; in production
# it needs a signed-in user, like the rest of the API.
TANU_API_SCHEMA_PUBLIC = DEBUG or DEMO
# Lists (pages and API) count rows exactly up to this many; above it "more than N" or an estimate.
TANU_LIST_COUNT_CAP = max(1, env_int("TANU_LIST_COUNT_CAP", 1000))
# Record linkage keeps pairs at least this likely for review, in per cent (tanu.linkage.engine;
# 90 was chosen by benchmarks/bench_linkage.py: precision and recall both above their targets).
TANU_LINKAGE_THRESHOLD = min(99, max(50, env_int("TANU_LINKAGE_THRESHOLD", 90))) / 100
# An alert when one user opens more person records than this within the window (tanu.audit).
TANU_ALERT_PERSON_RECORDS = max(1, env_int("TANU_ALERT_PERSON_RECORDS", 25))
TANU_ALERT_WINDOW_MINUTES = max(1, env_int("TANU_ALERT_WINDOW_MINUTES", 10))

# Logs never carry personal data: no request bodies, no query strings of form posts. Times are
# UTC (ISO 8601) whatever TANU_TIME_ZONE says; TANU_LOG_FORMAT=json writes one JSON object a line.
TANU_LOG_FORMAT = env_str("TANU_LOG_FORMAT", "text").lower()
if TANU_LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(
        f"TANU_LOG_FORMAT={TANU_LOG_FORMAT!r} is not known: use 'text' (the default) or 'json'."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": formatter_config(TANU_LOG_FORMAT)},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TANU_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
