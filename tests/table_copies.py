"""Every row of the models' tables, copied out and back in with PostgreSQL's COPY.

For tests/conftest.py (the session's content, put back after a transactional test emptied the
database) and tests/demo_replay.py (the rows the demo seed adds).
"""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from psycopg import sql

NULL = b"\\N"  # how COPY's text format writes NULL
TIMESTAMP = "timestamp with time zone"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    primary_key: int | None  # the index of its single-column primary key, if it has one
    sequence: str | None  # the sequence that numbers that key


# Lines of COPY's text format (one a row, its fields split by tabs), by table name.
Rows = dict[str, list[bytes]]


def model_tables() -> list[Table]:
    """The tables of the installed models (those a flush empties), their columns and keys."""
    names = set(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                   coalesce(i.indnatts = 1 AND a.attnum = ANY(i.indkey), false),
                   pg_get_serial_sequence(quote_ident(c.relname), a.attname)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(%s)
            ORDER BY c.relname, a.attnum
            """,
            [sorted(names)],
        )
        found: dict[str, list[tuple]] = {}
        for table, *column in cursor.fetchall():
            found.setdefault(table, []).append(tuple(column))
    tables = []
    for name, columns in found.items():
        keys = [i for i, (_, _, is_key, _) in enumerate(columns) if is_key]
        key = keys[0] if len(keys) == 1 else None
        tables.append(
            Table(
                name=name,
                columns=tuple(c[0] for c in columns),
                types=tuple(c[1] for c in columns),
                primary_key=key,
                sequence=columns[key][3] if key is not None else None,
            )
        )
    return tables


def snapshot(tables: list[Table]) -> Rows:
    """Every row of every table."""
    rows = {}
    with connection.cursor() as cursor:
        copying = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        for table in tables:
            with copying.copy(f'COPY "{table.name}" TO STDOUT') as copy:
                data = b"".join(bytes(block) for block in copy)
            rows[table.name] = data.split(b"\n")[:-1]  # each row ends in a newline
    return rows


def fingerprint(rows: Rows) -> str:
    digest = hashlib.sha256()
    for name in sorted(rows):
        digest.update(name.encode() + b"\0")
        for line in sorted(rows[name]):  # the same rows, whatever order the table keeps them in
            digest.update(line + b"\n")
    return digest.hexdigest()


def copy_in(table: str, lines: list[bytes]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
        for line in lines:
            copy.write(line + b"\n")


def keep_sequences_ahead(tables: list[Table], rows: Rows) -> None:
    """Numbers the rows hold stay taken, even where something reset a sequence since."""
    numbered = [
        (table.sequence, max(int(line.split(b"\t")[key]) for line in rows[table.name]))
        for table in tables
        if table.sequence is not None
        and (key := table.primary_key) is not None
        and rows.get(table.name)
    ]
    if not numbered:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                "setval(%s::regclass, greatest(%s, pg_sequence_last_value(%s::regclass)))"
                for _ in numbered
            ),
            [value for sequence, top in numbered for value in (sequence, top, sequence)],
        )


def restore(tables: list[Table], rows: Rows) -> None:
    """Make the tables hold exactly `rows` again, committed (for a transactional test)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            # DELETE, not TRUNCATE: after a flush the tables are nearly empty, and TRUNCATE's
            # new files for each of them would cost more than the whole copy.
            deletes = sql.SQL("").join(
                sql.SQL("DELETE FROM {};").format(sql.Identifier(table.name)) for table in tables
            )
            cursor.cursor.execute(deletes)
        for table in tables:
            if rows[table.name]:
                copy_in(table.name, rows[table.name])
        keep_sequences_ahead(tables, rows)
    # The flush's post_migrate made content types of other ids, which this cache may hold.
    ContentType.objects.clear_cache()
