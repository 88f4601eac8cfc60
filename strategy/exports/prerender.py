"""Drafts rendered before anyone asks: once a workbook has been quiet for a while, its working
documents are queued for rendering, so the next Export finds the file in the cache.

Each change stores its time (WorkbookChange, one row per jurisdiction) and queues one
`prerender_documents` task to run PRERENDER_QUIET_SECONDS later, carrying that time. When it
runs, a workbook that changed since has a later task queued, so this one does nothing: however
many saves come in a burst, only the last one's task renders. A save pays two small writes;
the content version is computed in the worker. The renders themselves are ordinary exports
(strategy.exports.cache), so a file already rendered for this content is not rendered again,
and each export is rendered by one worker at a time under its lease
(docs/decisions/0007-export-leases.md). These renders are queued behind every export someone
asked for.
"""

import datetime
import logging

from django.conf import settings
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from strategy.exports.cache import content_version, find_or_create_export
from strategy.exports.tasks import BACKGROUND_PRIORITY
from strategy.models import DocumentKind, ExportFormat, WorkbookChange
from workbook.answers.changes import workbook_changed
from workbook.models import Jurisdiction

logger = logging.getLogger(__name__)

# The documents a team works on while drafting; the adoption documents and the packet are
# made when asked for.
PRERENDERED = (
    (DocumentKind.STRATEGY, ExportFormat.PDF),
    (DocumentKind.STRATEGY, ExportFormat.DOCX),
    (DocumentKind.SOP, ExportFormat.PDF),
    (DocumentKind.SOP, ExportFormat.DOCX),
)


@task(priority=BACKGROUND_PRIORITY)
def prerender_documents(jurisdiction_id: int, changed_at: str) -> None:
    """Queue the renders of the drafts, unless the workbook changed after `changed_at`."""
    latest = (
        WorkbookChange.objects.filter(jurisdiction=jurisdiction_id)
        .values_list("changed_at", flat=True)
        .first()
    )
    if latest != datetime.datetime.fromisoformat(changed_at):
        return  # changed since (the later change's task renders), or gone
    jurisdiction = Jurisdiction.objects.select_related("workbook").get(pk=jurisdiction_id)
    content = content_version(jurisdiction)
    for kind, fmt in PRERENDERED:
        find_or_create_export(jurisdiction, kind, fmt, user=None, content=content, background=True)


def schedule_prerender(jurisdiction: Jurisdiction) -> None:
    """Queue the drafts' render for when the workbook has been quiet for a while.

    Only with a backend that can defer a task (the database worker): an inline backend would
    render during every save.
    """
    if not prerender_documents.get_backend().supports_defer:
        return
    now = timezone.now()
    WorkbookChange.objects.bulk_create(
        [WorkbookChange(jurisdiction=jurisdiction, changed_at=now)],
        update_conflicts=True,
        unique_fields=["jurisdiction"],
        update_fields=["changed_at"],
    )
    quiet = datetime.timedelta(seconds=settings.PRERENDER_QUIET_SECONDS)
    prerender_documents.using(run_after=now + quiet).enqueue(jurisdiction.pk, now.isoformat())


@receiver(workbook_changed, dispatch_uid="prerender_documents")
def _workbook_changed(sender, jurisdiction: Jurisdiction, **kwargs) -> None:
    schedule_prerender(jurisdiction)
