"""Rendering one queued export: claim it with a lease, compose and render in a bounded child,
store the file (or why it failed), keep the newest few."""

import datetime
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from strategy.documents.build import build_document, document_html
from strategy.documents.model import Document
from strategy.exports.packet import Packet, compose_packet, packet_zip
from strategy.models import DocumentKind, Export, ExportFormat, ExportStatus
from strategy.render.bounded import RenderFailed, render_bounded

logger = logging.getLogger(__name__)
KEPT_EXPORTS = 3  # finished files kept per jurisdiction, document and format


def lease_seconds() -> float:
    """How long a rendering worker may go without renewing its lease before it counts as dead."""
    return getattr(settings, "EXPORT_LEASE_SECONDS", 30)


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


def render_packet(packet: Packet, **limits: Any) -> bytes:
    """The packet's ZIP, each PDF rendered in its own bounded child, as a single export is."""
    from strategy.render.pdf import html_to_pdf

    return packet_zip(packet, lambda d: render_bounded(html_to_pdf, document_html(d), **limits))


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
        every = lease.total_seconds() / 3
        if export.kind == DocumentKind.PACKET:
            packet = compose_packet(export.jurisdiction)
            draft = packet.draft
            content = render_packet(
                packet,
                time_limit=settings.EXPORT_TIME_LIMIT,
                max_bytes=settings.EXPORT_MAX_BYTES,
                heartbeat=renew_lease,
                heartbeat_every=every,
            )
        else:
            document = build_document(export.jurisdiction, export.kind)
            draft = document.draft
            content = render_file(export, document, heartbeat=renew_lease, heartbeat_every=every)
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
        draft=draft,
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
