"""A jurisdiction's workbook as one request sees it."""

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404

from workbook import sql
from workbook.answers.actions import StoredAnswer
from workbook.answers.progress import count_progress
from workbook.answers.rules import (
    fingerprint,
    is_empty,
)
from workbook.content.cache import WorkbookContent, workbook_content
from workbook.models import Answer, Jurisdiction, Question, Section, SectionProgress


@dataclass
class WorkbookState:
    """A jurisdiction's workbook as one request sees it: its cached content, its answers in one
    query and, once something asks for them, the sections' progress in one more (a save that
    answers with a redirect or in JSON never does).

    The rows are kept as read (`answer_rows`, `progress_rows`): a page kept by what it is made
    from (workbook.kept) is looked up by them and never needs them as values or instances."""

    jurisdiction: Jurisdiction
    content: WorkbookContent
    sections: list[Section]
    questions: dict[int, list[Question]]
    # The jurisdiction's own answers as read, by id: (id, question id, value as JSON text).
    answer_rows: tuple[tuple[int, int, str], ...]
    # Each stored section progress as read, once something asks for it (`progress_rows`).
    _progress_rows: tuple[tuple, ...] | None = field(default=None, repr=False)
    # Sections saved by this request, and the answers it saved: a later read shows them as
    # this save left them.
    _saved: dict[int, SectionProgress] = field(default_factory=dict, repr=False)
    _saved_values: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, jurisdiction: Jurisdiction, *, with_progress: bool = False) -> "WorkbookState":
        """The answers, and with `with_progress` the sections' progress read with them in the
        same round trip (for a page that shows both)."""
        # Sections and questions are the workbook's cached content (read-only, no query).
        content = workbook_content(jurisdiction.workbook)
        sections = list(content.sections)
        questions = {pk: list(qs) for pk, qs in content.questions.items()}
        params = {"jurisdiction": jurisdiction.pk}
        if not with_progress:
            with connection.cursor() as cursor:
                cursor.execute(_answers_sql(), params)
                return cls(jurisdiction, content, sections, questions, tuple(cursor.fetchall()))
        answers, progress = sql.read_together((_answers_sql(), params), (_progress_sql(), params))
        return cls(jurisdiction, content, sections, questions, tuple(answers), tuple(progress))

    @cached_property
    def _stored(self) -> dict[str, tuple[int, str]]:
        """The answers as read, by question slug: (answer id, value as JSON text). Answers to
        retired questions are never shown and are left out (a filter on ids in SQL was
        slower); slugs come from the cached content, so the answers need no join."""
        slugs = self.content.question_slugs
        return {slugs[q]: (pk, value) for pk, q, value in self.answer_rows if q in slugs}

    @cached_property
    def values(self) -> dict[str, Any]:
        """The stored answers by question slug, as values, with this request's save."""
        values = {slug: _decoded(value) for slug, (_, value) in self._stored.items()}
        _with_saved(values, self._saved_values)
        return values

    @property
    def progress_rows(self) -> tuple[tuple, ...]:
        """Each stored section progress as read, with who approved and who reopened it."""
        if self._progress_rows is None:
            with connection.cursor() as cursor:
                cursor.execute(_progress_sql(), {"jurisdiction": self.jurisdiction.pk})
                self._progress_rows = tuple(cursor.fetchall())
        return self._progress_rows

    @cached_property
    def _read_progress(self) -> dict[int, SectionProgress]:
        read = {}
        for row in self.progress_rows:
            progress, approved_by, reopened_by = sql.instances(row, _progress_row())
            progress.approved_by, progress.reopened_by = approved_by, reopened_by
            progress.jurisdiction = self.jurisdiction
            read[progress.section_id] = progress
        return read

    @property
    def progress(self) -> dict[int, SectionProgress]:
        """Each section's progress by section id (sections never saved have none)."""
        return self._read_progress | self._saved if self._saved else self._read_progress

    def section(self, slug: str) -> Section:
        for section in self.sections:
            if section.slug == slug:
                return section
        raise Http404("No such section in this workbook.")

    def section_values(self, section: Section) -> dict[str, Any]:
        slugs = [q.slug for q in self.questions[section.pk]]
        if "values" in self.__dict__ or self._saved_values:
            return {slug: self.values[slug] for slug in slugs if slug in self.values}
        # Only this section's answers are decoded: its save needs no others.
        return {slug: _decoded(self._stored[slug][1]) for slug in slugs if slug in self._stored}

    def section_answers(self, section: Section) -> dict[str, StoredAnswer]:
        """The section's stored answers as read, for its save (`save_section`'s answers_read)."""
        return {
            slug: StoredAnswer(self._stored[slug][0], value)
            for slug, value in self.section_values(section).items()
        }

    def section_base(self, section: Section) -> dict[str, str]:
        """Fingerprints of every question's stored value, for a page built from them."""
        return {q.slug: fingerprint(self.values.get(q.slug)) for q in self.questions[section.pk]}

    def progress_of(self, section: Section) -> SectionProgress:
        return self.progress.get(section.pk) or SectionProgress(
            jurisdiction=self.jurisdiction, section=section
        )

    def record_save(self, section: Section, values: dict[str, Any], progress: SectionProgress):
        """Reflect a save in this request's view of the workbook (no need to read it again).

        The saved answers' rows are not known again: a request saves its section once."""
        for slug in values:
            self._stored.pop(slug, None)
        self._saved_values.update(values)
        if "values" in self.__dict__:
            _with_saved(self.values, values)
        self._saved[section.pk] = progress

    def required_counts(self) -> tuple[int, int]:
        """(answered, all) required questions that are currently shown, over the whole workbook."""
        # The required questions depend on the answers alone, not on the sections' statuses.
        counted = count_progress(self.sections, {}, self.questions, self.values)
        # Counted from the answers at hand, so both numbers are there.
        return counted.required_answered or 0, counted.required_total or 0


