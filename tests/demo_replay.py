"""The demo for the tests that ask for it (`demo` in tests/conftest.py): seeded, then replayed.

`manage.py seed_demo` writes through the product's actions: about a second and 900 queries, in
each of some 230 tests. From the same database it writes the same rows every time. So the first
test that asks for the demo runs the seed for real and records the rows it added (with COPY,
byte for byte) and the "workbook changed" announcements it left for its commit; a later test
starting from the same database (the same fingerprint of every model's table) copies those rows
back in and makes the same announcements, in milliseconds. It does so inside the test's own
transaction, as the seed did: a test still sees no other test's writes. In a transactional test
(live_server) the replay commits, as the seed does, and the announcements run then (they queue
the drafts' renders): at the time of the replay.

What the replay changes is the time: the rows' timestamps move on by the time since the seed
ran, as if it had run just now (the register's fingerprint, the documents and "updated" lines
read them). A seed that changed or removed a row that was there before, or left anything else
for its commit, is not recorded: it runs for real every time. A seed is recorded in a test's
transaction only, where what it leaves for its commit can be seen.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from tests.table_copies import (
    NULL,
    TIMESTAMP,
    Rows,
    Table,
    copy_in,
    fingerprint,
    keep_sequences_ahead,
    model_tables,
    snapshot,
)
from workbook.answers.changes import announce_change, workbook_changed
from workbook.models import Jurisdiction

# The recordings kept per test process: one per starting state (normally there is one).
KEPT = 4


@dataclass(frozen=True)
class Recording:
    tables: tuple[Table, ...]  # those the seed added to
    rows: tuple[tuple[list[bytes], ...], ...]  # each table's added rows, split into fields
    announced: tuple[int, ...]  # the jurisdictions announced as changed, in order
    seeded_at: datetime


_recordings: dict[str, Recording | None] = {}


def seed_or_replay(seed: Callable[[], None]) -> None:
    """Run `seed`, or, when it was recorded from the same database, replay what it wrote."""
    tables = model_tables()
    before = snapshot(tables)
    key = fingerprint(before)
    if (recording := _recordings.get(key)) is not None:
        with transaction.atomic():  # committed at once in a transactional test, as the seed is
            replay(recording)
    elif key in _recordings or not connection.in_atomic_block:
        # Not to be replayed; or a transactional test, whose seed commits, and what it leaves
        # for its commit runs before it could be seen.
        seed()
    else:
        waiting = len(connection.run_on_commit)
        seed()
        if len(_recordings) >= KEPT:
            _recordings.pop(next(iter(_recordings)))
        _recordings[key] = record(
            tables, before, snapshot(tables), connection.run_on_commit[waiting:]
        )


def record(tables: list[Table], before: Rows, after: Rows, waiting: list) -> Recording | None:
    """What the seed added, or None when it did anything else."""
    announced = []
    for _, callback, _ in waiting:
        if not (
            isinstance(callback, partial)
            and callback.func == workbook_changed.send
            and set(callback.keywords) == {"sender", "jurisdiction"}
        ):
            return None
        announced.append(callback.keywords["jurisdiction"].pk)
    added_to, added = [], []
    for table in tables:
        old = set(before[table.name])
        if old - set(after[table.name]):
            return None
        lines = [line for line in after[table.name] if line not in old]
        if not lines:
            continue
        rows = tuple(line.split(b"\t") for line in lines)
        try:
            for row in rows:
                for i in times_of(table):
                    if row[i] != NULL:
                        datetime.fromisoformat(row[i].decode())
        except ValueError:
            return None  # a time that cannot be moved on ("infinity")
        added_to.append(table)
        added.append(rows)
    return Recording(tuple(added_to), tuple(added), tuple(announced), timezone.now())


def times_of(table: Table) -> list[int]:
    return [i for i, kind in enumerate(table.types) if kind == TIMESTAMP]


def replay(recording: Recording) -> None:
    """Copy the recorded rows in, their times moved on to now, and announce the changes."""
    shift = timezone.now() - recording.seeded_at
    lines = {}
    for table, rows in zip(recording.tables, recording.rows, strict=True):
        times = times_of(table)
        lines[table.name] = []
        for row in rows:
            fields = list(row)
            for i in times:
                if fields[i] != NULL:
                    moved = datetime.fromisoformat(fields[i].decode()) + shift
                    fields[i] = moved.isoformat().encode()
            lines[table.name].append(b"\t".join(fields))
        copy_in(table.name, lines[table.name])
    keep_sequences_ahead(list(recording.tables), lines)
    jurisdictions = Jurisdiction.objects.in_bulk(set(recording.announced))
    for pk in recording.announced:
        announce_change(jurisdictions[pk])
