"""Section forms built from the workbook content: one factory, no hand-written form per section.

Every field is optional at the form level: a section may be saved as a draft, and "required" only
decides whether the section is complete (workbook.answers.rules). Field names are question slugs;
the parts of a compound answer use `--`, which a slug never contains (`profile-team--0--name`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import SuspiciousOperation
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString
from django.utils.text import slugify

from workbook.answers.presenter import table_cells
from workbook.answers.rules import condition_met, is_answered, is_empty, missing_columns
from workbook.models import FieldType, Question
from workbook.plain_messages import PlainMessages, use_plain_messages
from workbook.templatetags.workbook_html import field_input, option_input

SEP = "--"
MAX_TABLE_ROWS = 100
YES_NO_CHOICES = [("true", "Yes"), ("false", "No")]
MAX_NUMBER_DIGITS = 15
RADIO = forms.RadioSelect(attrs={"class": "usa-radio__input"})
CARDS = forms.RadioSelect(attrs={"class": "usa-radio__input usa-radio__input--tile"})
CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"})


# What a section page posts besides its answers: the CSRF token, the wizard's step, version,
# base, action, jump and submit id, and a conflict page's list of questions to choose for.
PAGE_FIELDS_POSTED = 10


def posted_field_count(questions: list[dict]) -> int:
    """The most fields a full page of a section can post, from the questions' specs as written
    in the content file: a browser sends a field per ticked box and per table cell, and a
    conflict page adds a choice per question. Django refuses a request with more fields than
    DATA_UPLOAD_MAX_NUMBER_FIELDS, so the loader refuses content that could exceed it."""
    total = PAGE_FIELDS_POSTED
    for q in questions:
        if q.get("type") == FieldType.TABLE:
            # The row count, then every cell and the "Remove" box of each row.
            fields = 1 + MAX_TABLE_ROWS * (len(q.get("columns") or []) + 1)
        elif q.get("type") == FieldType.MULTIPLE_CHOICE:
            fields = len(q.get("options") or []) + (1 if q.get("allow_other") else 0)
        else:
            fields = 1
        total += fields + 1  # its choice on a conflict page
    return total


def other_name(slug: str) -> str:
    return f"{slug}{SEP}other"


def rows_name(slug: str) -> str:
    return f"{slug}{SEP}rows"


def cell_name(slug: str, row: int | str, column: str) -> str:
    return f"{slug}{SEP}{row}{SEP}{column}"


def remove_name(slug: str, row: int | str) -> str:
    return f"{slug}{SEP}{row}{SEP}remove"


def shown_as_cards(field_type: str, options: list[dict]) -> bool:
    """A scale, or a single choice whose options are all described: one card per answer,
    its meaning under its label (the readiness levels and their targets look alike)."""
    if field_type == FieldType.SINGLE_CHOICE:
        return bool(options) and all(o.get("description") for o in options)
    return field_type == FieldType.SCALE


def _yes_no(value: str) -> bool:
    return value == "true"


def _field_for(
    field_type: str, spec: dict, options: list[dict], label: str, *, in_table: bool = False
) -> forms.Field:
    """A Django field for one question or one table column (all optional: drafts are allowed),
    with the product's own validation messages.

    Choice columns of a table are drop-downs, so that a row's card stays short.
    """
    return use_plain_messages(_plain_field_for(field_type, spec, options, label, in_table))


def _plain_field_for(
    field_type: str, spec: dict, options: list[dict], label: str, in_table: bool
) -> forms.Field:
    if in_table and field_type in (FieldType.SINGLE_CHOICE, FieldType.YES_NO):
        choices = (
            YES_NO_CHOICES
            if field_type == FieldType.YES_NO
            else [(o["value"], o["label"]) for o in options]
        )
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=[("", "- Select -"), *choices],
            coerce=_yes_no if field_type == FieldType.YES_NO else str,
            empty_value=None,
            widget=forms.Select(attrs={"class": "usa-select"}),
        )
    match field_type:
        case FieldType.SHORT_TEXT:
            return forms.CharField(
                label=label,
                required=False,
                max_length=spec.get("max_length", 200),
                widget=forms.TextInput(attrs={"class": "usa-input"}),
            )
        case FieldType.LONG_TEXT:
            return forms.CharField(
                label=label,
                required=False,
                max_length=spec.get("max_length", 5000),
                widget=forms.Textarea(
                    attrs={"class": "usa-textarea", "rows": 3 if in_table else 5}
                ),
            )
        case FieldType.SINGLE_CHOICE:
            choices = [(o["value"], o["label"]) for o in options]
            widget = CARDS if shown_as_cards(field_type, options) else RADIO
            return forms.ChoiceField(label=label, required=False, choices=choices, widget=widget)
        case FieldType.MULTIPLE_CHOICE:
            choices = [(o["value"], o["label"]) for o in options]
            return forms.MultipleChoiceField(
                label=label, required=False, choices=choices, widget=CHECKBOXES
            )
        case FieldType.SCALE:
            choices = [(str(p["value"]), p["label"]) for p in spec.get("points", [])]
            return forms.TypedChoiceField(
                label=label,
                required=False,
                choices=choices,
                coerce=int,
                empty_value=None,
                widget=CARDS,
            )
        case FieldType.YES_NO:
            return forms.TypedChoiceField(
                label=label,
                required=False,
                choices=YES_NO_CHOICES,
                coerce=_yes_no,
                empty_value=None,
                widget=RADIO,
            )
        case FieldType.NUMBER:
            # In a row's card a number has the width of a date: room for a budget's digits.
            size = "usa-input--medium" if in_table else "usa-input--small"
            return forms.DecimalField(
                label=label,
                required=False,
                min_value=spec.get("min"),
                max_value=spec.get("max"),
                max_digits=MAX_NUMBER_DIGITS,
                widget=forms.NumberInput(attrs={"class": f"usa-input {size}"}),
            )
        case FieldType.DATE:
            return forms.DateField(
                label=label,
                required=False,
                input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(
                    format="%Y-%m-%d",
                    attrs={"class": "usa-input usa-input--medium", "type": "date"},
                ),
            )
    raise ValueError(f"No form field for type {field_type!r}")


def _stored(field_type: str, value: Any) -> Any:
    """A cleaned form value in the stored format of docs/workbook-format.md."""
    if value is None:
        return None
    if field_type == FieldType.NUMBER and isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if field_type == FieldType.DATE and isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _as_data(field_type: str, value: Any) -> str:
    """A stored scalar as the text a browser would post for it."""
    if field_type == FieldType.YES_NO:
        return "true" if value else "false"
    return "" if value is None else str(value)


def answers_to_data(questions: list[Question], values: dict[str, Any]) -> MultiValueDict:
    """Stored answers as posted form data, so a section form can be bound to the database."""
    data: MultiValueDict[str, str] = MultiValueDict()
    for q in questions:
        value: Any = values.get(q.slug)
        if q.field_type == FieldType.TABLE:
            rows = value if isinstance(value, list) else []
            data[rows_name(q.slug)] = str(len(rows))
            columns = {c["slug"]: c["type"] for c in q.config.get("columns", [])}
            for i, row in enumerate(rows):
                for column, column_type in columns.items():
                    if column in row:
                        data[cell_name(q.slug, i, column)] = _as_data(column_type, row[column])
        elif is_empty(value):
            continue
        elif q.field_type == FieldType.MULTIPLE_CHOICE:
            data.setlist(q.slug, [str(v) for v in value.get("selected", [])])
            if value.get("other"):
                data[other_name(q.slug)] = value["other"]
        else:
            data[q.slug] = _as_data(q.field_type, value)
    return data


@dataclass
class TableCell:
    column: dict
    bound: Any
    missing: str = ""  # why the row is incomplete without this cell, when it is

    @property
    def input(self) -> SafeString:
        return field_input(self.bound)

    @property
    def message_id(self) -> str:
        return f"{self.bound.html_name}-error"


@dataclass
class TableRow:
    """One row of a table, edited as a card whose legend names it."""

    index: int
    cells: list[TableCell]
    remove: Any  # bound "remove this row" checkbox

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def legend(self) -> str:
        """The card's name, "Row 2: Lena Ortiz", from the first column when that is text."""
        first = self.cells[0]
        name = ""
        if first.column["type"] == FieldType.SHORT_TEXT:
            name = str(first.bound.value() or "").strip()
        return f"Row {self.number}: {name}" if name else f"Row {self.number}"


