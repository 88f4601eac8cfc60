"""A workbook's sections and questions, read once per process and edition of the content.

Sections and questions change only when `load_workbook` runs, and every load bumps
`Workbook.loaded_at` (auto_now, saved even when the file did not change). So the content is kept
per process under (workbook id, loaded_at): the workbook row comes with the membership or
jurisdiction a page reads anyway, so checking that the copy is current costs no query, and a
reload is seen on the next request by every process without any signal between them.

The objects handed out are shared between requests: callers must treat them as read-only.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.shortcuts import get_object_or_404

from workbook.kept import Kept
from workbook.models import Question, Section, Workbook
from workbook.wizard.forms import SectionForm, section_form_class

# Markup kept per edition and process: a section page's questions, its body or the whole page
# are up to ~115 KB each, so the store holds at most ~15 MB (decisions 19 and 22).
KEPT_MARKUP = 128


@dataclass(frozen=True)
class WorkbookContent:
    """The sections a team works through, in order and numbered, and their active questions."""

    sections: tuple[Section, ...]
    questions: dict[int, tuple[Question, ...]]
    _form_classes: dict[int, type[SectionForm]] = field(default_factory=dict, compare=False)
    # Markup made from these questions and a section's answers, keyed by what it was made from
    # (workbook.kept): a reload of the content drops it with the rest.
    markup: Kept[Any] = field(default_factory=lambda: Kept(KEPT_MARKUP), compare=False)

    @cached_property
    def question_slugs(self) -> dict[int, str]:
        """Each active question's slug by its id."""
        return {q.pk: q.slug for questions in self.questions.values() for q in questions}

    def form_class(self, section: Section) -> type[SectionForm]:
        """The section's form class, built on first use: it depends on the questions only."""
        form_class = self._form_classes.get(section.pk)
        if form_class is None:
            form_class = section_form_class(self.questions[section.pk])
            self._form_classes[section.pk] = form_class
        return form_class


# workbook id -> (loaded_at, content). One entry per workbook: an older edition is replaced.
_content: dict[int, tuple[datetime, WorkbookContent]] = {}


def workbook_content(workbook: Workbook) -> WorkbookContent:
    """This edition of the workbook's content: two queries the first time, none after."""
    cached = _content.get(workbook.pk)
    if cached is not None and cached[0] == workbook.loaded_at:
        return cached[1]
    content = _read(workbook)
    _content[workbook.pk] = (workbook.loaded_at, content)
    return content


def _read(workbook: Workbook) -> WorkbookContent:
    sections = tuple(
        Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION).order_by(
            "position"
        )
    )
    by_pk = {}
    for number, section in enumerate(sections, start=1):
        # What the team sees in the step list, headings, overview and review; not `position`,
        # which also counts the sections answered per use case and would leave gaps.
        section.number = number
        by_pk[section.pk] = section
    questions: dict[int, list[Question]] = {pk: [] for pk in by_pk}
    for question in Question.active.filter(section__in=sections).order_by("position"):
        # Point at the shared section so that `question.section` never queries.
        question.section = by_pk[question.section_id]
        questions[question.section_id].append(question)
    return WorkbookContent(
        sections=sections, questions={pk: tuple(qs) for pk, qs in questions.items()}
    )


def section_or_404(membership, section_slug: str) -> Section:
    """A section of the member's workbook by slug, or 404."""
    return get_object_or_404(
        Section.active, workbook=membership.jurisdiction.workbook_id, slug=section_slug
    )
