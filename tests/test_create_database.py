"""`manage.py create_database`: the database `make run` uses, created once, on PostgreSQL only."""

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError
from django.db import connection

from workbook.management.commands.create_database import create_database

NAME = "workbook_create_database_check"


def server() -> dict:
    params = connection.get_connection_params()
    return {key: params.get(key) for key in ("host", "port", "user", "password")}


def drop() -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}"')


@pytest.fixture
def missing():
    """These settings' server, with a database that does not exist yet."""
    drop()
    yield {**settings.DATABASES["default"], "NAME": NAME}
    drop()


def test_a_missing_database_is_created_once(missing):
    assert create_database(missing) == f"Created database {NAME}."
    assert create_database(missing) == f"Database {NAME} exists."
    with psycopg.connect(dbname=NAME, **server()) as created:
        assert created.execute("SELECT current_database()").fetchone() == (NAME,)


def test_anything_but_postgresql_is_refused():
    with pytest.raises(CommandError, match="runs on PostgreSQL"):
        create_database({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})


def test_a_server_that_does_not_answer_is_a_clear_error(missing):
    with pytest.raises(CommandError, match="PostgreSQL does not answer"):
        create_database({**missing, "HOST": "127.0.0.1", "PORT": "1"})
