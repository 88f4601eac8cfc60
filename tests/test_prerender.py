"""Drafts rendered before they are asked for: after a quiet while, once per content version."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategy.exports import cache as exports
from strategy.exports import render as rendering
from strategy.exports.prerender import LOST_AFTER, PRERENDERED, prerender_documents
from strategy.models import Export, UseCaseApproval, WorkbookChange
from strategy.register.actions import record_evidence
from tests.test_export import EXPORT_URL, edit_vision, run_worker
from tests.test_register_obligations import POTHOLE, access_of, evidence
from workbook.models import Jurisdiction, UseCase

# The worker commits its work, as in tests/test_export.py.
pytestmark = pytest.mark.django_db(transaction=True)

PRERENDER_TASK = prerender_documents.module_path
migration = importlib.import_module("strategy.migrations.0009_workbook_change_render_due")


@pytest.fixture
def renders(monkeypatch):
    """Every render, as the export it was for; the file is a stand-in, so no PDF is made."""
    calls: list[Export] = []

    def render(export, document, **limits):
        calls.append(export)
        return f"{export.kind}.{export.format} for {export.jurisdiction.name}".encode()

    monkeypatch.setattr(rendering, "render_file", render)
    return calls


def forget_queued_renders() -> None:
    """An empty task queue and no render queued (seeding the demo queued its own)."""
    DBTaskResult.objects.all().delete()
    WorkbookChange.objects.all().delete()


@pytest.fixture
def queue(demo, settings):
    """An empty task queue, with no quiet time."""
    forget_queued_renders()
    settings.PRERENDER_QUIET_SECONDS = 0
    return DBTaskResult.objects


def riverton() -> Jurisdiction:
    return Jurisdiction.objects.select_related("workbook").get(slug="riverton")


def prerender_tasks():
    return DBTaskResult.objects.filter(task_path=PRERENDER_TASK)


def change() -> WorkbookChange:
    """Riverton's latest change and the render queued for it."""
    return WorkbookChange.objects.get(jurisdiction=riverton())


def test_a_change_queues_one_prerender_for_when_the_workbook_has_been_quiet(demo, settings):
    forget_queued_renders()
    settings.PRERENDER_QUIET_SECONDS = 60
    before = timezone.now()
    edit_vision(demo["riverton-editor"])
    task = prerender_tasks().get()
    assert task.args_kwargs["args"] == [riverton().pk]
    assert before <= change().changed_at
    quiet = datetime.timedelta(seconds=60)
    assert before + quiet <= task.run_after <= timezone.now() + quiet
    assert change().render_due_at == task.run_after
    assert not DBTaskResult.objects.ready().exists()  # nothing runs before the quiet time


def test_a_change_while_a_render_is_queued_only_moves_the_time_of_the_change(demo, settings):
    forget_queued_renders()
    settings.PRERENDER_QUIET_SECONDS = 60
    edit_vision(demo["riverton-editor"])
    first = change()
    edit_vision(demo["riverton-editor"])
    assert prerender_tasks().count() == 1
    assert change().changed_at > first.changed_at
    assert change().render_due_at == first.render_due_at


def test_a_render_run_before_the_quiet_time_waits_for_it(demo, settings, renders):
    forget_queued_renders()
    settings.PRERENDER_QUIET_SECONDS = 60
    edit_vision(demo["riverton-editor"])
    prerender_tasks().delete()
    edit_vision(demo["riverton-editor"])  # a later change, while the render is queued
    latest = change().changed_at

    prerender_documents.call(riverton().pk)
    assert renders == []
    waiting = prerender_tasks().get()
    assert waiting.args_kwargs["args"] == [riverton().pk]
    quiet = datetime.timedelta(seconds=60)
    assert waiting.run_after == change().render_due_at == latest + quiet


