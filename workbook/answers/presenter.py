"""How a stored answer reads: as text, as a table's headers and rows, as a list of labels.

The one place that turns stored values into what people read, for the wizard's review and
conflict pages, the admin's review and CSV, the action plan and the documents alike. Callers
never format a value themselves: they ask this module for the shape they need.

One rule per type, the same for a question and for a table column of that type:

| type            | stored                              | reads                                    |
|-----------------|-------------------------------------|------------------------------------------|
| short_text,     | "Ana Lopez"                         | the text as typed: "Ana Lopez"           |
| long_text       |                                     |                                          |
| number          | 185000, 2.5, 12.0                   | "185,000", "2.5", "12": thousands        |
|                 |                                     | separators, no trailing zeros            |
| number with     | 185000, 2.5                         | "$185,000", "$2.50": whole dollars bare, |
| `currency: true`|                                     | cents when there are any                 |
| date            | "2027-01-04"                        | "January 4, 2027", as every other date   |
|                 |                                     | of the product reads (a document's date, |
|                 |                                     | a section's due date)                    |
| yes_no          | true / false                        | "Yes" / "No"                             |
| single_choice   | "legal"                             | the option's label: "Legal"              |
| multiple_choice | {"selected": [...], "other": "…"}   | the chosen options' labels in the order  |
|                 |                                     | chosen, then "Other: …", joined by "; "  |
| scale           | 3                                   | "3 – Defined" (the point's label)        |
| table           | [{column: value}, ...]              | each cell by its column's type, as above |
|                 |                                     | (a number column may say `currency`)     |

A value the content no longer explains (an option since removed, a date that is not one) reads
as stored, and an empty answer reads "".

The shapes callers ask for:
- `answer_text`: one string (the review and conflict pages, the admin, CSV files, sentences of
  the documents). A table is one line per row, "Label: cell; Label: cell", empty cells left out.
- `answer_labels`: a list (a document's bullet list): each chosen option, or each table row.
- `table_cells`, `cell_text`: a table's headers and cells, or one cell (pages, documents, the
  action plan and its CSV file).
- `value_view`: what the `answer_value` template tag renders.
- `money_text`: a number as an amount of money, for a sentence about one.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from workbook.answers.rules import is_empty
from workbook.models import FieldType, Question

LIST_SEPARATOR = "; "


def answer_text(question: Question, value: Any) -> str:
    """The whole answer as one string."""
    separator = "\n" if question.field_type == FieldType.TABLE else LIST_SEPARATOR
    return separator.join(answer_labels(question, value))


def answer_labels(question: Question, value: Any, *, mark_other: bool = True) -> list[str]:
    """The answer as a list: each chosen option of a multiple choice ("Other: …" last), each
    row of a table, else the answer's text alone; [] when empty.

    A document's bullet list passes `mark_other=False`: there the text typed under "Other" is
    an item like the rest, not a form's field.
    """
    if is_empty(value):
        return []
    if question.field_type == FieldType.MULTIPLE_CHOICE:
        return _choices(question.options, value, mark_other=mark_other)
    if question.field_type == FieldType.TABLE:
        columns = table_columns(question)
        lines = (
            LIST_SEPARATOR.join(
                f"{column['label']}: {text}"
                for column, text in zip(columns, row_cells(columns, row), strict=True)
                if text
            )
            for row in table_rows(value)
        )
        return [line for line in lines if line]
    return [_scalar(question.field_type, value, question.options, question.config)]


def cell_text(column: Mapping, value: Any) -> str:
    """One table cell, read by its column's type."""
    if is_empty(value):
        return ""
    return _scalar(column["type"], value, column.get("options", []), column)


def table_columns(question: Question) -> list[dict]:
    return list(question.config.get("columns", []))


def table_rows(value: Any) -> list[dict]:
    """The rows of a stored table answer (nothing for any other value)."""
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def row_cells(columns: Iterable[Mapping], row: Mapping) -> list[str]:
    return [cell_text(column, row.get(column["slug"])) for column in columns]


def table_cells(question: Question, value: Any) -> tuple[list[str], list[list[str]]]:
    """A table answer's column labels and each row's cells."""
    columns = table_columns(question)
    return [c["label"] for c in columns], [row_cells(columns, r) for r in table_rows(value)]


def value_view(question: Question, value: Any) -> dict[str, Any]:
    """A stored value ready for a template: text, or a table's headers and rows."""
    if question.field_type == FieldType.TABLE and not is_empty(value):
        headers, rows = table_cells(question, value)
        return {"table": True, "headers": headers, "rows": rows, "empty": False}
    return {"table": False, "text": answer_text(question, value), "empty": is_empty(value)}


def money_text(value: Any) -> str:
    """A number read as an amount of money, for a sentence that speaks of one."""
    return _number(value, currency=True)


def _scalar(field_type: str, value: Any, options: list[dict], config: Mapping) -> str:
    match field_type:
        case FieldType.SINGLE_CHOICE:
            return _label(options, value)
        case FieldType.YES_NO:
            return "Yes" if value else "No"
        case FieldType.NUMBER:
            return _number(value, currency=bool(config.get("currency")))
        case FieldType.DATE:
            return _date(value)
        case FieldType.SCALE:
            points = {p["value"]: p["label"] for p in config.get("points", [])}
            return f"{value} – {points[value]}" if value in points else str(value)
    return str(value)


def _label(options: list[dict], value: Any) -> str:
    return next((o["label"] for o in options if o["value"] == str(value)), str(value))


def _choices(options: list[dict], value: Mapping, *, mark_other: bool = True) -> list[str]:
    labels = [_label(options, v) for v in value.get("selected", [])]
    other = str(value.get("other", "")).strip()
    if not other:
        return labels
    return [*labels, f"Other: {other}" if mark_other else other]


def _number(value: Any, *, currency: bool) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole = number == number.to_integral_value()
    if currency:
        amount = f"{abs(number):,.0f}" if whole else f"{abs(number):,.2f}"
        return f"-${amount}" if number < 0 else f"${amount}"
    return f"{number.quantize(1) if whole else number.normalize():,f}"


def date_text(day: datetime.date) -> str:
    """ "February 9, 2027": how every date of the product reads, on pages and in documents."""
    return f"{day:%B} {day.day}, {day.year}"


def _date(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_text(day)
