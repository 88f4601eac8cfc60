"""Exports: cached by content, rendered by the task worker, bounded, and served to members only."""

import datetime
import io

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategy.exports import cache as exports
from strategy.exports import render as rendering
from strategy.models import Export
from tests.test_adoption_checks import answer_for_adoption
from tests.test_documents import add_use_cases
from workbook.answers.actions import save_section
from workbook.models import Jurisdiction, Section, SectionProgress
from workbook.security.access import JurisdictionAccess

# The worker checks connections between tasks (closing one left in a transaction), so these
# tests commit for real instead of running inside a rolled-back test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

EXPORT_URL = "/j/riverton/documents/{kind}/export/"


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders (cache misses)."""
    calls = []
    original = rendering.render_file

    def counting(export, *args, **kwargs):
        calls.append(export.pk)
        return original(export, *args, **kwargs)

    monkeypatch.setattr(rendering, "render_file", counting)
    return calls


def run_worker():
    """The django-tasks-db worker, processing everything queued, then exiting."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def request_export(client, kind="strategy", fmt="docx", capture=None) -> Export:
    with capture(execute=True):
        response = client.post(EXPORT_URL.format(kind=kind), {"format": fmt})
    assert response.status_code == 302, response.content
    return Export.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def edit_vision(user):
    jurisdiction = Jurisdiction.objects.get(slug="riverton")
    section = Section.objects.get(workbook=jurisdiction.workbook, slug="vision")
    version = SectionProgress.objects.get(jurisdiction=jurisdiction, section=section).version
    save_section(
        access=JurisdictionAccess.of(user, jurisdiction),
        section=section,
        values={"vision-success": "Every resident can reach a person within one day."},
        expected_version=version,
    )


def test_unchanged_workbook_renders_once_and_an_edit_once_more(
    client, demo, renders, django_capture_on_commit_callbacks
):
    add_use_cases(demo)
    client.force_login(demo["riverton-viewer"])

    first = request_export(client, capture=django_capture_on_commit_callbacks)
    assert first.status == Export.Status.PENDING
    page = client.get(f"/j/riverton/exports/{first.pk}/")
    assert b"Waiting to start" in page.content and b"refresh the page" in page.content
    run_worker()
    first.refresh_from_db()
    assert first.status == Export.Status.DONE, first.error
    assert renders == [first.pk]

    # Same answers: the stored file, no new task, no render.
    again = request_export(client, capture=django_capture_on_commit_callbacks)
    run_worker()
    assert again.pk == first.pk
    assert renders == [first.pk]

    download = client.get(f"/j/riverton/exports/{first.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="riverton-ai-strategy-draft.docx"'
    )
    word = docx.Document(io.BytesIO(download.content))
    assert any("City of Riverton" in p.text for p in word.paragraphs)

    # One edit: exactly one more render.
    edit_vision(demo["riverton-editor"])
    edited = request_export(client, capture=django_capture_on_commit_callbacks)
    request_export(client, capture=django_capture_on_commit_callbacks)
    run_worker()
    assert edited.pk != first.pk
    assert renders == [first.pk, edited.pk]
    status = client.get(f"/j/riverton/exports/{edited.pk}/status.json").json()
    assert status["status"] == "done" and status["download_url"].endswith("/download/")


def test_another_jurisdictions_member_gets_404(
    client, demo, renders, django_capture_on_commit_callbacks
):
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, capture=django_capture_on_commit_callbacks)
    run_worker()
    for user in ("lakeside-manager", "lakeside-viewer"):
        client.force_login(demo[user])
        for suffix in ("", "status.json", "download/"):
            assert client.get(f"/j/riverton/exports/{export.pk}/{suffix}").status_code == 404
            # Nor under their own jurisdiction's prefix.
            assert client.get(f"/j/lakeside/exports/{export.pk}/{suffix}").status_code == 404
    # The jurisdiction's facilitator may fetch its drafts.
    client.force_login(demo["facilitator"])
    assert client.get(f"/j/riverton/exports/{export.pk}/download/").status_code == 200
    client.logout()
    assert client.get(f"/j/riverton/exports/{export.pk}/download/").status_code == 302


