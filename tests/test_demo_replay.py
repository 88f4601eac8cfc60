"""The `demo` fixture's replay (tests/demo_replay.py) writes what seed_demo writes, and a
transactional test's database is put back as the session had it (tests/table_copies.py)."""

import io
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategy.exports.prerender import prerender_documents
from strategy.models import WorkbookChange
from tests.demo_replay import record, replay
from tests.table_copies import NULL, TIMESTAMP, model_tables, restore, snapshot
from workbook.models import Jurisdiction


def seed():
    call_command("seed_demo", password="demo-pass-123", stdout=io.StringIO())


def recorded(tables, before):
    """The seed, recorded inside a savepoint that is then rolled back."""
    with transaction.atomic():
        waiting = len(connection.run_on_commit)
        seed()
        seeded = snapshot(tables)
        recording = record(tables, before, seeded, connection.run_on_commit[waiting:])
        announced = announcements(waiting)
        transaction.set_rollback(True)
    return recording, seeded, announced


def announcements(since: int) -> list[int]:
    """The jurisdictions announced as changed for the commit, in order."""
    return [
        callback.keywords["jurisdiction"].pk for _, callback, _ in connection.run_on_commit[since:]
    ]


def same_rows(rows, others) -> bool:
    """The same rows in each table, in whatever order the table keeps them."""
    return {name: sorted(lines) for name, lines in rows.items()} == {
        name: sorted(lines) for name, lines in others.items()
    }


def without_times(rows, tables) -> dict[str, list[tuple]]:
    times = {t.name: [i for i, kind in enumerate(t.types) if kind == TIMESTAMP] for t in tables}
    return {
        name: sorted(
            tuple(b"" if i in times[name] else field for i, field in enumerate(line.split(b"\t")))
            for line in lines
        )
        for name, lines in rows.items()
    }


def times_of(rows, tables) -> dict[tuple, datetime]:
    """Each timestamp by its table, row key and column."""
    found = {}
    for table in tables:
        if table.primary_key is None:
            continue
        for line in rows[table.name]:
            fields = line.split(b"\t")
            for i, kind in enumerate(table.types):
                if kind == TIMESTAMP and fields[i] != NULL:
                    key = (table.name, fields[table.primary_key], table.columns[i])
                    found[key] = datetime.fromisoformat(fields[i].decode())
    return found


def test_the_replayed_demo_is_the_seeded_one_at_a_later_time(workbook):
    tables = model_tables()
    before = snapshot(tables)
    recording, seeded, announced = recorded(tables, before)
    # The seed only adds rows and announces changes; were it to do more, every test would run it.
    assert recording is not None
    assert {table.name for table in recording.tables} >= {
        "auth_user",
        "workbook_jurisdiction",
        "workbook_answer",
        "workbook_usecase",
        "strategy_obligationevidence",
    }
    assert announced and recording.announced == tuple(announced)
    assert same_rows(snapshot(tables), before)

    replayed_at = timezone.now()
    waiting = len(connection.run_on_commit)
    replay(recording)
    assert announcements(waiting) == announced
    replayed = snapshot(tables)
    assert without_times(replayed, tables) == without_times(seeded, tables)
    there = times_of(before, tables)
    then, now = times_of(seeded, tables), times_of(replayed, tables)
    assert then.keys() == now.keys() and then.keys() > there.keys()
    assert all(now[key] == there[key] for key in there)  # what was there keeps its times
    moved = {now[key] - then[key] for key in then if key not in there}
    # Every time moved on by one step: as if the seed had ended between the replay and now.
    assert len(moved) == 1
    assert replayed_at - recording.seeded_at <= moved.pop() <= timezone.now() - recording.seeded_at
    # New rows are numbered after the replayed ones.
    newcomer = get_user_model().objects.create_user("newcomer")
    assert newcomer.pk > max(user.pk for user in get_user_model().objects.exclude(pk=newcomer.pk))


def queued() -> list[tuple[str, str]]:
    """The drafts' renders queued, by jurisdiction, and the changes they wait on."""
    slugs = dict(Jurisdiction.objects.values_list("pk", "slug"))
    tasks = DBTaskResult.objects.filter(task_path=prerender_documents.module_path)
    assert all(task.run_after > timezone.now() for task in tasks)  # after a quiet while
    changes = WorkbookChange.objects.values_list("jurisdiction_id", flat=True)
    return sorted(
        [("render", slugs[task.args_kwargs["args"][0]]) for task in tasks]
        + [("change", slugs[pk]) for pk in changes]
    )


@pytest.mark.django_db(transaction=True)
def test_in_a_transactional_test_the_replay_commits_and_queues_what_the_seed_queues(workbook):
    tables = model_tables()
    before = snapshot(tables)
    recording, _, _ = recorded(tables, before)
    assert recording is not None

    seed()
    after_the_seed, renders = snapshot(tables), queued()
    assert renders
    restore(tables, before)
    assert same_rows(snapshot(tables), before)

    with transaction.atomic():
        replay(recording)
    after_the_replay = snapshot(tables)
    assert queued() == renders
    assert {name: len(rows) for name, rows in after_the_replay.items()} == {
        name: len(rows) for name, rows in after_the_seed.items()
    }


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_empties_the_database(workbook):
    """It flushes when it ends; the next test finds the session's database (the one below)."""
    Jurisdiction.objects.create(
        slug="left-behind",
        name="Left behind",
        kind="city",
        population_band="25k_100k",
        workbook=workbook,
    )


@pytest.mark.django_db(transaction=True)
def test_the_next_test_starts_from_the_sessions_database(workbook):
    from tests.conftest import _session_rows

    tables, rows = _session_rows
    assert not Jurisdiction.objects.filter(slug="left-behind").exists()
    assert same_rows(snapshot(tables), rows)