def test_a_burst_of_changes_queues_one_task_and_renders_each_draft_once(demo, queue, renders):
    for _ in range(3):
        edit_vision(demo["riverton-editor"])
    assert prerender_tasks().count() == 1
    run_worker()
    content = exports.content_version(riverton())
    assert sorted((e.kind, e.format) for e in renders) == sorted(PRERENDERED)
    assert {e.cache_key for e in renders} == {
        exports.cache_key(riverton(), kind, fmt, content) for kind, fmt in PRERENDERED
    }
    assert set(Export.objects.values_list("status", flat=True)) == {Export.Status.DONE}


def test_a_workbook_whose_drafts_are_cached_renders_nothing(demo, queue, renders):
    edit_vision(demo["riverton-editor"])
    run_worker()
    assert len(renders) == len(PRERENDERED)

    # Another task for the render already made (two changes at once each queued one).
    prerender_documents.enqueue(riverton().pk)
    run_worker()
    assert len(renders) == len(PRERENDERED)
    assert Export.objects.count() == len(PRERENDERED)
    assert not prerender_tasks().ready().exists()


def test_two_tasks_for_one_queued_render_render_it_once(demo, queue, renders):
    edit_vision(demo["riverton-editor"])
    prerender_documents.enqueue(riverton().pk)
    run_worker()
    assert len(renders) == len(PRERENDERED)
    assert change().render_due_at is None


def test_the_next_change_after_a_render_queues_another(demo, queue, renders):
    edit_vision(demo["riverton-editor"])
    run_worker()
    prerender_tasks().delete()
    edit_vision(demo["riverton-editor"])
    assert prerender_tasks().count() == 1


def test_a_render_long_past_due_is_taken_as_lost_and_queued_again(demo, settings):
    forget_queued_renders()
    settings.PRERENDER_QUIET_SECONDS = 60
    edit_vision(demo["riverton-editor"])
    prerender_tasks().delete()  # lost: deleted by hand, say
    long_ago = timezone.now() - LOST_AFTER - datetime.timedelta(minutes=1)
    WorkbookChange.objects.filter(jurisdiction=riverton()).update(render_due_at=long_ago)
    edit_vision(demo["riverton-editor"])
    task = prerender_tasks().get()
    assert change().render_due_at == task.run_after > timezone.now()


def test_a_draft_being_rendered_is_not_rendered_twice(demo, queue, renders):
    edit_vision(demo["riverton-editor"])
    prerender_tasks().delete()
    jurisdiction = riverton()
    # Someone's export of the strategy PDF, being rendered by another worker under its lease.
    in_flight = exports.find_or_create_export(jurisdiction, "strategy", "pdf", None)
    lease = timezone.now() + datetime.timedelta(seconds=30)
    Export.objects.filter(pk=in_flight.pk).update(status="running", lease_expires_at=lease)
    DBTaskResult.objects.all().delete()

    prerender_documents.enqueue(jurisdiction.pk)
    run_worker()
    assert in_flight.pk not in [e.pk for e in renders]
    assert len(renders) == len(PRERENDERED) - 1
    assert Export.objects.get(pk=in_flight.pk).status == Export.Status.RUNNING


def test_export_after_a_prerender_serves_the_file_without_rendering(client, demo, queue, renders):
    edit_vision(demo["riverton-editor"])
    run_worker()
    rendered = len(renders)
    queue.all().delete()

    client.force_login(demo["riverton-viewer"])
    response = client.post(EXPORT_URL.format(kind="strategy"), {"format": "pdf"})
    page = client.get(response.url)
    assert b"Ready" in page.content
    download = client.get(response.url + "download/")
    assert download.status_code == 200
    assert download.content == b"strategy.pdf for City of Riverton"
    assert len(renders) == rendered
    assert not queue.exists()  # the click queued no render


def test_a_prerender_writes_only_its_own_jurisdictions_files(demo, queue, renders):
    lakeside = Jurisdiction.objects.select_related("workbook").get(slug="lakeside")
    theirs = {exports.cache_key(lakeside, kind, fmt) for kind, fmt in PRERENDERED}
    edit_vision(demo["riverton-editor"])
    run_worker()
    assert {e.jurisdiction_id for e in renders} == {riverton().pk}
    assert set(Export.objects.values_list("jurisdiction", flat=True)) == {riverton().pk}
    assert not theirs & set(Export.objects.values_list("cache_key", flat=True))
    files = Export.objects.values_list("content", flat=True)
    assert all(b"City of Riverton" in bytes(f) for f in files)