def _decoded(value: str) -> Any:
    """An answer's value as read (JSON text), as the ORM converts it."""
    return sql.converted(Answer, "value", value)


def _with_saved(values: dict[str, Any], saved: dict[str, Any]) -> None:
    """Answers as a save left them: an empty value is no answer."""
    for slug, value in saved.items():
        if is_empty(value):
            values.pop(slug, None)
        else:
            values[slug] = value


# The statements of the two reads of nearly every workbook page, written once per process
# (workbook.sql): the ORM took more Python to build them than PostgreSQL to run them.


@cache
def _answers_sql() -> str:
    """The jurisdiction's own answers (not a use case's): id, question and value."""
    columns = ", ".join(sql.column(Answer, name) for name in ("id", "question", "value"))
    return (
        f"SELECT {columns} FROM {sql.table(Answer)}"  # noqa: S608 - names are the model's, values parameters
        f" WHERE {sql.column(Answer, 'jurisdiction')} = %(jurisdiction)s"
        f" AND {sql.column(Answer, 'use_case')} IS NULL"
        # In one order, so that the same answers are the same rows (workbook.kept).
        f" ORDER BY {sql.column(Answer, 'id')}"
    )


@cache
def _progress_row() -> tuple[sql.Read, ...]:
    """The models of a progress row: the progress, who approved it and who reopened it, each
    person read only for their name (what the pages show of them, templatetags.team.person)."""
    person = sql.Only(get_user_model(), ("id", "username", "first_name", "last_name"))
    return (SectionProgress, person, person)


@cache
def _progress_sql() -> str:
    """Each stored section progress of the jurisdiction, with who approved and who reopened it."""
    user = get_user_model()
    selected = ", ".join(map(sql.select_list, _progress_row(), ("p", "a", "r")))
    return (
        f"SELECT {selected} FROM {sql.table(SectionProgress)} AS p"  # noqa: S608 - names are the models', values parameters
        f"{sql.join(user, 'a', SectionProgress, 'approved_by', 'p', how='LEFT')}"
        f"{sql.join(user, 'r', SectionProgress, 'reopened_by', 'p', how='LEFT')}"
        f" WHERE {sql.column(SectionProgress, 'jurisdiction', 'p')} = %(jurisdiction)s"
        f" ORDER BY {sql.column(SectionProgress, 'id', 'p')}"
    )
