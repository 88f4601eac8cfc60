"""Settings for the AI Strategy Workbook, read from the environment.

Zero config gives a local SQLite run; production sets DATABASE_URL, SECRET_KEY, DEBUG=0 and
ALLOWED_HOSTS (see README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local run).")
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105 - DEBUG runs only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "formtools",
    "simple_history",
    "django_tasks_db",
    "axes",
    "workbook",
    "strategy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "workbook.security.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "workbook.security.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: turns a lockout raised during sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbook.urls"
WSGI_APPLICATION = "workbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workbook.wizard.posted.saved_submissions",
            ],
        },
    },
    # The section page's partials (workbook.templating); after Django's engine, so that a
    # template name is looked up among the Django templates first.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "workbook.templating.environment"},
    },
]

# PostgreSQL only (decision 20): the hot reads are PostgreSQL's SQL. Without DATABASE_URL, the
# local server's `workbook` database, as `make run` and `make test` use.
DATABASES = {
    "default": dj_database_url.config(
        default="postgres://postgres@127.0.0.1:5432/workbook",
        conn_max_age=0,
    )
}


def database_pool_options() -> dict:
    """A small psycopg pool per process: new connections cost more than the page itself. Each
    connection is checked before it is handed out, so after a database restart the pool drops
    the dead ones instead of failing a request with each of them."""
    from psycopg_pool import ConnectionPool

    return {
        "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "4")),
        "check": ConnectionPool.check_connection,
    }


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = database_pool_options()
    # No JIT compilation: it pays off only for long analytical queries. The admin's jurisdiction
    # list (correlated counts per row) is costed high enough to trigger it, and compiling took
    # ~0.5-0.8 s of a query that runs in a few milliseconds.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    # Prepared statements (decision 21): values bound by the server, and a statement run five
    # times on a connection is prepared there, so PostgreSQL stops parsing and planning the
    # same reads on every request (a half to two thirds of its time on the workbook's pages).
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A full section page posts a field per table cell: a ten-column table at its 100 rows posts
# about 1,000. Content that could post more is refused by load_workbook (forms.posted_field_count).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4000

# Django's rules, with messages in the product's words (workbook/plain_messages.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "workbook.plain_messages.UserAttributeSimilarityValidator"},
    {"NAME": "workbook.plain_messages.MinimumLengthValidator"},
    {"NAME": "workbook.plain_messages.CommonPasswordValidator"},
    {"NAME": "workbook.plain_messages.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-in attempts from locked-out accounts and addresses.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the user read of every signed-in request written by hand.
    "workbook.security.backends.AccountBackend",
]

# Sign-in throttling (django-axes, workbook.security.throttle): 5 failures lock that username at
# that client address for 15 minutes; the same username elsewhere is not locked, so nobody can
# lock a person out of their own desk from another address. An address that fails for 10 different
# usernames within the cool-off is locked for every username (shared office addresses rarely
# see that many people mistype in 15 minutes).
AXES_HANDLER = "workbook.security.throttle.SignInThrottle"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SIGN_IN_USERNAMES_PER_ADDRESS = 10
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Password reset (workbook.security.throttle): at most 3 emails to one account and 10 requests
# from one client address per hour; past either limit the same page answers and no email is sent.
# The counts must be shared by every app server, so they live in the database (Django's database
# cache, whose table `migrate` creates). A DEBUG run is a single process and keeps
# them in memory. The default cache stays Django's default, per-process memory.
PASSWORD_RESET_EMAILS_PER_ACCOUNT = 3
PASSWORD_RESET_REQUESTS_PER_ADDRESS = 10
PASSWORD_RESET_PERIOD = timedelta(hours=1)
PASSWORD_RESET_CACHE = "throttle"  # noqa: S105 - a cache alias, not a password
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    PASSWORD_RESET_CACHE: (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
        if DEBUG
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_cache",
            # Expired entries are culled first; a high cap keeps a flood from evicting live ones.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# The workbook is written in English only. Without translation machinery every reverse() and
# date filter skips looking up the request's language (a per-thread lookup, several per page).
USE_I18N = False
USE_TZ = True
# The product's own way of writing dates and times (workbook/formats/en/formats.py).
FORMAT_MODULE_PATH = ["workbook.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "workbook.static_storage.StaticFilesStorage"
        )
    },
}

# The workbook content file loaded by `manage.py load_workbook` when no file is named.
WORKBOOK_FILE = BASE_DIR / "fixtures" / "workbook.yaml"

# Background tasks (document exports). TASKS_BACKEND=database queues them in PostgreSQL for
# `manage.py db_worker`; TASKS_BACKEND=immediate renders inline in the request. Default:
# database, except in a DEBUG run without a worker (`make run`), where inline is simpler.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS[
            os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
        ]
    }
}
# A document export that takes longer or grows larger than this fails cleanly.
EXPORT_TIME_LIMIT = float(os.environ.get("EXPORT_TIME_LIMIT", "120"))  # seconds
EXPORT_MAX_BYTES = int(os.environ.get("EXPORT_MAX_MB", "50")) * 1024 * 1024
# After a change, the working drafts are rendered once the workbook has been quiet this long,
# so the next export is served from the cache (with the database task backend only).
PRERENDER_QUIET_SECONDS = float(os.environ.get("PRERENDER_QUIET_SECONDS", "60"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "workbook@localhost")
# Notification emails: who they come from, and the address their links start with.
NOTIFICATION_FROM_NAME = os.environ.get("NOTIFICATION_FROM_NAME", "AI Strategy Workbook")
NOTIFICATION_FROM_EMAIL = os.environ.get("NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Strict content security policy: no inline script or style anywhere in the product.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Production hardening; off in DEBUG so the local run works over plain http.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client address for sign-in throttling is the one the proxy appends.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

SESSION_COOKIE_HTTPONLY = True
# Database sessions, read by hand-written SQL (workbook/security/session_store.py).
SESSION_ENGINE = "workbook.security.session_store"
# Idle timeout: a signed-in session ends after this long without a request. Activity renews it,
# at most once per SESSION_RENEW_AFTER seconds (workbook.security.middleware.IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_RENEW_AFTER = 300

# Invitation links work once, for this long.
INVITATION_VALID_FOR = timedelta(days=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Sign-ins are in the audit log; django-axes' per-attempt lines only repeat them.
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log every layout step and font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
