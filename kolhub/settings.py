"""KOLHub settings: one module, driven by environment variables (see README)."""

from __future__ import annotations

import base64
import os
import re
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOLHUB_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path} ({exc})") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    value = env_str(name).strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is required when DEBUG is off (set {name} or {name}_FILE)"
        )
    return value


# As in healthchecks: development by default; production sets DEBUG=0 (docker-compose does).
DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-kolhub-development-only-key-0123456789"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
else:
    SECRET_KEY = env_secret("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is required when DEBUG is off (comma-separated host names)"
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "kolhub",
    "creators",
    "campaigns",
    "tracking",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kolhub.middleware.UserLanguageMiddleware",
    # Once the language is known (the user's own too), so the 400 page is in it.
    "kolhub.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so a locked-out login attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kolhub.urls"
FORM_RENDERER = "kolhub.forms_renderer.KOLHubFormRenderer"
WSGI_APPLICATION = "kolhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "kolhub.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")


def _database_from_url(url: str) -> dict[str, Any]:
    import dj_database_url

    parsed = urlsplit(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL, got scheme {parsed.scheme!r}"
        )
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    # psycopg 3 connection pool: a few connections per process, reused across requests.
    if env_bool("DATABASE_POOL", True):
        config["OPTIONS"] = {
            "pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_MAX", 8), "timeout": 10}
        }
    return config