class TemplateRow(TableRow):
    """The empty row wizard.js copies to add a card; it fills in the index and number."""

    @property
    def number(self) -> Any:
        return "__n__"

    @property
    def legend(self) -> str:
        return "Row __n__"


@dataclass
class QuestionField:
    """What a template needs to render one question."""

    question: Question
    bound: Any = None
    other: Any = None
    rows: list[TableRow] = field(default_factory=list)
    template_row: TemplateRow | None = None
    columns: list[dict] = field(default_factory=list)
    visible: bool = True
    errors: list[str] = field(default_factory=list)  # invalid parts, left unsaved
    incomplete: list[str] = field(default_factory=list)  # saved, but keep the section open
    summary_headers: list[str] = field(default_factory=list)
    summary_rows: list[list[str]] = field(default_factory=list)
    max_rows: int = MAX_TABLE_ROWS

    @property
    def slug(self) -> str:
        return self.question.slug

    @property
    def id(self) -> str:
        """The id of the element an error summary link should focus."""
        if self.question.field_type == FieldType.TABLE:
            flagged = (c for row in self.rows for c in row.cells if c.bound.errors or c.missing)
            first = next(flagged, None)
            return first.bound.id_for_label if first else f"q-{self.slug}"
        if self.bound is not None and self.question.field_type in CHOICE_WIDGET_TYPES:
            return f"id_{self.slug}_0"
        return f"id_{self.slug}"

    @property
    def label(self) -> str:
        return self.question.text

    @property
    def messages(self) -> list[str]:
        """Everything the error summary says about this question."""
        return self.errors + self.incomplete

    @property
    def labelled(self) -> bool:
        """One input under a `<label>`; the other types are a group of inputs in a fieldset."""
        return self.question.field_type in LABELLED_TYPES

    @property
    def template(self) -> str:
        """Its control's partial in templates/jinja2/workbook/."""
        field_type = self.question.field_type
        if shown_as_cards(field_type, self.question.options):
            return "workbook/_field_cards.html"
        return f"workbook/_field_{FIELD_TEMPLATES.get(field_type, field_type)}.html"

    @property
    def choices(self) -> list[dict]:
        """Radio or checkbox subwidgets with their label and, on cards, each answer's meaning;
        a scale's points are numbered."""
        numbered = self.question.field_type == FieldType.SCALE
        described = self.question.config.get("points") or self.question.options
        descriptions = {str(d["value"]): d.get("description", "") for d in described}
        # Each option's markup is made here, once: a call from the template costs more than
        # the markup on a section of 38 scales.
        return [
            {
                "input": option_input(w),
                "id": w.data["attrs"].get("id"),
                "label": f"{w.data['value']}. {w.choice_label}" if numbered else w.choice_label,
                "description": descriptions.get(str(w.data["value"]), ""),
            }
            for w in self.bound
        ]

    @property
    def show_if_values(self) -> list[str]:
        condition = self.question.show_if or {}
        wanted = condition["in"] if "in" in condition else [condition.get("equals")]
        return [_as_data(FieldType.YES_NO, w) if isinstance(w, bool) else str(w) for w in wanted]


