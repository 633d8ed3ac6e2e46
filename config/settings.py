"""Timebridge settings, read from the environment (django-environ), in two profiles.

- Local, the default: every value has a local default, so that `make run` works on a fresh
  clone with nothing but Python: DEBUG on, an embedded SQLite database in var/ (a folder every
  checkout has), a local-memory cache, plain HTTP and a development SECRET_KEY.
- Production: `DEBUG=false` and the environment of docs/deployment.md ("Production
  environment"): SECRET_KEY (the server refuses to start on the development key),
  DATABASE_URL (PostgreSQL), REDIS_URL, ALLOWED_HOSTS and the HTTPS switches.
  `manage.py check --deploy` passes with exactly that environment (a test proves it).

The module only reads and checks values; it creates no files or directories.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# Local default only, so that `make run` works on a fresh clone. Anything with DEBUG off is
# treated as a deployment: sessions, CSRF tokens and password resets signed with a key that
# is public in this repository could be forged, so the server refuses to start.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is the built-in development key (or empty) while DEBUG is off. Set "
        "SECRET_KEY in the environment to a long random value (see docs/deployment.md)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind an HTTPS-terminating proxy that sets X-Forwarded-Proto (and strips it from
# clients), so that MOCO `Link` and Huddle `href`s say https://.
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    # Before the admin, so that its templates (the dashboard) override the admin's own.
    "backoffice",
    "backoffice.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    # Swagger UI and ReDoc served by the project itself: /api/docs/ works without internet.
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "accounts",
    "presences",
    "ooo",
    "clock",
    "workingtimes",
    "imports",
    "ledger",
    # ArbZG findings: an app of its own for its admin page (a proxy model, no table).
    "ledger.compliance",
    "closing",
    # `manage.py load_demo`: above every other app, so that none of them imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves the admin's static files under gunicorn, without a separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the models' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Clients differ on trailing slashes; every API route accepts both, so never redirect (a
# redirected POST loses its body).
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: an IMMEDIATE transaction takes the write lock up front, so
    # the read-check-write of every service is serialized (docs/decisions.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Django's backend, but a connection used within DB_HEALTH_CHECK_IDLE_SECONDS skips the
    # per-request health check (config/postgresql/base.py, docs/performance.md).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "config.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The back office's language: `en` or `de` (Django's admin is translated; Timebridge's own
# strings live in locale/). The vendor APIs stay English (config.language).
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# 24-hour times and day.month.year dates in every language (config/formats/common.py).
FORMAT_MODULE_PATH = ["config.formats"]
# The company time zone; a user's own `timezone` overrides it (docs/decisions.md).
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Serve static files straight from the apps as well, so that the admin and the API docs are
# styled under gunicorn with DEBUG=false even before (or without) `collectstatic`.
WHITENOISE_USE_FINDERS = True
# `collectstatic` creates it; before that WhiteNoise warns once per process that it is
# missing, so `make` creates it empty for the local server and the tests.
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    # Each view names its wire dialect (config.api.dialects), which sets the renderer,
    # authentication, paginator, throttle and exception handler; these are the fallbacks.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Timebridge",
    "DESCRIPTION": (
        "One backend for four working-time APIs: MOCO user presences, Huddle presence, "
        "McTime clocking and ProSonata working times."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"TimeTypeEnum": "clock.models.TimeType"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Per-API-key request quotas per wire dialect, as "requests/seconds" (docs/decisions.md).
RATE_LIMITS = {
    "moco": env.str("RATE_LIMIT_MOCO", default="1000/900"),
    "huddle": env.str("RATE_LIMIT_HUDDLE", default="1000/900"),
    "mctime": env.str("RATE_LIMIT_MCTIME", default="1000/900"),
    "prosonata": env.str("RATE_LIMIT_PROSONATA", default="500/900"),
    "timebridge": env.str("RATE_LIMIT_TIMEBRIDGE", default="1000/900"),
}
# An API key's last_used_at is written at most this often, not on every request.
API_KEY_LAST_USED_RESOLUTION_SECONDS = 60
# How long a server process may remember an authenticated API key (config/api/keycache.py);
# 0 = look every key up. The production server's configuration (gunicorn.conf.py) sets it.
API_KEY_CACHE_SECONDS = env.int("API_KEY_CACHE_SECONDS", default=0)
# A database connection used this recently skips Django's per-request health check.
DB_HEALTH_CHECK_IDLE_SECONDS = env.float("DB_HEALTH_CHECK_IDLE_SECONDS", default=1.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# ProSonata: a work day's dailyTimeTotal that disagrees with its times is stored and noted
# ("warn", as ProSonata itself accepts it) or refused with 400 ("strict").
PROSONATA_TOTAL_CHECK = env.str("PROSONATA_TOTAL_CHECK", default="warn").strip().lower()
if PROSONATA_TOTAL_CHECK not in ("warn", "strict"):
    raise ImproperlyConfigured(
        f"PROSONATA_TOTAL_CHECK must be warn or strict, not {PROSONATA_TOTAL_CHECK!r}."
    )

# --- Production hardening, switched on by the environment (docs/deployment.md) ------------
# TLS ends at the proxy; these make Django insist on it. Off by default so that `make run`
# and the test server keep working over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# The health check is probed over plain HTTP from inside the network (load balancers,
# Docker); redirecting it would report a healthy instance as down.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)

# Failed admin logins (django-axes): after AXES_FAILURE_LIMIT failures for one username from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES (429). Counted in the
# database, so every server process shares the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15.0))
# Username and address together: a stranger guessing one account's password is stopped,
# but cannot lock the real person out from elsewhere by failing on purpose. Behind a proxy
# every request comes from the proxy's address, so the lockout is then per username
# (docs/deployment.md).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# ArbZG compliance findings (ledger.compliance). Collective agreements may deviate (§7 ArbZG),
# so the active rules and thresholds are settings; empty means all rules / statute defaults.
COMPLIANCE_HOLIDAY_REGION = env.str("COMPLIANCE_HOLIDAY_REGION", default="DE-BE")
COMPLIANCE_RULES = env.list("COMPLIANCE_RULES", default=[])
COMPLIANCE_THRESHOLDS = env.json("COMPLIANCE_THRESHOLDS", default={})

# Retention: purge_records never removes records younger than this many days. §16(2)
# ArbZG requires keeping working-time records for two years; a lower value is raised to it.
RETENTION_MINIMUM_DAYS = max(730, env.int("RETENTION_MINIMUM_DAYS", default=730))

# The back office's timesheet: the weekly target (hours, spread over Monday-Friday) for users
# without their own (accounts.User.weekly_target_hours).
TIMESHEET_WEEKLY_TARGET_HOURS = env.float("TIMESHEET_WEEKLY_TARGET_HOURS", default=40.0)
