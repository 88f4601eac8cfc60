"""Clause lookup: the policy sentence the content file gives each option, yes, no or scale point.

The composer never writes an answer's label into a document; it asks here for the clause the
answer stands for, with its placeholders filled (see workbook.content.clauses).
"""

from typing import Any

from workbook.models import FieldType, Question


def clause_template(question: Question, value: Any) -> str | None:
    """The clause a single answer (choice, yes/no or scale point) stands for, unfilled."""
    match question.field_type:
        case FieldType.YES_NO if isinstance(value, bool):
            return (question.config.get("clauses") or {}).get("yes" if value else "no")
        case FieldType.SINGLE_CHOICE:
            return _option_clause(question.options, value)
        case FieldType.SCALE:
            return _option_clause(question.config.get("points") or [], value)
    return None


def option_templates(question: Question, value: Any) -> list[str]:
    """The clauses of a multiple-choice answer's options, in the content's order."""
    selected = set(value.get("selected", [])) if isinstance(value, dict) else set()
    return [o["clause"] for o in question.options if o["value"] in selected and o.get("clause")]


def _option_clause(options: list[dict], value: Any) -> str | None:
    for option in options:
        if str(option.get("value")) == str(value):
            return option.get("clause")
    return None
