"""How far a jurisdiction's workbook is, counted one way for every page.

`count_progress` is the one count. It reads the sections a team works through (the workbook's
cached content: active, answered once per jurisdiction), each section's stored status and, when
the answers are at hand, the required questions that are shown and answered. The dashboard
(`summaries_for`), the wizard's progress bar and review page (`WorkbookState.required_counts`),
the documents (draft until every section is approved) and the admin all read its `Progress`.
The admin's list filters and sorts hundreds of jurisdictions in SQL, so `annotate_progress` is
the same count as SQL columns, from which `annotated_progress` gives the same `Progress`.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from workbook import sql
from workbook.answers.rules import is_answered, visible_questions
from workbook.content.cache import workbook_content
from workbook.models import Question, Section, SectionProgress, SectionStatus

DONE_STATUSES = (SectionStatus.COMPLETE, SectionStatus.APPROVED)


@dataclass(frozen=True)
class Progress:
    """Sections of the main workbook by status; required questions when the answers were read."""

    total: int
    started_count: int
    complete_count: int  # complete or approved
    approved_count: int
    required_total: int | None = None
    required_answered: int | None = None

    @property
    def percent(self) -> int:
        """Sections complete (or approved), in percent of all."""
        return round(100 * self.complete_count / self.total) if self.total else 0

    @property
    def all_approved(self) -> bool:
        """Every section approved: the documents are final, no longer drafts."""
        return bool(self.total) and self.approved_count == self.total


def count_progress(
    sections: Sequence[Section],
    statuses: Mapping[int, str],
    questions: Mapping[int, Sequence[Question]] | None = None,
    values: Mapping[str, Any] | None = None,
) -> Progress:
    """The one count: `statuses` by section id (a section without one has not started), and,
    with `questions` by section id and `values` by question slug, the required questions."""
    counted = [statuses.get(s.pk, SectionStatus.NOT_STARTED) for s in sections]
    required = answered = None
    if questions is not None and values is not None:
        # A `show_if` names a question of the same section, and slugs are unique: the
        # workbook's values decide it as the section's own would.
        shown = [
            q for s in sections for q in visible_questions(questions[s.pk], values) if q.required
        ]
        required = len(shown)
        answered = sum(1 for q in shown if is_answered(q, values.get(q.slug)))
    return Progress(
        total=len(sections),
        started_count=sum(1 for s in counted if s != SectionStatus.NOT_STARTED),
        complete_count=sum(1 for s in counted if s in DONE_STATUSES),
        approved_count=sum(1 for s in counted if s == SectionStatus.APPROVED),
        required_total=required,
        required_answered=answered,
    )


# One stored section progress: (jurisdiction id, section id, status, assignee id, due date).
ProgressRow = tuple[int, int, str, int | None, datetime.date | None]


def progress_rows(jurisdictions: Iterable) -> tuple[ProgressRow, ...]:
    """Every stored section progress of these jurisdictions, in one query whatever their number:
    what `summaries_for` counts and what the dashboard lists as assigned (plain rows, since
    building a model instance per section would cost more than the query)."""
    ids = [j.pk for j in jurisdictions]
    if not ids:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(_progress_rows_sql(), {"ids": ids})
        return tuple(cursor.fetchall())


@cache
def _progress_rows_sql() -> str:
    """`progress_rows`' statement, written once per process (workbook.sql): the dashboard reads
    it on every request, and the ORM took more Python to build it than PostgreSQL to run it."""
    columns = ", ".join(
        sql.column(SectionProgress, name)
        for name in ("jurisdiction", "section", "status", "assignee", "due_date")
    )
    return (
        f"SELECT {columns} FROM {sql.table(SectionProgress)}"  # noqa: S608 - names are the model's, values parameters
        f" WHERE {sql.column(SectionProgress, 'jurisdiction')} = ANY(%(ids)s::bigint[])"
        # In one order, so that the same progress is the same rows (workbook.kept).
        f" ORDER BY {sql.column(SectionProgress, 'id')}"
    )


def summaries_for(
    jurisdictions: Iterable, rows: Iterable[ProgressRow] | None = None
) -> dict[int, Progress]:
    """The progress of each jurisdiction, in one query whatever their number (none when the
    caller read their `progress_rows` already).

    Pass jurisdictions with their workbook already read (`select_related`): the sections come
    from the workbook's cached content.
    """
    jurisdictions = list(jurisdictions)
    statuses: dict[int, dict[int, str]] = {j.pk: {} for j in jurisdictions}
    for jurisdiction_id, section_id, status, *_ in (
        progress_rows(jurisdictions) if rows is None else rows
    ):
        statuses[jurisdiction_id][section_id] = status
    return {
        j.pk: count_progress(workbook_sections(j.workbook), statuses[j.pk]) for j in jurisdictions
    }


def annotate_progress(queryset):
    """Jurisdictions with `count_progress`'s section counts as SQL columns: sections_total,
    sections_started, sections_done (complete or approved) and sections_approved."""
    counted = SectionProgress.objects.filter(
        jurisdiction=OuterRef("pk"),
        section__retired_at__isnull=True,
        section__scope=Section.Scope.JURISDICTION,
    )
    total = Section.active.filter(workbook=OuterRef("workbook"), scope=Section.Scope.JURISDICTION)
    return queryset.annotate(
        sections_total=_count(total, "workbook"),
        sections_started=_count(counted.exclude(status=SectionStatus.NOT_STARTED)),
        sections_done=_count(counted.filter(status__in=DONE_STATUSES)),
        sections_approved=_count(counted.filter(status=SectionStatus.APPROVED)),
    )


def annotated_progress(jurisdiction) -> Progress:
    """The `Progress` of a jurisdiction read through `annotate_progress`."""
    return Progress(
        total=jurisdiction.sections_total,
        started_count=jurisdiction.sections_started,
        complete_count=jurisdiction.sections_done,
        approved_count=jurisdiction.sections_approved,
    )


def _count(queryset, group_by: str = "jurisdiction") -> Coalesce:
    """A correlated COUNT(*) subquery (one per column, never one query per row)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def workbook_sections(workbook) -> list[Section]:
    """The sections a team works through in the main workbook, in order, each with its `number`.

    `number` (1, 2, 3, ...) is what the team sees in the step list, headings, overview and review.
    The sections are shared between requests (see workbook.content.cache): read-only.
    """
    return list(workbook_content(workbook).sections)


def section_rows(jurisdiction) -> list[tuple[Section, SectionProgress]]:
    """Each workbook section with this jurisdiction's progress (unsaved default if none)."""
    sections = workbook_sections(jurisdiction.workbook)
    progress = {
        p.section_id: p
        for p in SectionProgress.objects.filter(jurisdiction=jurisdiction).select_related(
            "assignee", "approved_by"
        )
    }
    return [
        (s, progress.get(s.pk) or SectionProgress(jurisdiction=jurisdiction, section=s))
        for s in sections
    ]
