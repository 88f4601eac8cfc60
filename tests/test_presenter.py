"""How stored answers read: one rule per type, and the same text on every page that shows one."""

import csv
import html
import io

import pytest
from django.urls import reverse

from strategy.answers import load_answers
from workbook.admin.review import answers_for_review
from workbook.admin.site import answer_csv_rows
from workbook.answers import presenter
from workbook.content.loader import COLUMN_TYPES
from workbook.models import Answer, FieldType, Question

OPTIONS = [
    {"value": "legal", "label": "Legal"},
    {"value": "it", "label": "IT and security"},
]
POINTS = [{"value": v, "label": label} for v, label in enumerate("ABCDE", start=1)]
POINTS[2]["label"] = "Defined"
COLUMNS = [
    {"slug": "name", "label": "Name", "type": "short_text"},
    {"slug": "notes", "label": "Notes", "type": "long_text"},
    {"slug": "role", "label": "Role", "type": "single_choice", "options": OPTIONS},
    {"slug": "core", "label": "Core?", "type": "yes_no"},
    {"slug": "hours", "label": "Hours", "type": "number"},
    {"slug": "budget", "label": "Budget", "type": "number", "currency": True},
    {"slug": "since", "label": "Since", "type": "date"},
]


def question(field_type: str, **config) -> Question:
    return Question(slug="q", text="Q?", field_type=field_type, options=OPTIONS, config=config)


SHORT = question(FieldType.SHORT_TEXT)
LONG = question(FieldType.LONG_TEXT)
SINGLE = question(FieldType.SINGLE_CHOICE)
MULTIPLE = question(FieldType.MULTIPLE_CHOICE, allow_other=True)
SCALE = question(FieldType.SCALE, points=POINTS)
YES_NO = question(FieldType.YES_NO)
NUMBER = question(FieldType.NUMBER)
MONEY = question(FieldType.NUMBER, currency=True)
DATE = question(FieldType.DATE)
TABLE = question(FieldType.TABLE, columns=COLUMNS)

ROW = {
    "name": "Ana Lopez",
    "notes": "Leads; part time",
    "role": "legal",
    "core": False,
    "hours": 12.0,
    "budget": 2500,
    "since": "2027-01-04",
}

TEXTS = [
    ("short text", SHORT, "Ana Lopez, City Attorney", "Ana Lopez, City Attorney"),
    ("long text", LONG, "First line.\nSecond line.", "First line.\nSecond line."),
    ("single choice", SINGLE, "it", "IT and security"),
    ("single choice no longer offered", SINGLE, "parks", "parks"),
    (
        "multiple choice",
        MULTIPLE,
        {"selected": ["legal", "it"], "other": ""},
        "Legal; IT and security",
    ),
    (
        "multiple choice with other text",
        MULTIPLE,
        {"selected": ["it"], "other": " Airport "},
        "IT and security; Other: Airport",
    ),
    (
        "multiple choice, other text only",
        MULTIPLE,
        {"selected": [], "other": "Airport"},
        "Other: Airport",
    ),
    ("scale", SCALE, 3, "3 – Defined"),
    ("yes", YES_NO, True, "Yes"),
    ("no", YES_NO, False, "No"),
    ("whole number", NUMBER, 185000, "185,000"),
    ("whole number stored as a float", NUMBER, 12.0, "12"),
    ("fraction", NUMBER, 1234.5, "1,234.5"),
    ("zero", NUMBER, 0, "0"),
    ("negative", NUMBER, -0.25, "-0.25"),
    ("money", MONEY, 185000, "$185,000"),
    ("money with cents", MONEY, 2.5, "$2.50"),
    ("money below zero", MONEY, -40, "-$40"),
    ("date", DATE, "2027-01-04", "January 4, 2027"),
    ("not a date", DATE, "next spring", "next spring"),
    (
        "table",
        TABLE,
        [ROW, {"name": "Luis Medina", "core": True}],
        "Name: Ana Lopez; Notes: Leads; part time; Role: Legal; Core?: No; Hours: 12; "
        "Budget: $2,500; Since: January 4, 2027\nName: Luis Medina; Core?: Yes",
    ),
    *[
        (f"empty {q.field_type}", q, empty, "")
        for q in (SHORT, SINGLE, MULTIPLE, SCALE, YES_NO, NUMBER, DATE, TABLE)
        for empty in (None, "", [], {"selected": [], "other": " "})
    ],
]


@pytest.mark.parametrize(("case", "q", "stored", "text"), TEXTS, ids=[t[0] for t in TEXTS])
def test_a_stored_answer_reads(case, q, stored, text):
    assert presenter.answer_text(q, stored) == text


def test_every_field_type_has_a_rule():
    assert {q.field_type for _, q, _, _ in TEXTS} == set(FieldType.values)


CELLS = [
    ("short_text", "Ana Lopez", "Ana Lopez"),
    ("long_text", "Leads; part time", "Leads; part time"),
    ("single_choice", "legal", "Legal"),
    ("single_choice", "parks", "parks"),
    ("yes_no", True, "Yes"),
    ("yes_no", False, "No"),
    ("number", 12.0, "12"),
    ("number", 1500.75, "1,500.75"),
    ("number", 0, "0"),
    ("date", "2027-01-04", "January 4, 2027"),
    ("short_text", None, ""),
    ("number", None, ""),
    ("date", "", ""),
]