@dataclass
class QuestionGroup:
    """The questions under one heading of a grouped section (a readiness area), in order."""

    title: str
    questions: list[QuestionField]
    answered: int  # of the questions shown

    @property
    def shown(self) -> int:
        return sum(1 for item in self.questions if item.visible)

    @property
    def anchor(self) -> str:
        return f"group-{slugify(self.title)}"


LABELLED_TYPES = {FieldType.SHORT_TEXT, FieldType.LONG_TEXT, FieldType.NUMBER, FieldType.DATE}
# Types whose control is the same markup as another's.
FIELD_TEMPLATES: dict[str, str] = {
    FieldType.SHORT_TEXT: "input",
    FieldType.NUMBER: "input",
    FieldType.DATE: "input",
    FieldType.YES_NO: "single_choice",
}

CHOICE_WIDGET_TYPES = {
    FieldType.SINGLE_CHOICE,
    FieldType.MULTIPLE_CHOICE,
    FieldType.SCALE,
    FieldType.YES_NO,
}


class SectionForm(PlainMessages, forms.Form):
    """A section's questions as one form; `questions` is set by `section_form_class`."""

    questions: list[Question] = []

    def __init__(self, *args, read_only: bool = False, **kwargs):
        kwargs.setdefault("prefix", None)
        super().__init__(*args, **kwargs)
        self.read_only = read_only
        self._table_rows: dict[str, list[int]] = {}
        for q in self.questions:
            if q.field_type == FieldType.TABLE:
                self._add_table_fields(q)
        if read_only:
            for f in self.fields.values():
                f.widget.attrs["disabled"] = True

    def use_plain_messages(self) -> None:
        # Every field is given the product's messages where it is made (`_field_for`, the
        # table's fields, `section_form_class`): once per form class, not once per request.
        pass

    def _add_table_fields(self, q: Question) -> None:
        count = self._row_count(q.slug)
        self._table_rows[q.slug] = list(range(count))
        for i in range(count):
            for column in q.config.get("columns", []):
                label = f"{column['label']}, row {i + 1}"
                self.fields[cell_name(q.slug, i, column["slug"])] = self._column_field(
                    column, label
                )
            self.fields[remove_name(q.slug, i)] = use_plain_messages(
                forms.BooleanField(
                    label=f"Remove row {i + 1}",
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "app-row-remove"}),
                )
            )

    @staticmethod
    def _column_field(column: dict, label: str) -> forms.Field:
        return _field_for(column["type"], column, column.get("options", []), label, in_table=True)

    def _row_count(self, slug: str) -> int:
        if not self.is_bound:
            return 1
        raw = self.data.get(rows_name(slug), "0") or "0"
        try:
            count = int(raw)
        except ValueError:
            raise SuspiciousOperation(f"Row count of {slug} is not a number.") from None
        if not 0 <= count <= MAX_TABLE_ROWS:
            raise SuspiciousOperation(f"Row count of {slug} is out of range.")
        # A table always offers one empty row to type into.
        return max(count, 1)

    def row_count(self, slug: str) -> int:
        return len(self._table_rows.get(slug, []))

    # -- values -----------------------------------------------------------------------------

    def answer_values(self) -> dict[str, Any]:
        """Stored-format values of every valid, visible question (invalid ones are left out)."""
        values = self._current_values()
        visible = self.visible_slugs(values)
        # `values` holds valid questions only.
        return {
            q.slug: values[q.slug] for q in self.questions if q.slug in visible and q.slug in values
        }

    def _current_values(self) -> dict[str, Any]:
        """Values as typed, for each question whose parts are all valid; read once, since a
        bound form's data does not change (the save, the page and its groups all ask)."""
        if not hasattr(self, "_values"):
            if not hasattr(self, "cleaned_data"):
                self.full_clean()
            self._values = self._read_values(self.cleaned_data)
        return self._values

    def _read_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for q in self.questions:
            if self._question_errors(q):
                continue
            if q.field_type == FieldType.TABLE:
                values[q.slug] = self._table_value(q, cleaned)
            elif q.field_type == FieldType.MULTIPLE_CHOICE:
                selected = list(cleaned.get(q.slug) or [])
                other = (cleaned.get(other_name(q.slug)) or "").strip()
                value: dict[str, Any] = {"selected": selected}
                if q.config.get("allow_other"):
                    # Questions with an "Other" box always carry the key (workbook-format.md).
                    value["other"] = other
                values[q.slug] = None if is_empty(value) else value
            else:
                value = _stored(q.field_type, cleaned.get(q.slug))
                values[q.slug] = None if is_empty(value) else value
        return values

    def _table_value(self, q: Question, cleaned: dict) -> list[dict] | None:
        rows = [row for _, row in self._kept_rows(q, cleaned)]
        return rows or None

    def _kept_rows(self, q: Question, cleaned: dict) -> list[tuple[int, dict]]:
        """(index, stored value) of each row not ticked for removal and not left blank."""
        kept = []
        for i in self._table_rows.get(q.slug, []):
            if cleaned.get(remove_name(q.slug, i)):
                continue
            row = {}
            for column in q.config.get("columns", []):
                value = _stored(column["type"], cleaned.get(cell_name(q.slug, i, column["slug"])))
                if not is_empty(value):
                    row[column["slug"]] = value
            if row:
                kept.append((i, row))
        return kept

    def _field_names(self, q: Question) -> list[str]:
        if q.field_type == FieldType.TABLE:
            return [
                name
                for i in self._table_rows.get(q.slug, [])
                for name in [cell_name(q.slug, i, c["slug"]) for c in q.config.get("columns", [])]
                + [remove_name(q.slug, i)]
            ]
        if q.field_type == FieldType.MULTIPLE_CHOICE and q.config.get("allow_other"):
            return [q.slug, other_name(q.slug)]
        return [q.slug]

    def _question_errors(self, q: Question) -> list[str]:
        if not self.is_bound:
            return []
        errors = self.errors
        return [str(e) for name in self._field_names(q) for e in errors.get(name, [])]

    def visible_slugs(self, values: dict[str, Any] | None = None) -> set[str]:
        """Questions whose `show_if` holds for the values in this form."""
        if values is None:
            values = self._current_values() if self.is_bound else {}
        return {q.slug for q in self.questions if condition_met(q.show_if, values)}

    # -- rendering --------------------------------------------------------------------------

    def question_fields(self) -> list[QuestionField]:
        # Built once: the page, its error summary and the view all ask for it.
        if not hasattr(self, "_question_fields"):
            self._question_fields = self._build_question_fields()
        return self._question_fields

    def _build_question_fields(self) -> list[QuestionField]:
        visible = self.visible_slugs()
        items = []
        for q in self.questions:
            item = QuestionField(question=q, visible=q.slug in visible)
            if q.field_type == FieldType.TABLE:
                self._build_table(item)
            else:
                item.bound = self[q.slug]
                if other_name(q.slug) in self.fields:
                    item.other = self[other_name(q.slug)]
            if item.visible and q.field_type == FieldType.TABLE:
                item.errors = self._cell_errors(item)
            elif item.visible:
                item.errors = self._question_errors(q)
            self._describe(item)
            items.append(item)
        return items

    def question_groups(self) -> list[QuestionGroup]:
        """The questions under their headings (their content `group`), or none when the
        section's questions are not grouped; each group counts its answered questions."""
        items = self.question_fields()
        if not any(item.question.config.get("group") for item in items):
            return []
        values = self._current_values() if self.is_bound else {}
        groups: list[QuestionGroup] = []
        for item in items:
            title = item.question.config.get("group", "")
            if not groups or groups[-1].title != title:
                groups.append(QuestionGroup(title, [], 0))
            groups[-1].questions.append(item)
            if item.visible and is_answered(item.question, values.get(item.slug)):
                groups[-1].answered += 1
        return groups

    def _build_table(self, item: QuestionField) -> None:
        q = item.question
        item.columns = q.config.get("columns", [])
        for i in self._table_rows.get(q.slug, []):
            cells = [
                TableCell(column=c, bound=self[cell_name(q.slug, i, c["slug"])])
                for c in item.columns
            ]
            item.rows.append(TableRow(index=i, cells=cells, remove=self[remove_name(q.slug, i)]))
        item.template_row = self._template_row(q)
        # The summary and the completeness of rows read valid values only.
        if self.is_bound and not self._question_errors(q):
            kept = self._kept_rows(q, self.cleaned_data)
            item.summary_headers, item.summary_rows = table_cells(q, [row for _, row in kept])
            if item.visible:
                self._mark_incomplete(item, kept)
        for row in item.rows:
            for cell in row.cells:
                self._describe_cell(cell)

    @staticmethod
    def _cell_errors(item: QuestionField) -> list[str]:
        """A table's errors, each naming its row and column: "Row 2, Hours a month: …"."""
        return [
            f"Row {row.number}, {cell.column['label']}: {error}"
            for row in item.rows
            for cell in row.cells
            for error in cell.bound.errors
        ]

    @staticmethod
    def _mark_incomplete(item: QuestionField, kept: list[tuple[int, dict]]) -> None:
        """A kept row without a required value is saved, and said to be unfinished."""
        for i, value in kept:
            row = item.rows[i]
            for column in missing_columns(item.question, value):
                cell = next(c for c in row.cells if c.column["slug"] == column["slug"])
                cell.missing = f"Fill in “{column['label']}” for row {row.number}, or remove it."
                item.incomplete.append(cell.missing)

    @staticmethod
    def _describe_cell(cell: TableCell) -> None:
        if cell.bound.errors or cell.missing:
            attrs = cell.bound.field.widget.attrs
            attrs["aria-describedby"] = cell.message_id
            attrs["class"] = attrs.get("class", "") + " usa-input--error"

    def _describe(self, item: QuestionField) -> None:
        """Point text inputs at their hint and error, and mark inputs in error."""
        described = f"{item.slug}-hint"
        if item.errors:
            described += f" {item.slug}-error"
        if item.question.field_type in CHOICE_WIDGET_TYPES or item.bound is None:
            return
        attrs = self.fields[item.slug].widget.attrs
        attrs["aria-describedby"] = described
        if item.errors and "usa-input--error" not in attrs.get("class", ""):
            attrs["class"] = attrs.get("class", "") + " usa-input--error"

    def _template_row(self, q: Question) -> TemplateRow:
        """An empty row with a `__row__` placeholder index, cloned by wizard.js."""
        placeholder = forms.Form(prefix=None)
        cells = []
        for column in q.config.get("columns", []):
            name = cell_name(q.slug, "__row__", column["slug"])
            placeholder.fields[name] = self._column_field(column, f"{column['label']}, row __n__")
            cells.append(TableCell(column=column, bound=placeholder[name]))
        name = remove_name(q.slug, "__row__")
        placeholder.fields[name] = forms.BooleanField(
            required=False, widget=forms.CheckboxInput(attrs={"class": "app-row-remove"})
        )
        return TemplateRow(index=-1, cells=cells, remove=placeholder[name])

    def error_items(self) -> list[QuestionField]:
        """Questions with invalid parts, which a save leaves out."""
        return [item for item in self.question_fields() if item.errors]

    def attention_items(self) -> list[QuestionField]:
        """Everything the error summary lists: invalid parts and unfinished rows."""
        return [item for item in self.question_fields() if item.messages]

    def after_save(self, add_row_to: str | None = None) -> "SectionForm":
        """The form to show again after a save: removed table rows gone, typed text kept.

        With `add_row_to`, that table gets one more empty row ("Add row" without JavaScript).
        """
        if add_row_to is not None and add_row_to not in self._table_rows:
            raise SuspiciousOperation(f"{add_row_to} is not a table of this section.")
        # Bound to posted or stored answers: a QueryDict or MultiValueDict, never a plain dict.
        data = cast(MultiValueDict, self.data).copy()
        for q in self.questions:
            if q.field_type != FieldType.TABLE:
                continue
            columns = [c["slug"] for c in q.config.get("columns", [])]
            kept = []
            for i in self._table_rows[q.slug]:
                cells = {c: data.pop(cell_name(q.slug, i, c), [""])[-1] for c in columns}
                if not data.pop(remove_name(q.slug, i), None):
                    kept.append(cells)
            for i, cells in enumerate(kept):
                for column, value in cells.items():
                    data[cell_name(q.slug, i, column)] = value
            count = len(kept) + (1 if q.slug == add_row_to else 0)
            data[rows_name(q.slug)] = str(min(count, MAX_TABLE_ROWS))
        form = type(self)(data=data, read_only=self.read_only)
        form.is_valid()
        return form


