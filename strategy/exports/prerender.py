"""Drafts rendered before anyone asks: once a workbook has been quiet for a while, its working
documents are queued for rendering, so the next Export finds the file in the cache.

Each jurisdiction has one WorkbookChange row: when its workbook last changed, and when the
render queued for it is due (none queued: null). A change while a render is queued costs one
UPDATE of that row; only a change with none queued also queues a `prerender_documents` task,
due PRERENDER_QUIET_SECONDS later. The task renders if the workbook has been quiet since;
otherwise it queues itself again for the end of the quiet time after the latest change. So
however many saves come in a burst, one task waits for it and renders once, after the last.

The renders themselves are ordinary exports (strategy.exports.cache), so a file already
rendered for this content is not rendered again, and each export is rendered by one worker at
a time under its lease (docs/decisions/0007-export-leases.md). These renders are queued behind
every export someone asked for.
"""

import datetime
from functools import cache

from django.conf import settings
from django.db import connection
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from strategy.exports.cache import content_version, find_or_create_export
from strategy.exports.tasks import BACKGROUND_PRIORITY
from strategy.models import DocumentKind, ExportFormat, WorkbookChange
from workbook import sql
from workbook.answers.changes import workbook_changed
from workbook.models import Jurisdiction

# The documents a team works on while drafting; the adoption documents and the packet are
# made when asked for.
PRERENDERED = (
    (DocumentKind.STRATEGY, ExportFormat.PDF),
    (DocumentKind.STRATEGY, ExportFormat.DOCX),
    (DocumentKind.SOP, ExportFormat.PDF),
    (DocumentKind.SOP, ExportFormat.DOCX),
)

# A queued render this long past due without having run is taken as lost (its task deleted,
# or it failed before it could clear its row), and the next change queues another.
LOST_AFTER = datetime.timedelta(hours=1)

# The statements on WorkbookChange, their names filled in from the model's (`_sql`).
TAKE_RENDER = (
    "UPDATE {table} SET {due} = NULL"
    " WHERE {jurisdiction} = %s AND {due} IS NOT NULL AND {changed} <= %s RETURNING 1"
)
WAIT_FOR_QUIET = (
    "UPDATE {table} SET {due} = {changed} + %s"
    " WHERE {jurisdiction} = %s AND {due} IS NOT NULL RETURNING {due}"
)
NOTE_CHANGE = "UPDATE {table} SET {changed} = %s WHERE {jurisdiction} = %s AND {due} > %s"
QUEUE_RENDER = (
    "INSERT INTO {table} ({jurisdiction}, {changed}, {due}) VALUES (%s, %s, %s)"
    " ON CONFLICT ({jurisdiction})"
    " DO UPDATE SET {changed} = EXCLUDED.{changed}, {due} = EXCLUDED.{due}"
)


def _sql(template: str) -> str:
    return template.format_map(_names())


@cache
def _names() -> dict[str, str]:
    """WorkbookChange's table and columns, as the model names them (workbook.sql)."""
    columns = {"jurisdiction": "jurisdiction", "changed": "changed_at", "due": "render_due_at"}
    return {
        "table": sql.table(WorkbookChange),
        **{key: sql.column(WorkbookChange, name) for key, name in columns.items()},
    }


def quiet_time() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.PRERENDER_QUIET_SECONDS)


@task(priority=BACKGROUND_PRIORITY)
def prerender_documents(jurisdiction_id: int) -> None:
    """Queue the renders of the drafts if the workbook has been quiet; else wait for it."""
    now = timezone.now()
    with connection.cursor() as cursor:
        # Taking the queued render and checking the quiet time is one statement, so a change
        # either lands before it (and the render waits) or finds no render queued (and queues
        # one): none is lost between the two.
        cursor.execute(_sql(TAKE_RENDER), [jurisdiction_id, now - quiet_time()])
        if cursor.fetchone() is None:
            _wait_for_quiet(cursor, jurisdiction_id)
            return
    jurisdiction = Jurisdiction.objects.select_related("workbook").get(pk=jurisdiction_id)
    content = content_version(jurisdiction)
    for kind, fmt in PRERENDERED:
        find_or_create_export(jurisdiction, kind, fmt, user=None, content=content, background=True)


def _wait_for_quiet(cursor, jurisdiction_id: int) -> None:
    """The workbook changed within the quiet time: run again once it has passed since then.

    Nothing to do if no render is queued any more (another task took it) or the jurisdiction
    is gone.
    """
    cursor.execute(_sql(WAIT_FOR_QUIET), [quiet_time(), jurisdiction_id])
    row = cursor.fetchone()
    if row is not None:
        prerender_documents.using(run_after=row[0]).enqueue(jurisdiction_id)


def schedule_prerender(jurisdiction: Jurisdiction) -> None:
    """Note the change; queue the drafts' render unless one is queued already.

    Only with a backend that can defer a task (the database worker): an inline backend would
    render during every save.
    """
    if not prerender_documents.get_backend().supports_defer:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        # The usual change, one of a burst: a render is queued already and will wait for this.
        cursor.execute(_sql(NOTE_CHANGE), [now, jurisdiction.pk, now - LOST_AFTER])
        if cursor.rowcount:
            return
        due = now + quiet_time()
        cursor.execute(_sql(QUEUE_RENDER), [jurisdiction.pk, now, due])
    # Two changes at once may both get here: their tasks find one render queued, and the
    # first to take it renders; the other then finds none and stops.
    prerender_documents.using(run_after=due).enqueue(jurisdiction.pk)


@receiver(workbook_changed, dispatch_uid="prerender_documents")
def _workbook_changed(sender, jurisdiction: Jurisdiction, **kwargs) -> None:
    schedule_prerender(jurisdiction)