@pytest.mark.parametrize(("column_type", "stored", "text"), CELLS)
def test_a_table_cell_reads_by_its_column_type(column_type, stored, text):
    column = next(c for c in COLUMNS if c["type"] == column_type)
    assert presenter.cell_text(column, stored) == text


def test_a_currency_column_reads_as_money():
    budget = next(c for c in COLUMNS if c.get("currency"))
    assert presenter.cell_text(budget, 2500) == "$2,500"
    assert presenter.cell_text(budget, 99.9) == "$99.90"


def test_every_column_type_has_a_rule():
    assert {t for t, _, _ in CELLS} == set(COLUMN_TYPES)


def test_a_question_and_a_column_of_one_type_read_alike():
    for column in COLUMNS:
        alike = question(column["type"], **{k: v for k, v in column.items() if k == "currency"})
        stored = ROW[column["slug"]]
        assert presenter.cell_text(column, stored) == presenter.answer_text(alike, stored)


def test_the_shapes_callers_ask_for():
    chosen = {"selected": ["legal", "it"], "other": "Airport"}
    assert presenter.answer_labels(MULTIPLE, chosen) == [
        "Legal",
        "IT and security",
        "Other: Airport",
    ]
    assert presenter.answer_labels(DATE, "2027-01-04") == ["January 4, 2027"]
    assert presenter.answer_labels(MULTIPLE, None) == []
    headers, rows = presenter.table_cells(TABLE, [ROW])
    assert headers == ["Name", "Notes", "Role", "Core?", "Hours", "Budget", "Since"]
    assert rows == [
        ["Ana Lopez", "Leads; part time", "Legal", "No", "12", "$2,500", "January 4, 2027"]
    ]
    assert presenter.value_view(TABLE, [ROW]) == {
        "table": True,
        "headers": headers,
        "rows": rows,
        "empty": False,
    }
    assert presenter.value_view(DATE, "2027-01-04") == {
        "table": False,
        "text": "January 4, 2027",
        "empty": False,
    }
    assert presenter.value_view(TABLE, [])["empty"]
    assert presenter.money_text(185000) == "$185,000"


# The same answers on every page that shows them -----------------------------------------------

SAVED = {
    "profile-sponsor": "Daniel Brooks, Assistant City Manager",
    "vision-statement": "Use AI to answer residents faster.\nNever to replace judgment.",
    "profile-jurisdiction-type": "city",
    "profile-departments": {"selected": ["finance", "it"], "other": "Municipal airport"},
    "ready-leadership-vision": 4,
    "data-security-review": False,
    "plan-first-year-budget": 185000.0,
    "profile-target-date": "2027-02-09",
    "profile-team": [
        {"name": "Rachel Kim", "role": "legal", "core": True, "hours_per_month": 5.0},
        {"name": "Luis Medina", "core": False},
    ],
    "plan-actions": [
        {"action": "Adopt the procedure", "start": "2027-01-04", "budget": 24000, "status": "done"}
    ],
}


@pytest.mark.django_db
def test_the_wizard_review_the_admin_the_csv_and_the_documents_read_an_answer_alike(
    client, alpha, facilitator
):
    place = alpha.jurisdiction
    questions = {q.slug: q for q in Question.active.filter(slug__in=SAVED)}
    assert set(questions) == set(SAVED)
    assert {q.field_type for q in questions.values()} == set(FieldType.values)
    for slug, value in SAVED.items():
        Answer.objects.create(jurisdiction=place, question=questions[slug], value=value)

    client.force_login(alpha.viewer)
    page = client.get(reverse("workbook:review", args=[place.slug])).content.decode()
    # What the wizard's review page shows of each answer (its sections' markup is made from it).
    wizard = {slug: presenter.value_view(q, SAVED[slug]) for slug, q in questions.items()}
    admin = {row.question.slug: row.display for g in answers_for_review(place) for row in g.rows}
    lines = list(csv.reader(io.StringIO("".join(answer_csv_rows([place.pk])))))
    exported = {line[2]: line[5] for line in lines[1:]}
    reader = load_answers(place)

    for slug, q in questions.items():
        text = reader.text(slug)
        assert text == admin[slug] == exported[slug], slug
        if q.field_type == FieldType.TABLE:
            cells = [
                [reader.cell(slug, c["slug"], r) for c in reader.columns(slug)] for r in SAVED[slug]
            ]
            assert wizard[slug]["rows"] == cells, slug
            assert all(html.escape(cell) in page for row in cells for cell in row), slug
        else:
            assert wizard[slug]["text"] == text, slug
            assert html.escape(text) in page, slug

    assert reader.text("profile-target-date") == "February 9, 2027"
    assert reader.text("plan-first-year-budget") == "$185,000"  # `currency: true` in the content
    # In a document's list the typed "Other" is an item like the rest (a page says "Other: …").
    assert reader.labels("profile-departments")[-1] == "Municipal airport"
    assert wizard["profile-team"]["rows"][0][2:] == ["Legal", "Yes", "5"]
    assert reader.cell("plan-actions", "start", SAVED["plan-actions"][0]) == "January 4, 2027"
    assert reader.cell("plan-actions", "budget", SAVED["plan-actions"][0]) == "$24,000"
