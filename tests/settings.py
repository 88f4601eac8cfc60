"""Test settings: production settings with test-only conveniences, always on PostgreSQL.

`make test` and `.ci/run` set DATABASE_URL; pytest-django creates the `test_…` database.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/workbook")

from workbook.settings import *  # noqa: F403
from workbook.settings import DATABASES

# One connection per test thread; the pool is exercised by the benchmarks and production.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files straight from static/ (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