def test_final_documents_are_exported_by_managers_only(
    client, demo, renders, django_capture_on_commit_callbacks
):
    answer_for_adoption(Jurisdiction.objects.get(slug="riverton"))
    client.force_login(demo["riverton-viewer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT_URL.format(kind="sop"), {"format": "docx"}, follow=True)
    assert b"Only a manager can export the final document." in response.content
    assert not Export.objects.exists()

    client.force_login(demo["riverton-manager"])
    final = request_export(client, kind="sop", capture=django_capture_on_commit_callbacks)
    run_worker()
    final.refresh_from_db()
    assert final.status == Export.Status.DONE and not final.draft
    assert client.get(f"/j/riverton/exports/{final.pk}/download/").status_code == 200

    client.force_login(demo["riverton-viewer"])
    assert client.get(f"/j/riverton/exports/{final.pk}/download/").status_code == 404


def test_draft_or_final_is_decided_when_the_document_is_composed(
    client, demo, renders, django_capture_on_commit_callbacks
):
    riverton = Jurisdiction.objects.get(slug="riverton")
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, capture=django_capture_on_commit_callbacks)
    assert export.draft is None  # not decided until the document is composed

    # The answers become final after the request and before the worker composes the file.
    answer_for_adoption(riverton)
    run_worker()
    export.refresh_from_db()
    assert export.status == Export.Status.DONE and export.draft is False
    word = docx.Document(io.BytesIO(bytes(export.content)))
    assert word.core_properties.keywords == "FINAL"

    # The viewer who asked sees why there is no download, and cannot fetch the final file.
    status = client.get(f"/j/riverton/exports/{export.pk}/status.json").json()
    assert status["status"] == "done" and status["download_url"] is None
    assert "only a manager can download" in status["error"]
    page = client.get(f"/j/riverton/exports/{export.pk}/")
    assert b"only a manager can download" in page.content
    assert client.get(f"/j/riverton/exports/{export.pk}/download/").status_code == 404

    client.force_login(demo["riverton-manager"])
    download = client.get(f"/j/riverton/exports/{export.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="riverton-ai-strategy.docx"'
    assert docx.Document(io.BytesIO(download.content)).core_properties.keywords == "FINAL"


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("EXPORT_TIME_LIMIT", 0.01, "Export failed: it took longer than the 0.01-second limit."),
        ("EXPORT_MAX_BYTES", 1000, "over the limit"),
    ],
)
def test_a_render_over_its_limits_fails_cleanly(
    client, demo, settings, setting, value, message, django_capture_on_commit_callbacks
):
    setattr(settings, setting, value)
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, fmt="pdf", capture=django_capture_on_commit_callbacks)
    run_worker()
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert message in export.error
    page = client.get(f"/j/riverton/exports/{export.pk}/")
    assert b"Export failed" in page.content and b"Try again" in page.content
    assert client.get(f"/j/riverton/exports/{export.pk}/download/").status_code == 404

    # This process is healthy, and asking again retries the same export.
    setattr(settings, setting, 120 if setting == "EXPORT_TIME_LIMIT" else 50 * 1024 * 1024)
    retried = request_export(client, fmt="pdf", capture=django_capture_on_commit_callbacks)
    assert retried.pk == export.pk and retried.status == Export.Status.PENDING
    run_worker()
    retried.refresh_from_db()
    assert retried.status == Export.Status.DONE


def test_inline_backend_renders_during_the_request(
    client, demo, settings, renders, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, capture=django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    assert len(renders) == 1


def test_an_export_whose_lease_ran_out_is_queued_again_when_its_status_is_polled(
    client, demo, renders, django_capture_on_commit_callbacks
):
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, capture=django_capture_on_commit_callbacks)
    status_url = f"/j/riverton/exports/{export.pk}/status.json"
    soon = timezone.now() + datetime.timedelta(seconds=30)
    Export.objects.filter(pk=export.pk).update(status="running", lease_expires_at=soon)

    DBTaskResult.objects.all().delete()  # the task a worker took and died with

    # A worker still renewing its lease keeps the export.
    assert client.get(status_url).json()["status"] == "running"
    assert not DBTaskResult.objects.exists()

    # Its worker died: the lease runs out, and the page polling the status starts it over.
    gone = timezone.now() - datetime.timedelta(seconds=1)
    Export.objects.filter(pk=export.pk).update(lease_expires_at=gone)
    assert client.get(status_url).json()["status"] == "pending"
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    assert client.get(status_url).json()["status"] == "done"
    assert renders == [export.pk]


def test_a_request_requeues_an_abandoned_export(
    client, demo, renders, django_capture_on_commit_callbacks
):
    client.force_login(demo["riverton-viewer"])
    export = request_export(client, capture=django_capture_on_commit_callbacks)
    gone = timezone.now() - datetime.timedelta(seconds=1)
    Export.objects.filter(pk=export.pk).update(status="running", lease_expires_at=gone)
    retried = request_export(client, capture=django_capture_on_commit_callbacks)
    assert retried.pk == export.pk and retried.status == Export.Status.PENDING
    run_worker()
    retried.refresh_from_db()
    assert retried.status == Export.Status.DONE


def test_a_run_whose_export_was_queued_again_drops_its_result(client, demo, monkeypatch):
    export = exports.find_or_create_export(
        Jurisdiction.objects.get(slug="riverton"), "strategy", "docx", demo["riverton-viewer"]
    )

    def taken_for_dead(export, document, *, heartbeat, heartbeat_every):
        # Another worker's reclaim, while this one renders and is about to renew its lease.
        Export.objects.filter(pk=export.pk).update(status="pending", lease_expires_at=None)
        heartbeat()

    monkeypatch.setattr(rendering, "render_file", taken_for_dead)
    rendering.run_export(export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.PENDING and export.content is None


def test_export_document_serves_the_cached_file(demo, renders):
    jurisdiction = Jurisdiction.objects.get(slug="riverton")
    first = exports.export_document(jurisdiction, fmt="docx")
    assert exports.export_document(jurisdiction, fmt="docx") == first
    assert len(renders) == 1


def test_a_content_reload_maps_to_a_new_file(demo):
    # An edited clause reaches the documents only through a reload, which must not hit the cache.
    def key() -> str:
        return exports.cache_key(Jurisdiction.objects.get(slug="riverton"), "strategy", "pdf")

    before = key()
    assert key() == before
    call_command("load_workbook", stdout=io.StringIO())
    assert key() != before
