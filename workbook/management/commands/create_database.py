"""Create the PostgreSQL database the settings name, if it does not exist yet (`make run`)."""

from collections.abc import Mapping
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql
from psycopg.conninfo import make_conninfo


class Command(BaseCommand):
    help = "Create the database DATABASE_URL names on its PostgreSQL server, unless it exists."
    # The database may not exist yet: nothing here may touch Django's connection to it.
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        self.stdout.write(create_database(settings.DATABASES["default"]))


def create_database(database: Mapping[str, Any]) -> str:
    """Create the database of these Django settings unless it exists; says which it was."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(
            "The workbook runs on PostgreSQL; set DATABASE_URL to a PostgreSQL database, "
            "for example postgres://postgres@127.0.0.1:5432/workbook."
        )
    server = {
        key: str(database[name])
        for key, name in (
            ("host", "HOST"),
            ("port", "PORT"),
            ("user", "USER"),
            ("password", "PASSWORD"),
        )
        if database.get(name)
    }
    name = database["NAME"]
    try:
        with psycopg.connect(make_conninfo(dbname="postgres", **server), autocommit=True) as admin:
            if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return f"Database {name} exists."
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise CommandError(
            f"PostgreSQL does not answer at {make_conninfo(**server)}: {error}"
        ) from error
    return f"Created database {name}."