def section_form_class(questions: Sequence[Question]) -> type[SectionForm]:
    """A form class for one section, with a field for each (non-table) question."""
    attrs: dict[str, Any] = {"questions": list(questions)}
    for q in questions:
        if q.field_type == FieldType.TABLE:
            continue
        attrs[q.slug] = _field_for(q.field_type, q.config, q.options, q.text)
        if q.field_type == FieldType.MULTIPLE_CHOICE and q.config.get("allow_other"):
            attrs[other_name(q.slug)] = use_plain_messages(
                forms.CharField(
                    label="Other (please describe)",
                    required=False,
                    max_length=q.config.get("max_length", 200),
                    widget=forms.TextInput(attrs={"class": "usa-input"}),
                )
            )
    form_class = cast(type[SectionForm], type("SectionForm", (SectionForm,), attrs))
    form_class.base_fields = FormFields(form_class.base_fields)
    return form_class


class FormFields(dict[str, forms.Field]):
    """A section form class's fields, copied for each form it builds as Field.__deepcopy__
    copies them (the field, its widget and the widget's attributes, its messages and
    validators) but without copy.deepcopy's generic dispatch, and without copying the content's
    options: no form changes them. Those copies were most of building the largest section's
    form (36 scales), for every page and every save."""

    def __init__(self, fields: dict[str, forms.Field]):
        for name, made in fields.items():
            # Their parts would need copies of their own.
            if isinstance(made, forms.MultiValueField) or isinstance(
                made.widget, forms.MultiWidget
            ):
                raise TypeError(f"{name}: a compound field is not copied with its parts.")
        super().__init__(fields)

    def __deepcopy__(self, memo) -> dict[str, forms.Field]:
        return {name: _field_copy(made) for name, made in self.items()}


def _field_copy(field: forms.Field) -> forms.Field:
    copied = _shallow_copy(field)
    copied.widget = _shallow_copy(field.widget)
    copied.widget.attrs = field.widget.attrs.copy()  # a read-only form disables its own
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


def _shallow_copy[T](obj: T) -> T:
    """copy.copy of an object whose state is its __dict__."""
    made = object.__new__(type(obj))
    made.__dict__.update(obj.__dict__)
    return made
