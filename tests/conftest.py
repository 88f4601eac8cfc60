import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Fixtures shared by the team, permission and isolation tests. Registered here, before any test
# module imports it, so pytest can rewrite its asserts.
pytest_plugins = ["tests.team_fixtures"]
# The URL sweep's machinery (tests/test_url_sweep.py), imported by that module only.
pytest.register_assert_rewrite("tests.sweep_support")

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, workbook_file):
    """The test database (one per xdist worker), with the real workbook content loaded once.

    Every test's transaction rolls back to this state, so the content is there for each test
    without loading it again. Returns the workbook's slug, by which `workbook` finds it.
    """
    from tests.table_copies import model_tables, snapshot
    from workbook.content.loader import load_workbook

    with django_db_blocker.unblock():
        slug = load_workbook(workbook_file).workbook.slug
        tables = model_tables()
        _session_rows[:] = [tables, snapshot(tables)]
    return slug


# The session's database as django_db_setup left it: its tables and their rows.
_session_rows: list = []


@pytest.fixture
def workbook(db, django_db_setup, workbook_file):
    """The real workbook content from fixtures/, as loaded once for the session.

    A test that deleted it (inside its transaction) finds none and loads it again.
    """
    from workbook.content.loader import load_workbook
    from workbook.models import Workbook

    loaded = Workbook.objects.filter(slug=django_db_setup).first()
    return loaded or load_workbook(workbook_file).workbook


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (live_server, threads) has emptied the database, put the
    session's rows back, so that the next test starts from the same database as every other.

    Not before its flush is done, so this follows the test's teardown; not after the last test,
    whose teardown drops the database.
    """
    yield
    if nextitem is None or not _session_rows or not emptied_the_database(item):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    from tests.table_copies import restore

    with item.config.stash[blocking_manager_key].unblock():
        restore(*_session_rows)
        # Closed, as the test's teardown left them: one left open here would keep the test
        # database from being dropped at the end.
        connections.close_all()


def emptied_the_database(item) -> bool:
    """Whether pytest-django ran the test as a TransactionTestCase, which flushes at its end."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    fixtures = {"transactional_db", "django_db_reset_sequences", "live_server"}
    return bool(transaction or reset_sequences or fixtures & set(item.fixturenames))


# Fixtures that give a test database access, whichever way a test asks for it.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _workbook_content_as_asked(request):
    """Each test starts from a known content state.

    - The content cache (workbook/content.py) starts empty. It is keyed on the workbook's id and
      load time, which stay the same from test to test now: content one test changed and rolled
      back must not be served to the next.
    - A test using the database without asking for `workbook` starts without the session's
      content, as it always has (some load workbook files of their own and count what is
      there). It is removed inside the test's transaction, so the next test has it again.
    """
    from workbook.content import cache as content

    content._content.clear()
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if uses_database and "workbook" not in request.fixturenames:
        request.getfixturevalue("db")  # inside the test's transaction, never before it
        from workbook.models import Workbook

        Workbook.objects.all().delete()
    yield
    content._content.clear()


@pytest.fixture
def demo(db, workbook):
    """The demo jurisdictions and users (password 'demo-pass-123').

    Seeded once per test process and replayed into the tests that start from the same database
    (tests/demo_replay.py): the same rows, in each test's own transaction.
    """
    from tests.demo_replay import seed_or_replay

    seed_or_replay(
        lambda: call_command("seed_demo", password="demo-pass-123", stdout=io.StringIO())
    )
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}
