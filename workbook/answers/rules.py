"""Rules about answer values: emptiness, `show_if` conditions, section completeness, and
merging one person's save with saves made since their page was loaded."""

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbook.models import Question


def is_empty(value: Any) -> bool:
    """An answer with nothing in it; such answers are not stored."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):  # multiple choice: {"selected": [...], "other": "..."}
        return not value.get("selected") and not str(value.get("other", "")).strip()
    return False


def condition_met(show_if: Mapping | None, answers: Mapping[str, Any]) -> bool:
    """Whether a question with this `show_if` is shown, given answers keyed by question slug."""
    if not show_if:
        return True
    value = answers.get(show_if["question"])
    if isinstance(value, dict):  # multiple choice matches when a wanted value is selected
        chosen = set(value.get("selected", []))
    elif value is None:
        chosen = set()
    else:
        chosen = {value}
    wanted = show_if["in"] if "in" in show_if else [show_if["equals"]]
    return any(_same(w, c) for w in wanted for c in chosen)


def _same(wanted: Any, chosen: Any) -> bool:
    # Booleans must not match 1/0, and "3" from a form matches 3 from the file.
    if isinstance(wanted, bool) or isinstance(chosen, bool):
        return wanted is chosen
    return str(wanted) == str(chosen)


def visible_questions(questions: Iterable[Question], answers: Mapping[str, Any]) -> list[Question]:
    return [q for q in questions if condition_met(q.show_if, answers)]


def missing_columns(question: Question, row: Mapping[str, Any]) -> list[dict]:
    """The required columns of a table question that this row leaves empty."""
    return [
        column
        for column in question.config.get("columns", [])
        if column.get("required") and is_empty(row.get(column["slug"]))
    ]


def is_answered(question: Question, value: Any) -> bool:
    """Whether a value answers the question: not empty, and for a table every row has its
    required columns (a team member without a name is not a team member yet)."""
    if is_empty(value):
        return False
    if isinstance(value, list):
        return not any(
            isinstance(row, dict) and row and missing_columns(question, row) for row in value
        )
    return True


def missing_required(questions: Iterable[Question], answers: Mapping[str, Any]) -> list[Question]:
    """Shown questions that keep a section from being complete: required ones not answered,
    and any table, required or not, with a row that lacks a required column."""
    missing = []
    for q in visible_questions(questions, answers):
        value = answers.get(q.slug)
        if (q.required or not is_empty(value)) and not is_answered(q, value):
            missing.append(q)
    return missing


def is_complete(questions: Iterable[Question], answers: Mapping[str, Any]) -> bool:
    return not missing_required(questions, answers)


def fingerprint(value: Any) -> str:
    """A short digest of a stored value; every empty value has the same one."""
    canonical = json.dumps(
        None if is_empty(value) else value, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def values_key(values: Mapping[str, Any]) -> str:
    """The answers as one canonical string: markup made from them is kept under it."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)


def fingerprints(values: Mapping[str, Any]) -> dict[str, str]:
    return {slug: fingerprint(value) for slug, value in values.items()}


@dataclass
class Merge:
    """What a save may write, and the questions two people changed differently."""

    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def merge_changes(
    mine: Mapping[str, Any],
    base: Mapping[str, str],
    current: Mapping[str, Any],
    undecided: Collection[str] = (),
) -> Merge:
    """A three-way merge of one section: `mine` (what this person submits), `base` (fingerprints
    of the values their page was built from) and `current` (what is stored now).

    A question this person left as it was is not written, so a newer save of it stands; one only
    they changed is written; one both changed, to different values, is a conflict for them to
    decide. A question missing from `base` counts as changed by both (nothing is assumed), and
    `undecided` questions are conflicts until the person chooses.
    """
    merge = Merge(conflicts=[slug for slug in mine if slug in undecided])
    for slug, value in edited(mine, base).items():
        if slug in undecided:
            continue
        if fingerprint(current.get(slug)) in (base.get(slug), fingerprint(value)):
            merge.apply[slug] = value
        else:
            merge.conflicts.append(slug)
    return merge


def edited(mine: Mapping[str, Any], base: Mapping[str, str] | None) -> dict[str, Any]:
    """The values of `mine` that differ from the page's `base` (all of them without one)."""
    if base is None:
        return dict(mine)
    return {slug: value for slug, value in mine.items() if fingerprint(value) != base.get(slug)}
