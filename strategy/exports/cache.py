"""The export cache: which file a document's current answers map to, and queueing its render.

The cache key hashes everything a file depends on: template, composer and renderer versions,
the document kind and format, and the workbook's content version (strategy.documents.versions):
the jurisdiction and when its content was loaded, its answers' count, newest change and history
entry, each section's version, status and last update, each use case's version and newest
decision, and the public register's address. An unchanged workbook therefore maps to the
stored file; any edit maps to a new key and exactly one new render.
"""

import hashlib
import json
import logging
from functools import cache, partial
from pathlib import Path
from typing import cast

from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils import timezone

from strategy.documents.build import DOCUMENT_TEMPLATE
from strategy.documents.versions import content_version
from strategy.exports.render import run_export
from strategy.exports.tasks import BACKGROUND_PRIORITY, render_export
from strategy.models import Export, ExportFormat, ExportStatus
from strategy.render.bounded import RenderFailed
from workbook.models import Jurisdiction

logger = logging.getLogger(__name__)
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


# The code that decides what a document says: its composers, checks and the scores they quote.
COMPOSER_PACKAGES = ("documents", "scoring", "register", "law")


@cache
def composer_version() -> str:
    """A hash of the composing code: a new release that writes differently renders afresh."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in COMPOSER_PACKAGES:
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def renderer_version(fmt: str) -> str:
    if fmt in (ExportFormat.PDF, ExportFormat.ZIP):  # the packet's files are PDFs
        import weasyprint

        from strategy.render.pdf import RENDERER_VERSION

        return f"{RENDERER_VERSION}/weasyprint-{weasyprint.__version__}"
    import docx

    from strategy.render.docx import RENDERER_VERSION

    return f"{RENDERER_VERSION}/python-docx-{getattr(docx, '__version__', '?')}"


def cache_key(jurisdiction: Jurisdiction, kind: str, fmt: str, content: str | None = None) -> str:
    """The key of this document's file; `content` is the content_version, when already known."""
    material = {
        "template": template_version(),
        "composer": composer_version(),
        "renderer": renderer_version(fmt),
        "kind": kind,
        "format": fmt,
        "content": content or content_version(jurisdiction),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def find_or_create_export(
    jurisdiction: Jurisdiction,
    kind: str,
    fmt: str,
    user,
    content: str | None = None,
    background: bool = False,
) -> Export:
    """The export for the current answers; a new, failed or abandoned one is queued.

    Callers check permission first (see strategy.exports.actions.request_export). A
    `background` render, one nobody waits for, is queued behind those someone asked for.
    """

    key = cache_key(jurisdiction, kind, fmt, content)
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
            priority = BACKGROUND_PRIORITY if background else render_export.priority
            queue = render_export.using(priority=priority)
            transaction.on_commit(lambda: queue.enqueue(export.pk))
        requeue_if_abandoned(export)
    return export


def requeue_abandoned(exports: QuerySet[Export] | None = None) -> list[int]:
    """Queue again the running exports whose lease expired: their worker died mid-render.

    Run when a worker starts (manage.py export_worker) and when an export is requested or its
    status is polled, so the page of a user waiting for it goes on to the file by itself.
    """

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
