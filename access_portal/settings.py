"""Settings for Access Portal, all read from the environment.

The defaults run with nothing installed: a SQLite file and a Celery broker on the local
filesystem, both under ./var. Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL
(Redis), DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_DEBUG=0. See .env.example.
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ACCESS_PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production settings are the default: DEBUG only when DJANGO_DEBUG=1 says so.
DEBUG = env_bool("DJANGO_DEBUG", False)
# The portal is served over HTTPS (redirects, secure cookies, HSTS) unless DJANGO_HTTPS=0 says
# it is reached on plain HTTP: `make run` and the tests serve on 127.0.0.1 only.
HTTPS = env_bool("DJANGO_HTTPS", True)


def secret_key() -> str:
    """DJANGO_SECRET_KEY, or else a random key this installation made for itself under var/
    (never a key anyone else knows). Production sets DJANGO_SECRET_KEY."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "axes",
    "core",
    "imports",
    "practices",
    "pcns",
    "metrics",
    "arrs",
    "telephony",
    "alerts",
    "board",
    # The project itself: the access policy and its command (manage.py access_policy).
    "access_portal",
]
# The demo ICB (its generators, `manage.py demo_load`, its users) only where DJANGO_DEMO=1
# asks for it, as `make demo` and `make run` do: a live portal never has the command.
DEMO = env_bool("DJANGO_DEMO", False)
if DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Static files are served by the portal itself, as collected (hashed names, compressed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions end after a time without requests, saved at most once a minute (core.sessions).
    "core.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page answers only the methods its access policy declares (access_portal/access_policy).
    "access_portal.access_policy.MethodsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the sign-in page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "access_portal.urls"
WSGI_APPLICATION = "access_portal.wsgi.application"

TEMPLATES = [
    {
        # Pages: Jinja2 with the NHS.UK frontend macros (see docs/decisions/0002).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja2.environment"},
    },
    {
        # The Django admin keeps Django templates.
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
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        # Each worker thread keeps its connection for a minute rather than opening one per
        # request (a tenth of a small page's time on PostgreSQL); checked before reuse, so a
        # restarted database costs one reconnect, not an error (docs/performance.md).
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # A file, not memory, for the test database too: the Celery worker test runs the
    # import in a second process that must see the same data.
    # One file per test run, so two runs side by side do not share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every password sign-in (the portal's page and the admin's) before
# Django does, and counts the failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
_NHSUK = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
# The few files the portal serves from installed packages (core.staticfinders): the NHS.UK
# frontend CSS, JavaScript and assets from npm, and plotly.js, so pages need no CDN.
VENDOR_STATIC = [
    *(
        ("nhsuk", _NHSUK / f"nhsuk-frontend-10.6.1.min.{kind}")
        for kind in ("css", "css.map", "js", "js.map")
    ),
    ("nhsuk/assets", _NHSUK / "assets"),
    # plotly.js's basic bundle (scatter, bar and pie traces; the portal draws only scatter
    # traces): 1.2 MB where the full bundle is 4.8 MB. Its version is plotly's for Python.
    ("plotly", BASE_DIR / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticfinders.VendorFinder",
]
# With DEBUG on, files are served straight from where they are found; otherwise from
# `collectstatic`'s output, which `make run`, the image and the tests all build.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
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
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded national extracts can be large; they are streamed to disk, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest file an upload may be, counted as it streams: past it the upload is refused
# and what had arrived is deleted (metrics/uploads.py). The upload page states it.
IMPORT_MAX_UPLOAD_MB = float(os.environ.get("IMPORT_MAX_UPLOAD_MB", "1024"))
FILE_UPLOAD_HANDLERS = [
    "metrics.uploads.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# What one file may ask of an import (imports/sources/limits.py): the longest line of a CSV,
# what a zip may unzip to in all (GPAD's national crosstab is 1-2 GB unzipped), and how far
# a zip member may be compressed before it is taken for a zip bomb.
IMPORT_MAX_LINE_CHARS = int(os.environ.get("IMPORT_MAX_LINE_CHARS", str(1024 * 1024)))
IMPORT_MAX_UNZIPPED_MB = float(os.environ.get("IMPORT_MAX_UNZIPPED_MB", str(8 * 1024)))
IMPORT_MAX_ZIP_RATIO = int(os.environ.get("IMPORT_MAX_ZIP_RATIO", "200"))

# The cache carries import progress from the worker to the status page, so it must be
# shared between processes: files under var/ by default, Redis in production.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {
            # Pages carry on without the cache when Redis is unreachable (core.cache).
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if CACHE_URL.startswith("redis")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# Pages of figures are kept in the cache under the data's version for this many seconds
# (core.page_cache; 0 turns it off). The version moves on every change, so this only bounds
# how long a change the version could miss is shown.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
_BROKER_DIR = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("broker", "processed", "results", "control"):
        (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message no worker acknowledged (its worker died) is delivered again after this
        # long. It may be shorter than the longest import: the batch's lease stops a second
        # run while the first is alive (metrics.services.import_batch_run).
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")),
        # An unreachable broker is said at once, not after a minute of retries.
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", f"file://{VAR_DIR / 'celery' / 'results'}"
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, and handed back if its worker is lost, so a
# killed worker's import is run again rather than dropped.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Imports whose worker died are run again (or failed, saying why), and files kept while
    # the queue was unreachable are sent, within a minute or two.
    "recover-imports": {"task": "metrics.import_batches_recover", "schedule": 60.0},
    # Alerts (alerts/tasks.py): straight away for those who asked, every 15 minutes; everyone's
    # weekly summary on Monday at 07:00 UK time (CELERY_TIMEZONE).
    "alerts-immediate": {"task": "alerts.alerts_immediate_send", "schedule": 15 * 60.0},
    "alerts-weekly-digest": {
        "task": "alerts.alerts_weekly_digest_send",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
}

# --- Imports ------------------------------------------------------------------------------
# A running import renews a lease on its batch every quarter of this; a batch whose lease has
# run out lost its worker (metrics.services.import_batches_recover).
IMPORT_LEASE_SECONDS = int(os.environ.get("IMPORT_LEASE_SECONDS", "120"))
# The task queue imports are sent to ("celery", which every worker reads, unless a
# deployment gives imports workers of their own).
IMPORT_QUEUE = os.environ.get("IMPORT_QUEUE", "celery")
# Uploaded files kept per source and ICB once their imports have finished: the newest few
# distinct contents (metrics/retention.py); the same file uploaded again is stored once.
IMPORT_KEEP_VERSIONS = int(os.environ.get("IMPORT_KEEP_VERSIONS", "3"))
# How many times a batch whose worker died is run again before it is failed.
IMPORT_MAX_ATTEMPTS = int(os.environ.get("IMPORT_MAX_ATTEMPTS", "3"))

# --- REST API -----------------------------------------------------------------------------
# /api/v1/ for other ICB systems (docs/decisions/0007-rest-api.md). Tokens act with their
# user's role; every 4xx is a JSON body from core.api.errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated request is told to send a token (401). Keys are
        # kept hashed, expire and can be revoked (core.tokens).
        "core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PagePagination",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttles.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Per token (each token belongs to one user): a nightly warehouse pull of every
        # list as CSV is a few dozen requests; this leaves room for dashboards polling.
        "token": os.environ.get("API_RATE_PER_TOKEN", "3600/hour"),
        # Uploads start imports of up to a million rows each.
        "uploads": os.environ.get("API_RATE_UPLOADS", "30/hour"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.api_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    # The schema is generated and checked by the test suite (schemathesis, --validate), not
    # by `check --deploy`, which runs before a database exists.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "TITLE": "Access Portal API",
    "DESCRIPTION": (
        "Figures and records of the Access Portal for other ICB systems. Authenticate with "
        "`Authorization: Token <key>`. Each user creates their keys on the portal's Your API "
        "tokens page (the key is shown once); a key expires, after 90 days unless its maker "
        "chose otherwise, and its owner or an ICB manager can revoke it; an expired or "
        "revoked key gets 401 saying which. A token sees what its user's role sees. Every list "
        "also answers as CSV with `?format=csv`, and sends ETag and Last-Modified."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrgStatusEnum": "practices.models.OrgStatus",
        "BatchStatusEnum": "metrics.models.batches.BatchStatus",
    },
}

# Days an API token lasts unless its maker chooses otherwise (up to 365).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

# --- Security -----------------------------------------------------------------------------
# Sign-in throttling (django-axes): after SIGN_IN_FAILURE_LIMIT failed sign-ins for one
# username, or from one address, further sign-ins for it are refused, even with the right
# password, until SIGN_IN_COOLOFF_MINUTES have passed since the last failure, or a staff
# admin deletes the access attempts in the admin (or `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "core.views.sign_in_locked_out"
# A session ends after SESSION_IDLE_MINUTES without a request (each request starts the time
# again) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# The idle time starts again at most every SESSION_REFRESH_SECONDS (core.sessions), rather
# than with a database write on every request.
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything a page loads comes from the portal itself: no inline script, no other origin
# (docs/decisions/0016-content-security-policy.md). The API docs page relaxes it a little.
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
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Email (alerts) ------------------------------------------------------------------------
# Printed to the console unless EMAIL_HOST names an SMTP server (EMAIL_BACKEND overrides).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Access Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach the portal, for the links in emails.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")

# The ICB the portal serves by default (shown in the header; a user's role decides the rest).
SERVICE_NAME = "Access Portal"
# Who runs this portal, named in every page's footer.
SERVICE_OPERATOR = os.environ.get("PORTAL_OPERATOR", "NHS Somerset Integrated Care Board")
