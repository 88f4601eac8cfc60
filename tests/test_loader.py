"""The workbook loader: checks the whole file, loads idempotently, retires instead of deleting."""

import copy
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from strategy.scoring.readiness import LEVELS
from workbook.content.loader import WorkbookFileError, load_workbook, read_workbook_file
from workbook.models import Answer, FieldType, Jurisdiction, Question, Section

BASE = {
    "edition": "Test Workbook",
    "version": "1",
    "dimensions": [{"slug": "data", "title": "Data"}],
    "sections": [
        {
            "slug": "profile",
            "title": "Profile",
            "intro": "About you.",
            "questions": [
                {
                    "slug": "profile-name",
                    "type": "short_text",
                    "text": "Name?",
                    "help": "The official name.",
                    "example": "City of Example",
                    "required": True,
                },
                {
                    "slug": "profile-kind",
                    "type": "single_choice",
                    "text": "Kind?",
                    "help": "Pick one.",
                    "options": [
                        {"value": "city", "label": "City"},
                        {"value": "county", "label": "County"},
                    ],
                },
                {
                    "slug": "profile-county-seat",
                    "type": "short_text",
                    "text": "County seat?",
                    "help": "Only for counties.",
                    "show_if": {"question": "profile-kind", "equals": "county"},
                },
            ],
        },
        {
            "slug": "readiness",
            "title": "Readiness",
            "intro": "Rate yourself.",
            "questions": [
                {
                    "slug": "ready-data-quality",
                    "type": "scale",
                    "text": "Data quality?",
                    "help": "1 is poor.",
                    "example": "3",
                    "points": [
                        {"value": v, "label": f"L{v}", "description": f"D{v}"} for v in range(1, 6)
                    ],
                    "scoring": {"role": "readiness_item", "dimension": "data", "weight": 2},
                }
            ],
        },
    ],
}