if DATABASE_URL:
    DATABASES = {"default": _database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kolhub.sqlite3",
            "OPTIONS": {
                # The web process, the worker and beat write to one file: WAL lets readers
                # run beside a writer, IMMEDIATE takes the write lock at BEGIN so two writers
                # queue on the busy timeout instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kolhub.User"

# --- Cache and Celery -----------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, got {REDIS_URL!r}")

# Redis hands a message that is still unacknowledged after this many seconds to another worker,
# whether or not its first worker is still at it (tasks are acknowledged late). So it must exceed
# the longest a task can hold its message: its hard time limit plus, for a retry, the countdown
# it waits out inside the worker (tests/kolhub/test_visibility_timeout.py). It is also how long
# the task of a killed worker waits before it runs again.
VISIBILITY_TIMEOUT_SECONDS = env_int("CELERY_VISIBILITY_TIMEOUT", 1800)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kolhub.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kolhub"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS}
else:
    # No server needed: kombu's filesystem transport, one shared folder for producers and
    # consumers, so a real worker and beat run on a laptop.
    BROKER_DIR = VAR_DIR / "broker"
    (BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "control").mkdir(parents=True, exist_ok=True)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Retry forever, not 100 times (about 47 minutes): a worker and beat's remote control outlive a
# long outage of Redis instead of giving up on it.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# The one place the periodic schedule is declared; DatabaseScheduler copies it into the
# django-celery-beat tables at start, where admins can see and pause it.
HEARTBEAT_INTERVAL_SECONDS = env_int("HEARTBEAT_INTERVAL_SECONDS", 15)


def _every(task: str, seconds: int) -> dict:
    """Run `task` every `seconds`; a run not started before the next is due expires, so a
    stopped worker never comes back to a pile of the same task."""
    return {"task": task, "schedule": float(seconds), "options": {"expires": seconds}}


def _daily(task: str, hour: int, minute: int) -> dict:
    """Run `task` once a day at hour:minute UTC; a run not started within 6 hours expires."""
    return {
        "task": task,
        "schedule": crontab(minute=minute, hour=hour),
        "options": {"expires": 6 * 3600},
    }


CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": _every("kolhub.tasks.heartbeat", HEARTBEAT_INTERVAL_SECONDS),
    "tracking-register-posts": _every("tracking.tasks.register_published_posts", 60),
    # Followers and audiences of the accounts at work (each read once a day).
    "tracking-refresh-accounts": _every("tracking.tasks.refresh_accounts", 3600),
    # Tokens renewed before they lapse, creators asked to reconnect what broke.
    "tracking-connections-upkeep": _every("tracking.tasks.connections_upkeep", 3600),
    # Stores the clicks the web processes logged (within seconds; counts per day follow).
    "tracking-drain-clicks": _every("tracking.tasks.drain_clicks", 5),
    # Claims due posts and sends one pull task per provider, connection and batch.
    "tracking-schedule-pulls": _every("tracking.tasks.schedule_pulls", 60),
    # Figures that ingest and sales marked stale, a debounce after the first event.
    "tracking-recompute-marked": _every("tracking.tasks.recompute_marked", 60),
    # Campaign figures not recomputed after any event for an hour (edits to costs, say).
    "tracking-refresh-stale-results": _every("tracking.tasks.refresh_stale_results", 900),
    # Outgoing webhooks: retries that are due (kolhub.webhooks.services).
    "webhooks-send-due": _every("kolhub.tasks.webhooks_send_due", 30),
    # Report files of figures since recomputed, or older than REPORT_FILES_KEEP_HOURS.
    "tracking-prune-report-files": _daily("tracking.tasks.prune_report_files", 0, 40),
    # Directory exports older than DIRECTORY_EXPORT_KEEP_HOURS.
    "creators-prune-directory-exports": _daily("creators.tasks.prune_directory_exports", 0, 45),
    "webhooks-prune": _daily("kolhub.tasks.webhooks_prune", 0, 50),
    # Daily, early morning in Asia (00:30 UTC); each workspace is judged in its own time zone.
    "campaign-reminders": _daily("campaigns.tasks.send_reminders", 0, 30),
}
# Outgoing webhooks wait this long for an endpoint's answer (docs/webhooks.md). Plain http to
# 127.0.0.1 is allowed only when WEBHOOKS_ALLOW_LOOPBACK is on: the tests' own local receiver.
WEBHOOKS_TIMEOUT_SECONDS = 10.0
WEBHOOKS_ALLOW_LOOPBACK = False
# Stored figures are recomputed this long after the first event that changes them (a pull,
# an order, clicks): a burst of events costs one computation (tracking.marks).
RESULTS_DEBOUNCE_SECONDS = env_int("RESULTS_DEBOUNCE_SECONDS", 60)
# A campaign's XLSX and PDF are built by a worker (the page shows progress, then a link) when
# its figures have more collaborations than this (a PDF: a quarter); smaller ones in the request.
REPORT_EXPORT_WORKER_ROWS = env_int("REPORT_EXPORT_WORKER_ROWS", 200)
REPORT_FILES_KEEP_HOURS = env_int("REPORT_FILES_KEEP_HOURS", 72)  # or until new figures
# The directory's CSV and XLSX of more creators than this are built by a worker, the same way.
DIRECTORY_EXPORT_WORKER_ROWS = env_int("DIRECTORY_EXPORT_WORKER_ROWS", 2000)
DIRECTORY_EXPORT_KEEP_HOURS = env_int("DIRECTORY_EXPORT_KEEP_HOURS", 24)
# /healthz treats the worker as down when its last heartbeat is older than this.
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 90)
# The operations page says "stopped" sooner than /healthz does: it only informs a person (a
# worker busy with long pulls may miss a beat), while /healthz decides a container's health.
# Three missed beats, shown within a minute of the stop with the page's 15-second refresh.
WORKER_STOPPED_AFTER_SECONDS = env_int(
    "WORKER_STOPPED_AFTER_SECONDS", min(3 * HEARTBEAT_INTERVAL_SECONDS, HEARTBEAT_MAX_AGE_SECONDS)
)

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Login throttling: lock an (account, IP) pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kolhub.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind N reverse proxies the client address is the N-th from the right in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Password reset: e-mails per address and requests per client address (an IPv6 /64), per
# hour (kolhub.ratelimit). Past the first nothing more is sent; past the second: 429.
PASSWORD_RESET_EMAILS_PER_ADDRESS = env_int("PASSWORD_RESET_EMAILS_PER_ADDRESS", 3)
PASSWORD_RESET_REQUESTS_PER_IP = env_int("PASSWORD_RESET_REQUESTS_PER_IP", 20)

# --- Email ----------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KOLHub <noreply@localhost>")
# Links in emails sent by the worker (reminders, portal links), where there is no request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not re.fullmatch(r"https?://[^/\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be the app's address such as https://kolhub.example.com, got {SITE_URL!r}"
    )

