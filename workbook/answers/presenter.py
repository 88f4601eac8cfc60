"""How a stored answer reads: as text, as a table's headers and rows, as labels.

The one place that turns stored values into what people read, for pages, the admin, CSV files
and documents alike.
"""

from collections.abc import Mapping
from typing import Any

from workbook.answers.rules import is_empty
from workbook.models import FieldType, Question


def display_value(question: Question, value: Any) -> str:
    """A one-line, human reading of a stored value (labels, not keys)."""
    if is_empty(value):
        return ""
    labels = {o["value"]: o["label"] for o in question.options}
    match question.field_type:
        case FieldType.SINGLE_CHOICE:
            return labels.get(str(value), str(value))
        case FieldType.MULTIPLE_CHOICE:
            parts = [labels.get(v, v) for v in value.get("selected", []) if v != "other"]
            if str(value.get("other", "")).strip():
                parts.append(f"Other: {value['other'].strip()}")
            return "; ".join(parts)
        case FieldType.YES_NO:
            return "Yes" if value else "No"
        case FieldType.SCALE:
            points = {p["value"]: p["label"] for p in question.config.get("points", [])}
            return f"{value} – {points.get(value, '')}".rstrip(" –")
        case FieldType.TABLE:
            return f"{len(value)} row{'s' if len(value) != 1 else ''}"
        case _:
            return str(value)


def display_table(question: Question, value: Any) -> tuple[list[str], list[list[str]]]:
    """Column labels and each row's cells, human-readable, for a table answer."""
    columns = question.config.get("columns", [])
    rows = value if isinstance(value, list) else []
    return (
        [c["label"] for c in columns],
        [[_display_cell(c, row.get(c["slug"])) for c in columns] for row in rows],
    )


def _display_cell(column: Mapping, value: Any) -> str:
    if value is None or value == "":
        return ""
    if column["type"] == FieldType.YES_NO:
        return "Yes" if value else "No"
    if column["type"] == FieldType.SINGLE_CHOICE:
        labels = {o["value"]: o["label"] for o in column.get("options", [])}
        return labels.get(str(value), str(value))
    return str(value)


def value_view(question: Question, value: Any) -> dict[str, Any]:
    """A stored value ready for a template: text, or a table's headers and rows."""
    if question.field_type == FieldType.TABLE and not is_empty(value):
        headers, rows = display_table(question, value)
        return {"table": True, "headers": headers, "rows": rows, "empty": False}
    return {"table": False, "text": display_value(question, value), "empty": is_empty(value)}