def write(tmp_path: Path, data, name="workbook.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def edited(**changes):
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target = data
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return data


DELETE = object()


def readiness_with(*extra: dict) -> dict:
    """BASE with more questions after the readiness section's rating of data."""
    data = copy.deepcopy(BASE)
    data["sections"][1]["questions"].extend(extra)
    return data


def question(slug: str, **spec) -> dict:
    return {"slug": slug, "type": "short_text", "text": f"{slug}?", "help": "Say.", **spec}


def data_rating(slug: str) -> dict:
    return {**BASE["sections"][1]["questions"][0], "slug": slug}  # type: ignore[index]


@pytest.mark.django_db
def test_load_creates_sections_and_questions(tmp_path):
    report = load_workbook(write(tmp_path, BASE))
    assert report.created == 4 and report.retired == 0
    assert list(Section.active.values_list("slug", flat=True)) == ["profile", "readiness"]
    kind = Question.objects.get(slug="profile-kind")
    assert kind.field_type == FieldType.SINGLE_CHOICE
    assert [o["value"] for o in kind.options] == ["city", "county"]
    assert Question.objects.get(slug="profile-name").config["max_length"] == 200
    assert Question.objects.get(slug="ready-data-quality").scoring["dimension"] == "data"


@pytest.mark.django_db
def test_reload_is_idempotent_and_updates_text_in_place(tmp_path):
    load_workbook(write(tmp_path, BASE))
    ids = dict(Question.objects.values_list("slug", "id"))
    load_workbook(write(tmp_path, BASE))
    assert dict(Question.objects.values_list("slug", "id")) == ids

    report = load_workbook(
        write(tmp_path, edited(sections__0__questions__0__text="Official name?"))
    )
    assert report.created == 0
    assert Question.objects.get(slug="profile-name").text == "Official name?"
    assert dict(Question.objects.values_list("slug", "id")) == ids


@pytest.mark.django_db
def test_removed_question_is_retired_and_its_answers_survive(tmp_path, django_user_model):
    workbook = load_workbook(write(tmp_path, BASE)).workbook
    jurisdiction = Jurisdiction.objects.create(
        name="Town", slug="town", kind="town", population_band="under_5k", workbook=workbook
    )
    seat = Question.objects.get(slug="profile-county-seat")
    Answer.objects.create(jurisdiction=jurisdiction, question=seat, value="Springfield")

    report = load_workbook(write(tmp_path, edited(sections__0__questions__2=DELETE)))
    assert report.retired == 1
    seat.refresh_from_db()
    assert seat.retired_at is not None
    assert not Question.active.filter(slug="profile-county-seat").exists()
    assert Answer.objects.get(question=seat).value == "Springfield"

    load_workbook(write(tmp_path, BASE))  # putting it back revives it, answer intact
    seat.refresh_from_db()
    assert seat.retired_at is None
    assert Answer.objects.filter(question=seat).count() == 1


@pytest.mark.django_db
def test_new_question_is_added(tmp_path):
    load_workbook(write(tmp_path, BASE))
    extra = {"slug": "profile-web", "type": "short_text", "text": "Website?", "help": "URL."}
    data = edited()
    data["sections"][0]["questions"].append(extra)
    report = load_workbook(write(tmp_path, data))
    assert report.created == 1
    assert Question.active.get(slug="profile-web").position == 4


@pytest.mark.django_db
def test_choice_columns_keep_their_options_as_choice_questions_do(tmp_path):
    """Option values are strings in both, as a form posts them and an answer stores them."""
    rating = [{"value": 1, "label": "Low", "weight": 2}, {"value": 2, "label": "High"}]
    data = edited(sections__0__questions__1__options=rating)
    data["sections"][0]["questions"].append(
        {
            "slug": "profile-ideas",
            "type": "table",
            "text": "Ideas?",
            "help": "One a row.",
            "columns": [
                {"slug": "idea", "label": "Idea", "type": "short_text"},
                {"slug": "value", "label": "Value", "type": "single_choice", "options": rating},
                {"slug": "cost", "label": "Cost", "type": "number", "currency": True},
            ],
        }
    )
    load_workbook(write(tmp_path, data))
    stored = [{"value": "1", "label": "Low", "weight": 2}, {"value": "2", "label": "High"}]
    assert Question.objects.get(slug="profile-kind").options == stored
    columns = Question.objects.get(slug="profile-ideas").config["columns"]
    assert columns[1]["options"] == stored
    assert "options" not in columns[0]
    assert columns[2]["currency"] is True


MALFORMED = [
    (
        "unknown type",
        edited(sections__0__questions__0__type="essay"),
        "section 'profile', question 'profile-name': unknown field type 'essay'",
    ),
    (
        "duplicate slug",
        edited(sections__1__questions__0__slug="profile-name"),
        "section 'readiness', question 'profile-name': duplicate question slug",
    ),
    (
        "choice without options",
        edited(sections__0__questions__1__options=[]),
        "section 'profile', question 'profile-kind': a choice question needs",
    ),
    (
        "show_if to a missing question",
        edited(sections__0__questions__2__show_if={"question": "profile-nope", "equals": "x"}),
        "question 'profile-county-seat': 'show_if' points at missing question 'profile-nope'",
    ),
    (
        "scale without five points",
        edited(sections__1__questions__0__points=[{"value": 1, "label": "a", "description": "b"}]),
        "question 'ready-data-quality': a scale needs five 'points'",
    ),
    (
        "a table wider than a page may post",
        edited(
            sections__0__questions__0__type="table",
            sections__0__questions__0__columns=[
                {"slug": f"c{i}", "label": f"Column {i}", "type": "short_text"} for i in range(45)
            ],
        ),
        "section 'profile': a full page of it can post 4",
    ),
    (
        "currency on text",
        edited(sections__0__questions__0__currency=True),
        "question 'profile-name': 'currency' must be true or false, on a number",
    ),
    (
        "currency neither true nor false",
        edited(
            sections__0__questions__0__type="table",
            sections__0__questions__0__columns=[
                {"slug": "cost", "label": "Cost", "type": "number", "currency": "USD"}
            ],
        ),
        "column 'cost': 'currency' must be true or false, on a number",
    ),
    (
        "clause with an unknown placeholder",
        edited(
            sections__0__questions__1__options__0__clause="{city} must keep a register.",
        ),
        "section 'profile', question 'profile-kind': option 'city': the clause has unknown "
        "placeholder '{city}'",
    ),
    (
        "clause quoting a missing question",
        edited(
            sections__1__questions__0__points__0__clause="Owner: {answer:profile-owner}.",
        ),
        "question 'ready-data-quality': point 1: the clause quotes 'answer:profile-owner', but "
        "there is no such question",
    ),
    (
        "clause with a stray brace",
        edited(sections__0__questions__1__options__1__clause="Staff {must not share data."),
        "question 'profile-kind': option 'county': the clause has an unmatched brace",
    ),
    (
        "yes/no clauses on a text question",
        edited(sections__0__questions__0__clauses={"yes": "Staff may.", "no": "Staff must not."}),
        "question 'profile-name': 'clauses' belongs on a yes/no question",
    ),
    (
        "empty clause",
        edited(sections__0__questions__1__options__0__clause=" "),
        "option 'city': a clause must be non-empty text",
    ),
    (
        "options described in part",
        edited(sections__0__questions__1__options__0__description="A city government."),
        "question 'profile-kind': give every option a 'description' (shown as cards) or none",
    ),
    (
        "a question without a group in a grouped section",
        readiness_with(question("ready-notes")),
        "section 'readiness', question 'ready-notes': the section is grouped: give it a 'group'",
    ),
    (
        "a group split in two",
        readiness_with(question("ready-notes", group="Notes"), data_rating("ready-data-more")),
        "question 'ready-data-more': the questions of group 'Data' must be next to each other",
    ),
    (
        "a group that is not text",
        readiness_with(question("ready-notes", group=["Notes"])),
        "question 'ready-notes': 'group' must be the heading text",
    ),
    (
        "a number question whose minimum is above its maximum",
        edited(
            sections__0__questions__0__type="number",
            sections__0__questions__0__min=5,
            sections__0__questions__0__max=1,
        ),
        "question 'profile-name': 'min' is larger than 'max'",
    ),
    (
        "a number column whose minimum is above its maximum",
        edited(
            sections__0__questions__0__type="table",
            sections__0__questions__0__columns=[
                {"slug": "hours", "label": "Hours", "type": "number", "min": 10, "max": 0}
            ],
        ),
        "column 'hours': 'min' is larger than 'max'",
    ),
    (
        "a bound that is not a number",
        edited(sections__0__questions__0__type="number", sections__0__questions__0__min="none"),
        "question 'profile-name': 'min' and 'max' must be numbers",
    ),
    (
        "a bound on text",
        edited(sections__0__questions__0__max=10),
        "question 'profile-name': 'min' and 'max' belong on a number",
    ),
    ("bad YAML", "edition: [unclosed\n", "is not valid YAML"),
    ("not a mapping", "- just\n- a list\n", "must be a mapping"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "data", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_is_rejected_whole_with_a_clear_message(tmp_path, case, data, message):
    load_workbook(write(tmp_path, BASE))
    before = list(Question.objects.order_by("id").values_list("slug", "text", "retired_at"))
    # A valid edit earlier in the file must not be half-applied when a later part is bad.
    if isinstance(data, dict):
        data["sections"][0]["title"] = "Changed title"
    path = write(tmp_path, data, name="broken.yaml")
    with pytest.raises(WorkbookFileError) as error:
        load_workbook(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)
    assert list(Question.objects.order_by("id").values_list("slug", "text", "retired_at")) == before
    assert Section.objects.get(slug="profile").title == "Profile"


@pytest.mark.django_db
def test_a_question_is_grouped_by_its_group_or_its_readiness_dimension(tmp_path):
    load_workbook(write(tmp_path, readiness_with(question("ready-notes", group=" Notes "))))
    groups = dict(Question.objects.values_list("slug", "config__group"))
    assert groups == {
        "profile-name": None,
        "profile-kind": None,
        "profile-county-seat": None,
        "ready-data-quality": "Data",
        "ready-notes": "Notes",
    }


@pytest.mark.django_db
def test_command_reports_errors_as_command_errors(tmp_path):
    path = write(tmp_path, edited(sections__0__questions__0__type="essay"))
    with pytest.raises(CommandError, match="unknown field type"):
        call_command("load_workbook", str(path))


def test_the_shipped_workbook_is_complete(workbook_file):
    """The real content: 13 sections, 110+ questions, every field type, help and examples."""
    data = read_workbook_file(workbook_file)
    questions = [q for s in data["sections"] for q in s["questions"]]
    assert len(data["sections"]) >= 13
    assert len(questions) >= 110
    assert {q["type"] for q in questions} == set(FieldType.values)
    assert all(q["help"].strip() for q in questions)
    assert any(q.get("allow_other") for q in questions if q["type"] == "multiple_choice")
    assert sum(1 for q in questions if q.get("show_if")) >= 5
    roles = {q["scoring"]["role"] for q in questions if q.get("scoring")}
    assert {"readiness_item", "readiness_target", "risk_impact", "risk_mitigation"} <= roles


def test_every_readiness_target_offers_the_scored_levels_each_described(workbook_file):
    data = read_workbook_file(workbook_file)
    targets = [
        q
        for s in data["sections"]
        for q in s["questions"]
        if (q.get("scoring") or {}).get("role") == "readiness_target"
    ]
    assert len(targets) == len(data["dimensions"])
    for target in targets:
        assert [o["value"] for o in target["options"]] == ["1", "2", "3", "4", "5"]
        assert [o["label"] for o in target["options"]] == [
            f"{level} – {name}" for level, name in enumerate(LEVELS, start=1)
        ]
        assert all(o["description"] for o in target["options"])


@pytest.mark.django_db
def test_clauses_are_kept_with_their_options_and_filled_placeholders_are_accepted(tmp_path):
    data = edited(
        sections__0__questions__1__options__0__clause=(
            "{Jurisdiction} is a city; {answer:profile-name} signs, {{literally}}."
        ),
    )
    data["sections"][0]["questions"].append(
        {
            "slug": "profile-register",
            "type": "yes_no",
            "text": "Publish a register?",
            "help": "Yes or no.",
            "clauses": {"yes": "{Jurisdiction} must publish it.", "no": "It stays internal."},
        }
    )
    load_workbook(write(tmp_path, data))
    kind = Question.objects.get(slug="profile-kind")
    assert kind.options[0]["clause"].startswith("{Jurisdiction} is a city")
    register = Question.objects.get(slug="profile-register")
    assert register.config["clauses"]["yes"] == "{Jurisdiction} must publish it."


def test_every_number_in_the_shipped_workbook_has_bounds(workbook_file):
    """No negative hours, counts, money or people: each number question and column says its
    smallest allowed value, and where a largest one makes sense (a share, years), that too."""
    data = read_workbook_file(workbook_file)
    numbers = [
        (q["slug"], spec)
        for s in data["sections"]
        for q in s["questions"]
        for spec in [q, *(q.get("columns") or [])]
        if spec.get("type") == FieldType.NUMBER
    ]
    assert len(numbers) >= 8
    unbounded = [slug for slug, spec in numbers if spec.get("min") is None]
    assert unbounded == []
