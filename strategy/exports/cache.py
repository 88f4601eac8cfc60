"""The export cache: which file a document's current answers map to, and rendering it.

The cache key hashes everything a file depends on: template and renderer versions, the
jurisdiction, the document kind and format, and the versions of its answers (section
versions and statuses, use-case versions, the newest answer change and history entry). An
unchanged workbook therefore maps to the stored file; any edit maps to a new key and exactly
one new render.
"""

import datetime
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.template.loader import get_template
from django.utils import timezone

from strategy.documents.build import DOCUMENT_TEMPLATE, build_document, document_html
from strategy.documents.composition import Document
from strategy.models import Export, ExportFormat, ExportStatus
from strategy.render.bounded import RenderFailed, render_bounded
from workbook.models import Answer, Jurisdiction, SectionProgress, UseCase

logger = logging.getLogger(__name__)
KEPT_EXPORTS = 3  # finished files kept per jurisdiction, document and format
TEMPLATE_FILES = (DOCUMENT_TEMPLATE, "strategy/_radar.html")
STATIC_FILES = ("css/document.css",)


@cache
def template_version() -> str:
    """A hash of the document template and stylesheet: editing them invalidates the cache."""
    digest = hashlib.sha256()
    for name in TEMPLATE_FILES:
        # The stubs' template protocol lacks `origin`, which every Django backend template has.
        digest.update(Path(get_template(name).origin.name).read_bytes())  # type: ignore[attr-defined]
    for name in STATIC_FILES:
        digest.update(Path(cast(str, finders.find(name))).read_bytes())
    return digest.hexdigest()[:16]


def renderer_version(fmt: str) -> str:
    if fmt == ExportFormat.PDF:
        import weasyprint

        from strategy.render.pdf import RENDERER_VERSION

        return f"{RENDERER_VERSION}/weasyprint-{weasyprint.__version__}"
    import docx

    from strategy.render.docx import RENDERER_VERSION

    return f"{RENDERER_VERSION}/python-docx-{getattr(docx, '__version__', '?')}"


def answer_versions(jurisdiction: Jurisdiction) -> dict:
    """Everything about the answers that changes when anything is edited or approved."""
    answers = Answer.objects.filter(jurisdiction=jurisdiction).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    history = Answer.history.filter(jurisdiction_id=jurisdiction.pk).aggregate(
        last=Max("history_id")
    )
    return {
        "sections": list(
            SectionProgress.objects.filter(jurisdiction=jurisdiction)
            .order_by("section_id")
            .values_list("section_id", "version", "status")
        ),
        "use_cases": [
            [pk, version, updated.isoformat()]
            for pk, version, updated in UseCase.objects.filter(jurisdiction=jurisdiction)
            .order_by("pk")
            .values_list("pk", "version", "updated_at")
        ],
        "answers": [answers["n"], answers["changed"] and answers["changed"].isoformat()],
        "history": history["last"],
    }


