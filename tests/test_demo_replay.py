"""The `demo` fixture's replay (tests/demo_replay.py) writes what seed_demo writes."""

import io
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.demo_replay import NULL, record, replay, snapshot, user_tables


def seed():
    call_command("seed_demo", password="demo-pass-123", stdout=io.StringIO())


def without_times(rows: dict[str, list[bytes]], tables) -> dict[str, list[tuple]]:
    times = {
        t.name: [i for i, kind in enumerate(t.types) if kind.startswith("timestamp")]
        for t in tables
    }
    return {
        name: sorted(
            tuple(b"" if i in times[name] else field for i, field in enumerate(line.split(b"\t")))
            for line in lines
        )
        for name, lines in rows.items()
    }


def times_of(rows: dict[str, list[bytes]], tables) -> dict[tuple, datetime]:
    """Each timestamp by its table, row key and column."""
    found = {}
    for table in tables:
        if table.primary_key is None:
            continue
        for line in rows[table.name]:
            fields = line.split(b"\t")
            for i, kind in enumerate(table.types):
                if kind.startswith("timestamp") and fields[i] != NULL:
                    key = (table.name, fields[table.primary_key], table.columns[i])
                    found[key] = datetime.fromisoformat(fields[i].decode())
    return found


def test_the_replayed_demo_is_the_seeded_one_at_a_later_time(workbook):
    tables = user_tables()
    before = snapshot(tables)
    with transaction.atomic():
        seed()
        seeded_at = timezone.now()
        seeded = snapshot(tables)
        transaction.set_rollback(True)
    recording = record(tables, before, seeded, seeded_at)
    # The seed only adds rows; were it to change one, every test would run it for real.
    assert recording is not None
    assert {added.table.name for added in recording.added} >= {
        "auth_user",
        "workbook_jurisdiction",
        "workbook_answer",
        "workbook_usecase",
        "strategy_obligationevidence",
    }
    assert snapshot(tables) == before

    replayed_at = timezone.now()
    replay(recording)
    replayed = snapshot(tables)
    assert without_times(replayed, tables) == without_times(seeded, tables)
    there = times_of(before, tables)
    then, now = times_of(seeded, tables), times_of(replayed, tables)
    assert then.keys() == now.keys() and then.keys() > there.keys()
    assert all(now[key] == there[key] for key in there)  # what was there keeps its times
    moved = {now[key] - then[key] for key in then if key not in there}
    # Every time moved on by one step: as if the seed had ended between the replay and now.
    assert len(moved) == 1
    assert replayed_at - seeded_at <= moved.pop() <= timezone.now() - seeded_at
    # New rows are numbered after the replayed ones.
    newcomer = get_user_model().objects.create_user("newcomer")
    assert newcomer.pk > max(user.pk for user in get_user_model().objects.exclude(pk=newcomer.pk))
