"""What a facilitator reads about one jurisdiction: answers by section, who changed them, diffs.

Read-only shaping of data for the admin's jurisdiction page; nothing here writes.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from workbook.answers.presenter import answer_text, value_view
from workbook.content.cache import workbook_content
from workbook.models import Answer, Comment, Jurisdiction, Question, Section


@dataclass
class Version:
    """One saved state of an answer, with what changed against the state before it."""

    when: datetime
    who: str
    kind: str  # "created", "changed", "cleared"
    changes: list[tuple[str, str]]  # (op, text): op is "equal", "insert" or "delete"


@dataclass
class AnswerRow:
    question: Question
    use_case: str
    display: str
    view: dict  # presenter.value_view: a table answer is shown as a table
    updated_by: str
    updated_at: datetime | None
    versions: list[Version] = field(default_factory=list)


@dataclass
class SectionGroup:
    section: Section
    rows: list[AnswerRow]
    open_comments: list[Comment]
    # As the team's pages number it; None for the sections answered per use case, which the
    # team's step list does not number either.
    number: int | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.section.title}" if self.number else self.section.title


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences between two readings of an answer, for <del>/<ins> markup."""
    # Any white space separates words: a table's text has a line per row.
    before, after = old.split(), new.split()
    tokens: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            tokens.append(("equal", " ".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            tokens.append(("delete", " ".join(before[i1:i2])))
        if op in ("insert", "replace"):
            tokens.append(("insert", " ".join(after[j1:j2])))
    return tokens


def _versions(question: Question, records) -> list[Version]:
    versions, previous = [], ""
    for record in records:
        who = record.history_user.get_username() if record.history_user else "unknown"
        if record.history_type == "-":
            versions.append(Version(record.history_date, who, "cleared", [("delete", previous)]))
            previous = ""
            continue
        current = answer_text(question, record.value)
        kind = "created" if record.history_type == "+" or not previous else "changed"
        versions.append(Version(record.history_date, who, kind, word_diff(previous, current)))
        previous = current
    return list(reversed(versions))  # newest first


def answers_for_review(jurisdiction: Jurisdiction) -> list[SectionGroup]:
    """Every section in workbook order with its answers, their history and open comments."""
    sections = list(Section.active.filter(workbook=jurisdiction.workbook_id).order_by("position"))
    answers = (
        Answer.objects.filter(jurisdiction=jurisdiction)
        .select_related("question", "use_case", "updated_by")
        .order_by("question__position", "use_case__name")
    )
    history = defaultdict(list)
    records = (
        Answer.history.filter(jurisdiction_id=jurisdiction.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        history[(record.question_id, record.use_case_id)].append(record)
    comments = defaultdict(list)
    for comment in Comment.objects.filter(
        jurisdiction=jurisdiction, parent__isnull=True, resolved_at__isnull=True
    ).select_related("author", "question"):
        comments[comment.section_id].append(comment)

    rows = defaultdict(list)
    for answer in answers:
        question = answer.question
        rows[question.section_id].append(
            AnswerRow(
                question=question,
                use_case=answer.use_case.name if answer.use_case else "",
                display=answer_text(question, answer.value),
                view=value_view(question, answer.value),
                updated_by=answer.updated_by.get_username() if answer.updated_by else "",
                updated_at=answer.updated_at,
                versions=_versions(question, history[(question.pk, answer.use_case_id)]),
            )
        )
    numbers = section_numbers(jurisdiction)
    return [SectionGroup(s, rows[s.pk], comments[s.pk], numbers.get(s.pk)) for s in sections]


def section_numbers(jurisdiction: Jurisdiction) -> dict[int, int]:
    """Section pk → the number the team's step list and overview give it."""
    return {s.pk: s.number for s in workbook_content(jurisdiction.workbook).sections}