def cache_key(jurisdiction: Jurisdiction, kind: str, fmt: str) -> str:
    material = {
        "template": template_version(),
        "renderer": renderer_version(fmt),
        "jurisdiction": [jurisdiction.pk, jurisdiction.name, jurisdiction.workbook.version],
        "kind": kind,
        "format": fmt,
        "versions": answer_versions(jurisdiction),
    }
    encoded = json.dumps(material, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def find_or_create_export(jurisdiction: Jurisdiction, kind: str, fmt: str, user) -> Export:
    """The export for the current answers; a new, failed or abandoned one is queued.

    Callers check permission first (see strategy.exports.actions.request_export).
    """
    from strategy.exports.tasks import render_export

    key = cache_key(jurisdiction, kind, fmt)
    with transaction.atomic():
        export, created = Export.objects.get_or_create(
            cache_key=key,
            defaults={
                "jurisdiction": jurisdiction,
                "kind": kind,
                "format": fmt,
                "requested_by": user,
            },
        )
        if not created and export.status == ExportStatus.FAILED:
            # A failed render is retried on request: the cause may have been passing.
            Export.objects.filter(pk=export.pk).update(
                status=ExportStatus.PENDING, error="", started_at=None, finished_at=None
            )
            export.status = ExportStatus.PENDING
            created = True
        if created:
            transaction.on_commit(lambda: render_export.enqueue(export.pk))
        requeue_if_abandoned(export)
    return export


def lease_seconds() -> float:
    """How long a rendering worker may go without renewing its lease before it counts as dead."""
    return getattr(settings, "EXPORT_LEASE_SECONDS", 30)


def requeue_abandoned(exports: QuerySet[Export] | None = None) -> list[int]:
    """Queue again the running exports whose lease expired: their worker died mid-render.

    Run when a worker starts (manage.py export_worker) and when an export is requested or its
    status is polled, so the page of a user waiting for it goes on to the file by itself.
    """
    from strategy.exports.tasks import render_export

    stale = (Export.objects.all() if exports is None else exports).filter(
        status=ExportStatus.RUNNING, lease_expires_at__lt=timezone.now()
    )
    requeued = []
    for pk in stale.values_list("pk", flat=True):
        # Conditional, so a reclaim racing another one, or a renewal, takes effect only once.
        if stale.filter(pk=pk).update(
            status=ExportStatus.PENDING, started_at=None, lease_expires_at=None
        ):
            requeued.append(pk)
            transaction.on_commit(partial(render_export.enqueue, pk))
    if requeued:
        logger.warning("Exports %s were abandoned by a worker that died; queued again", requeued)
    return requeued


def requeue_if_abandoned(export: Export) -> None:
    """`requeue_abandoned` for this one export, updating its status in place."""
    expired = export.lease_expires_at is not None and export.lease_expires_at < timezone.now()
    running = export.status == ExportStatus.RUNNING
    if running and expired and requeue_abandoned(Export.objects.filter(pk=export.pk)):
        export.status = ExportStatus.PENDING


class LeaseLost(Exception):
    """The export was queued again while this worker rendered it: this run's result is dropped."""


def render_file(
    export: Export,
    document: Document,
    *,
    heartbeat: Callable[[], None],
    heartbeat_every: float,
) -> bytes:
    """Render the composed document in a bounded child process, calling `heartbeat` as it waits."""
    limits: dict[str, Any] = {
        "time_limit": settings.EXPORT_TIME_LIMIT,
        "max_bytes": settings.EXPORT_MAX_BYTES,
        "heartbeat": heartbeat,
        "heartbeat_every": heartbeat_every,
    }
    if export.format == ExportFormat.PDF:
        from strategy.render.pdf import html_to_pdf

        return render_bounded(html_to_pdf, document_html(document), **limits)
    from strategy.render.docx import render_docx

    return render_bounded(render_docx, document, **limits)


def run_export(export_id: int) -> None:
    """Render one queued export (the task body). Safe to call twice: only one run claims it.

    The run holds a lease on the export, renewed while the child renders; if its worker dies,
    the lease runs out and requeue_abandoned queues the export again.
    """
    lease = datetime.timedelta(seconds=lease_seconds())
    token = secrets.token_hex(16)
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=now, lease_token=token, lease_expires_at=now + lease
    )
    if not claimed:
        return
    this_run = Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING, lease_token=token)

    def renew_lease() -> None:
        if not this_run.update(lease_expires_at=timezone.now() + lease):
            raise LeaseLost

    export = Export.objects.select_related("jurisdiction__workbook").get(pk=export_id)
    started = time.monotonic()
    try:
        # Composed here, at render time: the approvals of this moment decide draft or final,
        # and the stored decision names the file and decides who may download it.
        document = build_document(export.jurisdiction, export.kind)
        content = render_file(
            export,
            document,
            heartbeat=renew_lease,
            heartbeat_every=lease.total_seconds() / 3,
        )
    except LeaseLost:
        logger.warning("Export %s was queued again while this worker rendered it", export_id)
        return
    except RenderFailed as exc:
        logger.warning("Export %s failed: %s", export_id, exc)
        _finish(this_run, status=ExportStatus.FAILED, error=f"Export failed: {exc}.")
        return
    except Exception:
        logger.exception("Export %s failed", export_id)
        _finish(this_run, status=ExportStatus.FAILED, error="Export failed: an internal error.")
        return
    finished = _finish(
        this_run,
        status=ExportStatus.DONE,
        draft=document.draft,
        content=content,
        size=len(content),
        render_seconds=round(time.monotonic() - started, 3),
    )
    if finished:
        _prune(export)


def _finish(this_run: QuerySet[Export], **fields) -> bool:
    """Store the outcome, unless the export was queued again meanwhile."""
    return bool(this_run.update(finished_at=timezone.now(), lease_expires_at=None, **fields))


def _prune(export: Export) -> None:
    """Keep only the newest few finished files of this document and format."""
    older = Export.objects.filter(
        jurisdiction=export.jurisdiction_id,
        kind=export.kind,
        format=export.format,
        status__in=(ExportStatus.DONE, ExportStatus.FAILED),
    ).values_list("pk", flat=True)[KEPT_EXPORTS:]
    Export.objects.filter(pk__in=list(older)).delete()


def export_document(
    jurisdiction: Jurisdiction, kind: str = "strategy", fmt: str = ExportFormat.PDF, user=None
) -> bytes:
    """The file for the current answers through the cache: the stored one, or rendered here.

    For scripts and benchmarks; pages go through strategy.exports.actions.request_export.
    """
    export = find_or_create_export(jurisdiction, kind, fmt, user)
    if export.status != ExportStatus.DONE:
        run_export(export.pk)
    export = Export.objects.get(pk=export.pk)
    if export.status != ExportStatus.DONE or export.content is None:
        raise RenderFailed(export.error)
    return bytes(export.content)
