"""Read-only access to one jurisdiction's answers, in a shape the pure code can use.

Everything the scores and documents need is loaded here in a handful of queries, so
composition and scoring never touch the database.
"""

from dataclasses import dataclass, field
from typing import Any

from workbook.answers.presenter import display_value
from workbook.answers.progress import workbook_sections
from workbook.answers.rules import is_empty
from workbook.models import (
    Answer,
    Jurisdiction,
    Question,
    SectionProgress,
    SectionStatus,
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
        """The answer as a human reads it: option labels, "Yes"/"No", the text itself."""
        question = self.questions.get(slug)
        if question is None or not self.has(slug):
            return ""
        return display_value(question, self.values[slug])

    def labels(self, slug: str) -> list[str]:
        """The chosen labels of a multiple-choice answer, "other" text last."""
        value = self.raw(slug)
        question = self.questions.get(slug)
        if not isinstance(value, dict) or question is None:
            return []
        labels = {o["value"]: o["label"] for o in question.options}
        chosen = [labels.get(v, v) for v in value.get("selected", []) if v != "other"]
        other = str(value.get("other", "")).strip()
        if other:
            chosen.append(other)
        return chosen

    def selected(self, slug: str) -> set[str]:
        value = self.raw(slug)
        return set(value.get("selected", [])) if isinstance(value, dict) else set()

    def yes(self, slug: str) -> bool | None:
        value = self.raw(slug)
        return value if isinstance(value, bool) else None

    def rows(self, slug: str) -> list[dict[str, Any]]:
        value = self.raw(slug)
        return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []

    def columns(self, slug: str) -> list[dict[str, Any]]:
        question = self.questions.get(slug)
        return list(question.config.get("columns", [])) if question else []

    def cell(self, slug: str, column: str, row: dict[str, Any]) -> str:
        """One table cell as text: option labels for choice columns, Yes/No for yes/no."""
        value = row.get(column)
        if is_empty(value):
            return ""
        spec = next((c for c in self.columns(slug) if c["slug"] == column), {})
        if spec.get("type") == "yes_no":
            return "Yes" if value else "No"
        if spec.get("type") == "single_choice":
            labels = {str(o["value"]): o["label"] for o in spec.get("options", [])}
            return labels.get(str(value), str(value))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

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
    """Every use case of the register with its screening answers, in two queries."""
    use_cases = list(UseCase.objects.filter(jurisdiction=jurisdiction).order_by("name"))
    values: dict[int, dict[str, Any]] = {u.pk: {} for u in use_cases}
    for use_case_id, slug, value in Answer.objects.filter(
        jurisdiction=jurisdiction, use_case__in=use_cases
    ).values_list("use_case_id", "question__slug", "value"):
        values[use_case_id][slug] = value
    return [ScreenedUseCase(u, values[u.pk]) for u in use_cases]


def all_sections_approved(jurisdiction: Jurisdiction) -> bool:
    """Final (not draft) once every active jurisdiction-scope section is approved."""
    sections = workbook_sections(jurisdiction.workbook)
    approved = SectionProgress.objects.filter(
        jurisdiction=jurisdiction, section__in=sections, status=SectionStatus.APPROVED
    ).count()
    return bool(sections) and approved == len(sections)
