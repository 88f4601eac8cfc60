"""How many comments are open, and how many are new to this person, per jurisdiction and section.

Read-only. "New" means written by someone else since this person's previous sign-in (the
audit log's sign-ins), so that no page has to write down who looked at what: a GET never
changes anything.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from workbook import sql
from workbook.models import AuditEvent, AuditKind, Comment


@dataclass
class CommentCounts:
    open: int = 0  # open threads
    new: int = 0  # comments and replies by others since the previous visit
    by_section: dict[int, "CommentCounts"] = field(default_factory=dict)


# Per jurisdiction and section: (jurisdiction id, section id, open threads, new comments).
CountRow = tuple[int, int, int, int]


def comment_count_rows(user, jurisdiction_ids: Iterable[int]) -> tuple[CountRow, ...]:
    """The counts as read, by jurisdiction and section: one query whatever the number of
    jurisdictions and sections (none for no jurisdiction)."""
    ids = list(jurisdiction_ids)
    if not ids:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            _counts_sql(), {"ids": ids, "user": user.pk, "signed_in": AuditKind.SIGNED_IN.value}
        )
        return tuple(cursor.fetchall())


def comment_counts(
    user, jurisdiction_ids: Iterable[int], rows: tuple[CountRow, ...] | None = None
) -> dict[int, CommentCounts]:
    """Open threads and new comments of each jurisdiction, in total and by section (from their
    `comment_count_rows` when the caller has read them)."""
    ids = list(jurisdiction_ids)
    counts: dict[int, CommentCounts] = defaultdict(CommentCounts)
    if rows is None:
        rows = comment_count_rows(user, ids)
    for jurisdiction_id, section_id, open_threads, new in rows:
        total = counts[jurisdiction_id]
        total.open += open_threads
        total.new += new
        total.by_section[section_id] = CommentCounts(open=open_threads, new=new)
    return {pk: counts[pk] for pk in ids}


@cache
def _counts_sql() -> str:
    """The counts' query, written once per process: nearly every page of a workbook shows the
    counts, and the ORM took ~3,500 Python calls a request to build this one statement.

    The previous visit is the sign-in before the current session's (NULL on a first visit,
    which then marks nothing new: there is no earlier visit to compare with). A comment whose
    author was deleted is someone else's.
    """

    def column(model, name: str) -> str:
        # Qualified: the subquery of the previous visit has a created_at of its own.
        return sql.column(model, name, sql.table(model))

    jurisdiction, section = column(Comment, "jurisdiction"), column(Comment, "section")
    previous_visit = (
        f"SELECT {column(AuditEvent, 'created_at')} FROM {sql.table(AuditEvent)}"  # noqa: S608 - as below
        f" WHERE {column(AuditEvent, 'kind')} = %(signed_in)s"
        f" AND {column(AuditEvent, 'user')} = %(user)s"
        f" ORDER BY {column(AuditEvent, 'created_at')} DESC LIMIT 1 OFFSET 1"
    )
    return (
        f"SELECT {jurisdiction}, {section},"  # noqa: S608 - names are the models', values parameters
        f" COUNT(*) FILTER (WHERE {column(Comment, 'parent')} IS NULL"
        f" AND {column(Comment, 'resolved_at')} IS NULL),"
        f" COUNT(*) FILTER (WHERE {column(Comment, 'created_at')} > ({previous_visit})"
        f" AND {column(Comment, 'author')} IS DISTINCT FROM %(user)s)"
        f" FROM {sql.table(Comment)}"
        f" WHERE {jurisdiction} = ANY(%(ids)s::bigint[])"
        # In one order, so that the same counts are the same rows (workbook.kept).
        f" GROUP BY 1, 2 ORDER BY 1, 2"
    )
