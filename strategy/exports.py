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
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Count, Max
from django.template.loader import get_template
from django.utils import timezone

from workbook.models import Answer, Jurisdiction, SectionProgress, UseCase

from .bounded import RenderFailed, render_bounded
from .composition import Document
from .documents import DOCUMENT_TEMPLATE, build_document, document_html
from .models import Export, ExportFormat, ExportStatus

logger = logging.getLogger(__name__)
ABANDONED_AFTER_SECONDS = 60
KEPT_EXPORTS = 3  # finished files kept per jurisdiction, document and format
TEMPLATE_FILES = (DOCUMENT_TEMPLATE, "strategy/_radar.html")
STATIC_FILES = ("css/document.css",)


@cache
def template_version() -> str:
    """A hash of the document template and stylesheet: editing them invalidates the cache."""
    digest = hashlib.sha256()
    for name in TEMPLATE_FILES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    for name in STATIC_FILES:
        digest.update(Path(finders.find(name)).read_bytes())
    return digest.hexdigest()[:16]


def renderer_version(fmt: str) -> str:
    if fmt == ExportFormat.PDF:
        import weasyprint

        from .pdf import RENDERER_VERSION

        return f"{RENDERER_VERSION}/weasyprint-{weasyprint.__version__}"
    import docx

    from .docx import RENDERER_VERSION

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
    """The export for the current answers; a new or failed one is queued for rendering.

    Callers check permission first (see strategy.actions.request_export).
    """
    from .tasks import render_export

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
        if not created and (export.status == ExportStatus.FAILED or _abandoned(export)):
            # A failed render is retried on request: the cause may have been passing.
            Export.objects.filter(pk=export.pk).update(
                status=ExportStatus.PENDING, error="", started_at=None, finished_at=None
            )
            export.status = ExportStatus.PENDING
            created = True
        if created:
            transaction.on_commit(lambda: render_export.enqueue(export.pk))
    return export


def _abandoned(export: Export) -> bool:
    """Running far past the time limit: its worker died (a kill at the limit ends in FAILED)."""
    if export.status != ExportStatus.RUNNING or export.started_at is None:
        return False
    limit = datetime.timedelta(seconds=settings.EXPORT_TIME_LIMIT + ABANDONED_AFTER_SECONDS)
    return timezone.now() - export.started_at > limit


def render_file(export: Export, document: Document) -> bytes:
    """Render the composed document in a bounded child process."""
    limits = {
        "time_limit": settings.EXPORT_TIME_LIMIT,
        "max_bytes": settings.EXPORT_MAX_BYTES,
    }
    if export.format == ExportFormat.PDF:
        from .pdf import html_to_pdf

        return render_bounded(html_to_pdf, document_html(document), **limits)
    from .docx import render_docx

    return render_bounded(render_docx, document, **limits)


def run_export(export_id: int) -> None:
    """Render one queued export (the task body). Safe to call twice: only one run claims it."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    export = Export.objects.select_related("jurisdiction__workbook").get(pk=export_id)
    started = time.monotonic()
    try:
        # Composed here, at render time: the approvals of this moment decide draft or final,
        # and the stored decision names the file and decides who may download it.
        document = build_document(export.jurisdiction, export.kind)
        content = render_file(export, document)
    except RenderFailed as exc:
        logger.warning("Export %s failed: %s", export_id, exc)
        _finish(export_id, status=ExportStatus.FAILED, error=f"Export failed: {exc}.")
        return
    except Exception:
        logger.exception("Export %s failed", export_id)
        _finish(export_id, status=ExportStatus.FAILED, error="Export failed: an internal error.")
        return
    _finish(
        export_id,
        status=ExportStatus.DONE,
        draft=document.draft,
        content=content,
        size=len(content),
        render_seconds=round(time.monotonic() - started, 3),
    )
    _prune(export)


def _finish(export_id: int, **fields) -> None:
    Export.objects.filter(pk=export_id).update(finished_at=timezone.now(), **fields)


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

    For scripts and benchmarks; pages go through strategy.actions.request_export.
    """
    export = find_or_create_export(jurisdiction, kind, fmt, user)
    if export.status != ExportStatus.DONE:
        run_export(export.pk)
    export = Export.objects.get(pk=export.pk)
    if export.status != ExportStatus.DONE:
        raise RenderFailed(export.error)
    return bytes(export.content)
