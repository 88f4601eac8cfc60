"""Read-only access to one jurisdiction's answers, in a shape the pure code can use.

Everything the scores and documents need is loaded here in a handful of queries, so
composition and scoring never touch the database.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from strategy.models import ObligationEvidence
from workbook.answers import presenter
from workbook.answers.progress import summaries_for
from workbook.answers.rules import is_empty
from workbook.models import (
    Answer,
    Jurisdiction,
    Question,
    UseCase,
)


@dataclass
class WorkbookAnswers:
    """A jurisdiction's answers keyed by question slug, with the questions they answer."""

    questions: dict[str, Question]
    values: dict[str, Any]
    dimensions: list[dict[str, str]] = field(default_factory=list)

    def has(self, slug: str) -> bool:
        return not is_empty(self.values.get(slug))

    def raw(self, slug: str, default: Any = None) -> Any:
        value = self.values.get(slug)
        return default if is_empty(value) else value

    def text(self, slug: str) -> str:
        """The answer as a human reads it (see workbook.answers.presenter)."""
        question = self.questions.get(slug)
        return "" if question is None else presenter.answer_text(question, self.values.get(slug))

    def labels(self, slug: str) -> list[str]:
        """The chosen labels of a multiple-choice answer, the text typed under "Other" last."""
        question = self.questions.get(slug)
        return (
            []
            if question is None
            else presenter.answer_labels(question, self.values.get(slug), mark_other=False)
        )

    def money(self, slug: str) -> str:
        """A number answer read as an amount of money."""
        return presenter.money_text(self.raw(slug)) if self.has(slug) else ""

    def selected(self, slug: str) -> set[str]:
        value = self.raw(slug)
        return set(value.get("selected", [])) if isinstance(value, dict) else set()

    def yes(self, slug: str) -> bool | None:
        value = self.raw(slug)
        return value if isinstance(value, bool) else None

    def rows(self, slug: str) -> list[dict[str, Any]]:
        return presenter.table_rows(self.raw(slug))

    def columns(self, slug: str) -> list[dict[str, Any]]:
        question = self.questions.get(slug)
        return presenter.table_columns(question) if question else []

    def cell(self, slug: str, column: str, row: dict[str, Any]) -> str:
        """One table cell as text, read by its column's type."""
        spec = next((c for c in self.columns(slug) if c["slug"] == column), None)
        return "" if spec is None else presenter.cell_text(spec, row.get(column))

    def by_role(self, role: str) -> list[Question]:
        return [q for q in self.questions.values() if (q.scoring or {}).get("role") == role]


@dataclass
class ScreenedUseCase:
    use_case: UseCase
    values: dict[str, Any]


def load_answers(jurisdiction: Jurisdiction) -> WorkbookAnswers:
    """The jurisdiction's own (not per-use-case) answers to the active questions."""
    questions = {
        q.slug: q
        for q in Question.active.filter(
            workbook=jurisdiction.workbook_id, section__retired_at__isnull=True
        ).select_related("section")
    }
    values = dict(
        Answer.objects.filter(jurisdiction=jurisdiction, use_case__isnull=True).values_list(
            "question__slug", "value"
        )
    )
    return WorkbookAnswers(
        questions=questions,
        values={slug: v for slug, v in values.items() if slug in questions},
        dimensions=list(jurisdiction.workbook.dimensions),
    )


def load_use_cases(jurisdiction: Jurisdiction) -> list[ScreenedUseCase]:
    """Every use case of the register with its screening answers, approvals and obligation
    evidence, in four queries."""
    use_cases = list(
        UseCase.objects.filter(jurisdiction=jurisdiction)
        .order_by("name")
        .prefetch_related(
            "approvals",
            Prefetch("evidence", ObligationEvidence.objects.select_related("recorded_by")),
        )
    )
    values: dict[int, dict[str, Any]] = {u.pk: {} for u in use_cases}
    for use_case_id, slug, value in Answer.objects.filter(
        jurisdiction=jurisdiction, use_case__in=use_cases
    ).values_list("use_case_id", "question__slug", "value"):
        values[use_case_id][slug] = value
    return [ScreenedUseCase(u, values[u.pk]) for u in use_cases]


def all_sections_approved(jurisdiction: Jurisdiction) -> bool:
    """Final (not draft) once every section of the main workbook is approved."""
    return summaries_for([jurisdiction])[jurisdiction.pk].all_approved
