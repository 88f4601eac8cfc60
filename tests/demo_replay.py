"""The demo for the tests that ask for it (`demo` in tests/conftest.py): seeded, then replayed.

`manage.py seed_demo` writes through the product's actions: about a second and 900 queries, in
each of some 230 tests. From the same database it writes the same rows every time. So the first
test that asks for the demo runs the seed for real and records the rows it added (with COPY,
byte for byte); a later test starting from the same database (the same fingerprint of every
table) copies those rows back in, in milliseconds. The rows are written inside each test's own
transaction, as the seed's were: a test still sees no other test's writes.

What the replay changes is the time: the seed's timestamps move on by the time since it ran, as
if it had run just now (the register's fingerprint, the documents and "updated" lines read them).
Two kinds of seed are always run for real instead:
- one that changed or removed a row that was there before: adding its rows again is not it;
- one in a transactional test (live_server): its commit runs what waits for it (the renders it
  queues, the notices it sends), which the replay would not.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

# The recordings kept per test process: one per starting state (normally there is one).
KEPT = 4
TIMESTAMP = "timestamp with time zone"
NULL = b"\\N"  # how COPY's text format writes NULL


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    primary_key: int | None  # the index of its single-column primary key, if it has one
    sequence: str | None  # the sequence that numbers that key


@dataclass(frozen=True)
class AddedRows:
    table: Table
    rows: tuple[list[bytes], ...]  # each row's fields, as COPY's text format writes them
    times: tuple[int, ...]  # the indexes of the timestamp fields


@dataclass(frozen=True)
class Recording:
    added: tuple[AddedRows, ...]
    seeded_at: datetime


_recordings: dict[str, Recording | None] = {}


def seed_or_replay(seed: Callable[[], None]) -> None:
    """Run `seed`, or, when it was recorded from the same database, replay what it wrote."""
    if not connection.in_atomic_block:
        seed()  # a transactional test: the seed commits, and what follows its commit must run
        return
    tables = user_tables()
    before = snapshot(tables)
    key = fingerprint(before)
    if key in _recordings:
        recording = _recordings[key]
        if recording is None:
            seed()
        else:
            replay(recording)
        return
    seed()
    seeded_at = timezone.now()
    if len(_recordings) >= KEPT:
        _recordings.pop(next(iter(_recordings)))
    _recordings[key] = record(tables, before, snapshot(tables), seeded_at)


def user_tables() -> list[Table]:
    """Every table of the schema (the cache table too), its columns, key and key's sequence."""
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
            WHERE n.nspname = current_schema() AND c.relkind = 'r'
            ORDER BY c.relname, a.attnum
            """
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


def snapshot(tables: list[Table]) -> dict[str, list[bytes]]:
    """Every row of every table, as lines of COPY's text format."""
    rows = {}
    with connection.cursor() as cursor:
        copying = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        for table in tables:
            with copying.copy(f'COPY "{table.name}" TO STDOUT') as copy:
                data = b"".join(bytes(block) for block in copy)
            rows[table.name] = data.split(b"\n")[:-1]  # each row ends in a newline
    return rows


def fingerprint(rows: dict[str, list[bytes]]) -> str:
    digest = hashlib.sha256()
    for name in sorted(rows):
        digest.update(name.encode() + b"\0")
        for line in sorted(rows[name]):  # the same rows, whatever order the table keeps them in
            digest.update(line + b"\n")
    return digest.hexdigest()


def record(
    tables: list[Table],
    before: dict[str, list[bytes]],
    after: dict[str, list[bytes]],
    seeded_at: datetime,
) -> Recording | None:
    """The rows the seed added, or None when it also changed or removed some."""
    added = []
    for table in tables:
        old, new = set(before[table.name]), set(after[table.name])
        if old - new:
            return None
        lines = [line for line in after[table.name] if line not in old]
        if not lines:
            continue
        rows = tuple(line.split(b"\t") for line in lines)
        times = tuple(i for i, kind in enumerate(table.types) if kind == TIMESTAMP)
        try:
            for row in rows:
                for i in times:
                    if row[i] != NULL:
                        datetime.fromisoformat(row[i].decode())
        except ValueError:
            return None  # a time that cannot be moved on ("infinity")
        added.append(AddedRows(table, rows, times))
    return Recording(tuple(added), seeded_at)


def replay(recording: Recording) -> None:
    """Copy the recorded rows in, their times moved on to now, and keep the sequences ahead."""
    shift = timezone.now() - recording.seeded_at
    with connection.cursor() as cursor:
        copying = cursor.cursor
        for added in recording.added:
            with copying.copy(f'COPY "{added.table.name}" FROM STDIN') as copy:
                for row in added.rows:
                    fields = list(row)
                    for i in added.times:
                        if fields[i] != NULL:
                            moved = datetime.fromisoformat(fields[i].decode()) + shift
                            fields[i] = moved.isoformat().encode()
                    copy.write(b"\t".join(fields) + b"\n")
        numbered = [
            (added.table.sequence, max(int(row[added.table.primary_key]) for row in added.rows))
            for added in recording.added
            if added.table.sequence is not None and added.table.primary_key is not None
        ]
        if numbered:
            # Numbers the seed took stay taken, even where something reset the sequence since.
            cursor.execute(
                "SELECT "
                + ", ".join(
                    "setval(%s::regclass, greatest(%s, pg_sequence_last_value(%s::regclass)))"
                    for _ in numbered
                ),
                [value for sequence, top in numbered for value in (sequence, top, sequence)],
            )