# --- Tracking: platform providers ------------------------------------------
# Platform tokens are encrypted at rest with these Fernet keys (comma-separated, newest
# first): add a new key in front, run `manage.py rotate_token_keys`, then drop the old one.
# Development derives one from SECRET_KEY; production must set its own.
TOKEN_ENCRYPTION_KEYS = env_list("TOKEN_ENCRYPTION_KEYS")
if not TOKEN_ENCRYPTION_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "TOKEN_ENCRYPTION_KEYS is required when DEBUG is off: generate one with "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
for _key in TOKEN_ENCRYPTION_KEYS:
    try:
        _valid = len(base64.urlsafe_b64decode(_key.encode())) == 32
    except ValueError:
        _valid = False
    if not _valid:
        raise ImproperlyConfigured(
            "TOKEN_ENCRYPTION_KEYS must be Fernet keys (32 bytes, url-safe base64), comma-separated"
        )
# Each provider's base URL can point at a proxy or a local server speaking its protocol.
PROVIDER_BASE_URLS = {
    "youtube": env_str("YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3"),
    "instagram": env_str("INSTAGRAM_API_URL", "https://graph.facebook.com/v24.0"),
    # A creator's own Instagram Login token is good only on Instagram's host.
    "instagram_login": env_str("INSTAGRAM_LOGIN_API_URL", "https://graph.instagram.com/v24.0"),
    "facebook": env_str("FACEBOOK_API_URL", "https://graph.facebook.com/v24.0"),
    "threads": env_str("THREADS_API_URL", "https://graph.threads.net/v1.0"),
    "tiktok": env_str("TIKTOK_API_URL", "https://open.tiktokapis.com"),
    # Read with a creator's own Google grant: watch time and the channel's audience.
    "youtube_analytics": env_str(
        "YOUTUBE_ANALYTICS_API_URL", "https://youtubeanalytics.googleapis.com/v2"
    ),
}
YOUTUBE_API_KEY = env_str("YOUTUBE_API_KEY")
# OAuth apps for the connect flows (Meta: Facebook Login for Pages and the Instagram accounts
# tied to them; Instagram Login; Threads; TikTok Login Kit; Google for YouTube).
META_APP_ID = env_str("META_APP_ID")
META_APP_SECRET = env_str("META_APP_SECRET")
TIKTOK_CLIENT_KEY = env_str("TIKTOK_CLIENT_KEY")
TIKTOK_CLIENT_SECRET = env_str("TIKTOK_CLIENT_SECRET")
# Threads has its own app ID and secret (the Meta app's Threads use case), not META_APP_ID's.
THREADS_APP_ID = env_str("THREADS_APP_ID")
THREADS_APP_SECRET = env_str("THREADS_APP_SECRET")
FACEBOOK_DIALOG_URL = env_str("FACEBOOK_DIALOG_URL", "https://www.facebook.com/v24.0/dialog/oauth")
TIKTOK_AUTHORIZE_URL = env_str("TIKTOK_AUTHORIZE_URL", "https://www.tiktok.com/v2/auth/authorize/")
THREADS_AUTHORIZE_URL = env_str("THREADS_AUTHORIZE_URL", "https://threads.net/oauth/authorize")
# Instagram Login is the Meta app's Instagram product, with an app ID and secret of its own.
INSTAGRAM_APP_ID = env_str("INSTAGRAM_APP_ID")
INSTAGRAM_APP_SECRET = env_str("INSTAGRAM_APP_SECRET")
INSTAGRAM_AUTHORIZE_URL = env_str(
    "INSTAGRAM_AUTHORIZE_URL", "https://www.instagram.com/oauth/authorize"
)
INSTAGRAM_TOKEN_URL = env_str("INSTAGRAM_TOKEN_URL", "https://api.instagram.com")
GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET")
GOOGLE_AUTHORIZE_URL = env_str(
    "GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth"
)
GOOGLE_TOKEN_URL = env_str("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com")
YOUTUBE_DAILY_QUOTA = env_int("YOUTUBE_DAILY_QUOTA", 10_000)
PROVIDER_TIMEOUT_SECONDS = env_int("PROVIDER_TIMEOUT_SECONDS", 20)
# Clicks on tracked links are appended to per-process log files here, then drained into the
# database by the worker: web and worker must share this folder (docker-compose mounts one).
CLICK_LOG_DIR = env_str("CLICK_LOG_DIR", str(VAR_DIR / "clicks"))
# The visitor's country, when a CDN or proxy in front sends it (Cloudflare: CF-IPCountry).
CLICK_COUNTRY_HEADER = env_str("CLICK_COUNTRY_HEADER", "CF-IPCountry")
# Posts per pull task, so every worker process has some (docs/tracking.md, Scaling pulls).
PULL_TASK_POSTS = env_int("PULL_TASK_POSTS", 100)
# Calls per minute each provider may make, shared by every worker (a token bucket in Redis).
PROVIDER_CALLS_PER_MINUTE = {
    "youtube": env_int("YOUTUBE_CALLS_PER_MINUTE", 300),
    "instagram": env_int("INSTAGRAM_CALLS_PER_MINUTE", 120),
    "facebook": env_int("FACEBOOK_CALLS_PER_MINUTE", 120),
    "threads": env_int("THREADS_CALLS_PER_MINUTE", 120),
    "tiktok": env_int("TIKTOK_CALLS_PER_MINUTE", 500),
    "demo": 6000,
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hant")
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of zh-hant, en; got {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Taipei")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(
        f"TIME_ZONE must be an IANA time zone such as Asia/Taipei, got {TIME_ZONE!r}"
    )
DEFAULT_CURRENCY = env_str("DEFAULT_CURRENCY", "TWD")
if not re.fullmatch(r"[A-Z]{3}", DEFAULT_CURRENCY):
    raise ImproperlyConfigured(
        f"DEFAULT_CURRENCY must be an ISO 4217 code such as TWD, got {DEFAULT_CURRENCY!r}"
    )
USE_I18N = True
USE_TZ = True
# zh-Hant groups amounts by thousands with a comma (Django's zh_Hant leaves it empty); the
# templates group figures through kolhub.formatting, not USE_THOUSAND_SEPARATOR, which would
# also group ids and years.
FORMAT_MODULE_PATH = ["kolhub.formats"]

# --- Static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads (drafts, brief assets, insight screenshots) above this size are refused.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 200)
# What one request may bring, checked while Django reads it (docs/architecture.md, "Bounded
# work per request"). Django's defaults, written down with why they fit: the largest form is a
# caption of 63,206 characters, at most 760 KB once URL-encoded (an emoji is 12 bytes), and
# a shop's order webhook is tens of KB; a file is held in memory up to 2.5 MB, then on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A bulk action's ticked rows (kolhub.http.MAX_IDS) fit in this many fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# The most files a draft holds: Instagram's carousel takes 20. Django's default of 100 let one
# request bring 100 files of UPLOAD_MAX_MB each, checked only once all of them were on disk.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------
# Trust X-Forwarded-Proto only behind a proxy that sets it; otherwise clients could fake it.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts anywhere; htmx's own indicator <style> is turned off in the layout.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# --- REST API (/api/v1/, docs/api.md) ---------------------------------------
# Requests per token (per user for the browser session), e.g. 600/min, 20/s, 10000/hour.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must be a count per s, min, hour or day (600/min), got {API_RATE_LIMIT!r}"
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.TokenOrSession"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "api.renderers.ProblemJSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS: 405, the schema describes the endpoints
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KOLHub API",
    "DESCRIPTION": "A workspace's creators, campaigns, collaborations, posts and results (docs/api.md).",  # noqa: E501
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"TierEnum": "creators.models.Tier.choices"},
    # Swagger UI from the installed sidecar package: static files, no CDN.
    **dict.fromkeys(("SWAGGER_UI_DIST", "SWAGGER_UI_FAVICON_HREF", "REDOC_DIST"), "SIDECAR"),
}
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # On the handler, so it sees every logger's records (httpx logs each request's URL).
    "filters": {"redact_secrets": {"()": "kolhub.redaction.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The PDF report subsets its font at INFO level, line by line.
        "fontTools": {"level": "WARNING"},
    },
}