def test_an_inline_task_backend_renders_no_draft_during_a_save(demo, settings, renders):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    edit_vision(demo["riverton-editor"])
    assert renders == []


def test_a_recorded_approval_is_a_new_content_version(demo):
    jurisdiction = riverton()
    use_case = UseCase.objects.filter(jurisdiction=jurisdiction).first()
    assert use_case is not None
    before = exports.content_version(jurisdiction)
    UseCaseApproval.objects.create(
        use_case=use_case,
        tier="I",
        approver="Department head",
        decision=UseCaseApproval.Decision.APPROVED,
        decided_on=datetime.date(2027, 1, 4),
    )
    assert exports.content_version(jurisdiction) != before


def test_recorded_evidence_is_a_new_content_version_and_a_change(demo, queue):
    # The checks before adoption read the evidence, so the drafts must be rendered again.
    alder_falls = Jurisdiction.objects.select_related("workbook").get(slug="alderfalls")
    pothole = UseCase.objects.get(jurisdiction=alder_falls, name=POTHOLE)
    access = access_of("alderfalls-editor", demo)
    before = exports.content_version(alder_falls)
    record_evidence(access=access, use_case=pothole, fields=evidence())
    assert exports.content_version(alder_falls) != before
    assert prerender_tasks().count() == 1


def test_an_export_someone_asked_for_renders_before_the_prerenders(client, demo, queue, renders):
    edit_vision(demo["riverton-editor"])
    client.force_login(demo["riverton-viewer"])
    response = client.post(EXPORT_URL.format(kind="sop"), {"format": "pdf"})
    asked = int(response.url.rstrip("/").split("/")[-1])
    run_worker()
    assert renders[0].pk == asked
    # The pre-render found that file made and rendered the other drafts.
    assert len(renders) == len(PRERENDERED)


def test_the_migration_drops_the_tasks_queued_one_per_change(demo, queue):
    # As every change queued them before: the jurisdiction and the change's time.
    args = {"args": [riverton().pk, timezone.now().isoformat()], "kwargs": {}}
    for _ in range(3):
        queue.create(task_path=PRERENDER_TASK, args_kwargs=args)
    done = queue.create(task_path=PRERENDER_TASK, args_kwargs=args, status="SUCCESSFUL")
    export = queue.create(
        task_path="strategy.exports.tasks.render_export", args_kwargs={"args": [1], "kwargs": {}}
    )
    migration.forget_tasks_of_one_per_change(apps, None)
    assert set(queue.values_list("pk", flat=True)) == {done.pk, export.pk}


def test_the_time_of_a_change_is_written_without_waiting_for_the_log(db):
    # A hint, emptied by a crash: the next change queues the render again.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [WorkbookChange._meta.db_table],
        )
        assert cursor.fetchone() == ("u",)


@pytest.mark.parametrize("role", ["approved_by", "assignee"])
def test_a_renamed_approver_or_assignee_is_a_new_content_version(demo, role):
    # The documents name who approved each section and who it is assigned to.
    from django.contrib.auth import get_user_model

    from workbook.models import SectionProgress

    jurisdiction = Jurisdiction.objects.select_related("workbook").get(slug="alderfalls")
    progress = SectionProgress.objects.filter(jurisdiction=jurisdiction).first()
    person = demo["alderfalls-manager"]
    SectionProgress.objects.filter(pk=progress.pk).update(**{role: person})
    before = exports.content_version(jurisdiction)
    assert exports.content_version(jurisdiction) == before  # the same workbook, the same key
    get_user_model().objects.filter(pk=person.pk).update(first_name="Renamed", last_name="Person")
    assert exports.content_version(jurisdiction) != before
