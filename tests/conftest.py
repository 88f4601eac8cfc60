import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Fixtures shared by the team, permission and isolation tests. Registered here, before any test
# module imports it, so pytest can rewrite its asserts.
pytest_plugins = ["tests.team_fixtures"]

# Playwright's sync API runs an event loop in the test thread; Django would refuse DB access.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(f"The test suite runs on PostgreSQL only, not {engine}.")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def workbook_file() -> Path:
    return Path(settings.WORKBOOK_FILE)


@pytest.fixture
def workbook(db, workbook_file):
    """The real workbook content, loaded from fixtures/."""
    from workbook.content.loader import load_workbook

    return load_workbook(workbook_file).workbook


@pytest.fixture
def demo(db, workbook):
    """The demo jurisdictions and users (password 'demo-pass-123')."""
    call_command("seed_demo", password="demo-pass-123", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}
