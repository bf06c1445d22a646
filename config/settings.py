"""Settings for the whole project, read from the environment.

With nothing set the app runs on the embedded default: a SQLite file in the project and Celery
over kombu's filesystem transport (a worker started by `make run`), so a newcomer needs no
server. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis. With `DEBUG` off the
production values (`SECRET_KEY`, `ALLOWED_HOSTS`) are required and checked at start-up.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """`name` from the environment, or the first line of the file named by `name`_FILE (a
    Docker secret)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return next(iter(Path(path).read_text().splitlines()), "").strip()
    return os.environ.get(name, "")


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "areas.apps.SecureAdminConfig",  # django.contrib.admin behind OTP, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # serves the API docs' Swagger UI from static files (no CDN)
    "areas",
    "programmes",
    "subjects",
    "criteria",
    "dossiers",
    "reports",
    "registry",
    "exchange",
    "quality",
    "snapshots",
    "papers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "areas.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USING_POSTGRES:
    # The registers fit in memory (100,000 persons and their records are a few hundred MB), so a
    # random page read costs about what a sequential one does. With PostgreSQL's default of 4 the
    # planner scanned the whole person table to score one commune's villages instead of reading
    # them through the village index (≈ 45 → 18 ms per query at 100,000 persons; README, "Load
    # benchmark"). Set on each connection, so it holds whichever server the app is pointed at.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={os.environ.get('DB_RANDOM_PAGE_COST', '1.1')}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "areas.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow on purpose; tests hash hundreds of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's rules with Vietnamese messages; the common list also refuses the product's own words.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "areas.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "areas.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "areas.passwords.CommonPasswordValidator"},
    {"NAME": "areas.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (username + address) for an hour after 5 failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Not on every request: config.sessions slides the expiry, writing at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Everything comes from the app itself (assets are vendored): no inline or foreign script runs.
# Bootstrap's CSS draws its icons as data: images. Style *attributes* stay allowed: a handful of
# templates set a width in one, they cannot run code, and <style> elements stay forbidden.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Reverse proxies in front of gunicorn (docker-compose: Caddy, so 1). Only their X-Forwarded-For
# and X-Forwarded-Proto are believed (config/client_ip.py); with 0, nobody's are.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
except ValueError as error:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number of reverse proxies.") from error
if TRUSTED_PROXY_COUNT:
    # The proxy terminates TLS and overwrites the header, so SECURE_SSL_REDIRECT does not loop.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # uploads are served only through views that check jurisdiction
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Signing keys (dossiers/signing.py): their own folder, a volume of their own in compose, and
# their own passphrase. Not derived from SECRET_KEY, which must be free to rotate.
SIGNING_DIR = os.environ.get("SIGNING_DIR", "")  # empty: VAR_DIR/signing
SIGNING_KEY_PASSPHRASE = env_secret("SIGNING_KEY_PASSPHRASE")
if not SIGNING_KEY_PASSPHRASE:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SIGNING_KEY_PASSPHRASE (or SIGNING_KEY_PASSPHRASE_FILE) must be set when DEBUG is off."
        )
    SIGNING_KEY_PASSPHRASE = "local-development-only-signing-passphrase"  # noqa: S105

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work. Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which
# needs no server: `make run` starts a worker beside the web server.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
# A report build is killed after REPORT_TIME_LIMIT seconds. While it runs it holds a lease on its
# row that a heartbeat renews; the reaper (beat, below) queues again a report whose lease ran out
# because its worker died, so a lost build is redone within a minute or so.
REPORT_TIME_LIMIT = 600
REPORT_LEASE_SECONDS = 30
# Redis hands an unacknowledged message to another worker after this: above the hard time limit
# (a live build is never delivered twice), far below the hour that left reports stuck.
REDIS_VISIBILITY_TIMEOUT = REPORT_TIME_LIMIT + 300
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": REDIS_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),  # else kombu writes ./control
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True  # outcomes are stored on the app's own models
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Memory bounds of a worker's pool process, from measured peaks (DEBUG off, PostgreSQL): a
# province report (1,000 villages, PDF and xlsx) peaks at ≈ 220 MB, the nightly scoring of the
# largest province (5,300 units) at ≈ 120 MB, and scoring all 34 provinces in one process stays
# there. A process above 450 MB (twice the largest peak) is replaced once its task ends, and any
# process after 100 tasks, which bounds slow growth from fragmentation. README: "Bộ nhớ".
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 450 * 1024)
)  # KiB
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "100"))
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
# Every night each province's villages and communes are scored into dated snapshots (one task
# per province, `snapshots.tasks`), and its recognised units are watched from the same scores:
# recognised units must keep the criteria.
CELERY_BEAT_SCHEDULE["snapshots-score-nightly"] = {
    "task": "snapshots.tasks.score_nightly",
    "schedule": crontab(hour=1, minute=30),
}
# Each recognised unit's yearly "giữ vững" review opens on its review date (idempotent: once a year).
CELERY_BEAT_SCHEDULE["dossiers-open-yearly-reviews"] = {
    "task": "dossiers.tasks.open_yearly_reviews",
    "schedule": timedelta(days=1),
}
# Reports: each day, draft the periodic reports on 30/6 and 31/12, and the phase summaries that
# fall due within 30 days (10/12 in plan 174/KH-UBND); the responsible users see them at home.
CELERY_BEAT_SCHEDULE["reports-draft-periodic"] = {
    "task": "reports.tasks.draft_periodic_reports",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["reports-draft-due-summaries"] = {
    "task": "reports.tasks.draft_due_summaries",
    "schedule": timedelta(days=1),
}
# Data quality: each day, this month's scores of every commune (the month's last run stands),
# the trend the quality pages show.
CELERY_BEAT_SCHEDULE["quality-snapshots"] = {
    "task": "quality.tasks.take_quality_snapshots",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["reports-reap"] = {
    "task": "reports.tasks.reap_reports",
    "schedule": timedelta(seconds=REPORT_LEASE_SECONDS / 2),
}

# The exchange API (exchange/): tokens are counted per minute in a cache all server processes
# share (Redis when REDIS_URL is set; a process's own memory otherwise, enough for one process).
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api-rate": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "api-rate",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-rate"}
    ),
}
# A token is refused after its expiry; when issued in the admin it runs this many days by default.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "365"))
# Rows per page of the API (a client may ask for fewer, never more).
API_PAGE_MAX = 500

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "KhongMaTuy@2024")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; person data never appears in a URL.
        "django.request": {"level": "WARNING"},
        # axes logs every login at INFO; keep failures and lockouts only.
        "axes": {"level": "WARNING"},
        # WeasyPrint's font subsetting logs every glyph list at INFO: one screenful per PDF.
        "fontTools": {"level": "WARNING"},
    },
}
