"""Reads the workbook content file, checks all of it, then loads it in one transaction.

Loading is idempotent and keyed by slugs: edited text is updated in place, new content is added
and content missing from the file is retired (never deleted), so no answer is ever lost.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from workbook.content.clauses import ClauseError, check_clause
from workbook.models import FieldType, Question, Section, Workbook
from workbook.wizard.forms import posted_field_count

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLUMN_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
CHOICE_TYPES = {FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE}
SOURCE_KEYS = {"citation", "address", "checked", "source_checked", "note"}
COLUMN_TYPES = {
    FieldType.SHORT_TEXT,
    FieldType.LONG_TEXT,
    FieldType.NUMBER,
    FieldType.DATE,
    FieldType.YES_NO,
    FieldType.SINGLE_CHOICE,
}
CONFIG_KEYS = (
    "points",
    "columns",
    "min",
    "max",
    "max_length",
    "allow_other",
    "currency",
    "clauses",
)
DEFAULT_MAX_LENGTH = {FieldType.SHORT_TEXT: 200, FieldType.LONG_TEXT: 5000}


class WorkbookFileError(Exception):
    """The content file is malformed; the message names the file, section and question."""


@dataclass
class LoadReport:
    workbook: Workbook
    created: int
    updated: int
    retired: int


def _fail(
    path: Path, message: str, section: str | None = None, question: str | None = None
) -> NoReturn:
    where = [str(path)]
    if section:
        where.append(f"section '{section}'")
    if question:
        where.append(f"question '{question}'")
    raise WorkbookFileError(f"{', '.join(where)}: {message}")


def read_workbook_file(path: Path) -> dict[str, Any]:  # noqa: C901 - the checks, in file order
    """Parse and check the whole file; raise WorkbookFileError on the first fault."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(path, f"cannot be read ({exc.strerror})")
    except yaml.YAMLError as exc:
        _fail(path, f"is not valid YAML: {exc}")
    if not isinstance(data, dict):
        _fail(path, "must be a mapping with 'edition', 'version' and 'sections'")
    for key in ("edition", "version", "sections"):
        if not data.get(key):
            _fail(path, f"is missing '{key}'")
    if not isinstance(data["sections"], list):
        _fail(path, "'sections' must be a list")
    dimensions = {d.get("slug") for d in data.get("dimensions") or [] if isinstance(d, dict)}
    titles = dimension_titles(data)

    section_slugs: set[str] = set()
    question_slugs: set[str] = set()
    for index, section in enumerate(data["sections"], start=1):
        if not isinstance(section, dict):
            _fail(path, f"section #{index} must be a mapping")
        slug = section.get("slug") or f"#{index}"
        _check_section(path, section, slug, section_slugs)
        seen_in_section: dict[str, dict] = {}
        for q_index, question in enumerate(section["questions"], start=1):
            if not isinstance(question, dict):
                _fail(path, f"question #{q_index} must be a mapping", slug)
            q_slug = question.get("slug") or f"#{q_index}"
            _check_question(path, slug, q_slug, question, question_slugs, dimensions)
            _check_show_if(path, slug, q_slug, question, seen_in_section)
            seen_in_section[q_slug] = question
        _check_groups(path, slug, section["questions"], titles)
        if not any(q.get("example") for q in section["questions"]):
            _fail(path, "needs at least one question with a worked 'example'", slug)
        posted = posted_field_count(section["questions"])
        if posted > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
            _fail(
                path,
                f"a full page of it can post {posted} fields, more than the server accepts "
                f"({settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}, DATA_UPLOAD_MAX_NUMBER_FIELDS); "
                f"use fewer table columns or choices",
                slug,
            )
    _check_clauses(path, data["sections"], question_slugs)
    return data


def _check_section(path: Path, section: dict, slug: str, seen: set[str]) -> None:
    if not SLUG_RE.match(str(section.get("slug", ""))):
        _fail(path, "needs a 'slug' of lowercase letters, digits and hyphens", slug)
    if slug in seen:
        _fail(path, "duplicate section slug", slug)
    seen.add(slug)
    for key in ("title", "intro"):
        if not section.get(key):
            _fail(path, f"is missing '{key}'", slug)
    if section.get("scope", "jurisdiction") not in Section.Scope.values:
        _fail(path, f"unknown scope '{section.get('scope')}'", slug)
    if not isinstance(section.get("questions"), list) or not section["questions"]:
        _fail(path, "needs a non-empty list of 'questions'", slug)


def _check_question(  # noqa: C901 - one check per rule of the content format
    path: Path, section: str, slug: str, q: dict, seen: set[str], dimensions: set
) -> None:
    if not SLUG_RE.match(str(q.get("slug", ""))):
        _fail(path, "needs a 'slug' of lowercase letters, digits and hyphens", section, slug)
    if slug in seen:
        _fail(path, "duplicate question slug", section, slug)
    seen.add(slug)
    for key in ("text", "help"):
        if not q.get(key):
            _fail(path, f"is missing '{key}'", section, slug)
    field_type = q.get("type")
    if field_type not in FieldType.values:
        _fail(path, f"unknown field type '{field_type}'", section, slug)
    if field_type in CHOICE_TYPES:
        _check_options(path, section, slug, q.get("options"))
    if field_type == FieldType.SINGLE_CHOICE:
        described = [bool(o.get("description")) for o in q["options"]]
        if any(described) and not all(described):
            _fail(path, "give every option a 'description' (shown as cards) or none", section, slug)
    if "group" in q and not (isinstance(q["group"], str) and q["group"].strip()):
        _fail(path, "'group' must be the heading text", section, slug)
    if field_type == FieldType.SCALE:
        points = q.get("points") or []
        values = [p.get("value") for p in points if isinstance(p, dict)]
        if values != [1, 2, 3, 4, 5] or not all(
            p.get("label") and p.get("description") for p in points
        ):
            _fail(
                path,
                "a scale needs five 'points' 1–5, each with a label and description",
                section,
                slug,
            )
    if field_type == FieldType.TABLE:
        _check_columns(path, section, slug, q.get("columns"))
    _check_currency(path, section, slug, q, "")
    _check_bounds(path, section, slug, q, "")
    scoring = q.get("scoring")
    if scoring is not None:
        if not isinstance(scoring, dict) or "role" not in scoring:
            _fail(path, "'scoring' must be a mapping with a 'role'", section, slug)
        if "dimension" in scoring and scoring["dimension"] not in dimensions:
            _fail(path, f"unknown dimension '{scoring['dimension']}'", section, slug)


def dimension_titles(data: dict) -> dict[str, str]:
    return {
        str(d["slug"]): str(d.get("title") or d["slug"])
        for d in data.get("dimensions") or []
        if isinstance(d, dict) and "slug" in d
    }


def group_of(question: dict, titles: dict[str, str]) -> str | None:
    """The heading a question sits under: its `group`, else its readiness dimension's title."""
    if question.get("group"):
        return question["group"].strip()
    dimension = (question.get("scoring") or {}).get("dimension")
    return titles.get(dimension) if dimension else None


def _check_groups(path: Path, section: str, questions: list[dict], titles: dict) -> None:
    """A section is grouped when any question has a group; then every question has one, and
    each group's questions are next to each other, so each heading appears once."""
    groups = [group_of(q, titles) for q in questions]
    if not any(groups):
        return
    headings: list[str] = []
    for question, group in zip(questions, groups, strict=True):
        if not group:
            _fail(path, "the section is grouped: give it a 'group'", section, question.get("slug"))
        if headings and headings[-1] == group:
            continue
        if group in headings:
            _fail(
                path,
                f"the questions of group '{group}' must be next to each other",
                section,
                question.get("slug"),
            )
        headings.append(group)


def _check_options(path: Path, section: str, slug: str, options: Any) -> None:
    if not isinstance(options, list) or not options:
        _fail(path, "a choice question needs a non-empty list of 'options'", section, slug)
    values = [str(o.get("value", "")) if isinstance(o, dict) else "" for o in options]
    if not all(values) or not all(isinstance(o, dict) and o.get("label") for o in options):
        _fail(path, "every option needs a 'value' and a 'label'", section, slug)
    if len(set(values)) != len(values):
        _fail(path, "duplicate option value", section, slug)
    for option in options:
        if "sources" in option:
            option["sources"] = _option_sources(path, section, slug, option)


def _option_sources(path: Path, section: str, slug: str, option: dict) -> list[dict]:
    """The primary sources an option rests on (a prohibited category's law or city policy), each
    with its citation, https address and the date checked, kept as text for JSON storage, and
    whether its primary text was read there (a note says what was confirmed when it was not)."""
    where = f"option '{option['value']}': "
    sources = option["sources"]
    if not isinstance(sources, list) or not sources:
        _fail(path, f"{where}'sources' must be a non-empty list", section, slug)
    checked_sources = []
    for source in sources:
        if not isinstance(source, dict) or not set(source) <= SOURCE_KEYS:
            _fail(path, f"{where}a source has only {', '.join(sorted(SOURCE_KEYS))}", section, slug)
        if not str(source.get("citation") or "").strip():
            _fail(path, f"{where}a source needs a 'citation'", section, slug)
        if not re.match(r"^https://[^\s/]+\.\S+$", str(source.get("address") or "")):
            _fail(path, f"{where}a source needs an https 'address'", section, slug)
        try:
            checked = datetime.date.fromisoformat(str(source.get("checked")))
        except ValueError:
            _fail(path, f"{where}a source needs the date it was 'checked'", section, slug)
        if not isinstance(source.get("source_checked"), bool):
            _fail(path, f"{where}'source_checked' must be true or false", section, slug)
        if not source["source_checked"] and not str(source.get("note") or "").strip():
            _fail(path, f"{where}a source not read at its address needs a 'note'", section, slug)
        checked_sources.append(source | {"checked": checked.isoformat()})
    return checked_sources


def _check_columns(path: Path, section: str, slug: str, columns: Any) -> None:
    if not isinstance(columns, list) or not columns:
        _fail(path, "a table needs a non-empty list of 'columns'", section, slug)
    column_slugs = set()
    for column in columns:
        if not isinstance(column, dict) or not COLUMN_RE.match(str(column.get("slug", ""))):
            _fail(path, "every column needs a 'slug'", section, slug)
        name = column["slug"]
        if name in column_slugs:
            _fail(path, f"duplicate column '{name}'", section, slug)
        column_slugs.add(name)
        if not column.get("label"):
            _fail(path, f"column '{name}' needs a 'label'", section, slug)
        if column.get("type") not in COLUMN_TYPES:
            _fail(path, f"column '{name}' has unknown type '{column.get('type')}'", section, slug)
        if column["type"] == FieldType.SINGLE_CHOICE:
            _check_options(path, section, slug, column.get("options"))
        _check_currency(path, section, slug, column, f"column '{name}': ")
        _check_bounds(path, section, slug, column, f"column '{name}': ")


def _check_bounds(path: Path, section: str, slug: str, spec: dict, what: str) -> None:
    """`min` and `max` bound a number (question or column) and the form checks them."""
    bounds = {key: spec[key] for key in ("min", "max") if key in spec}
    if not bounds:
        return
    if spec.get("type") != FieldType.NUMBER:
        _fail(path, f"{what}'min' and 'max' belong on a number", section, slug)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in bounds.values()):
        _fail(path, f"{what}'min' and 'max' must be numbers", section, slug)
    if len(bounds) == 2 and bounds["min"] > bounds["max"]:
        _fail(path, f"{what}'min' is larger than 'max'", section, slug)


def _check_currency(path: Path, section: str, slug: str, spec: dict, what: str) -> None:
    """`currency: true` marks a number (question or column) read as an amount of money."""
    if "currency" not in spec:
        return
    if not isinstance(spec["currency"], bool) or spec.get("type") != FieldType.NUMBER:
        _fail(path, f"{what}'currency' must be true or false, on a number", section, slug)


def _clauses_of(question: dict) -> list[tuple[str, Any]]:
    """Each clause of a question with where it sits: options, scale points, yes and no."""
    found = [
        (f"option '{o.get('value')}'", o["clause"])
        for o in question.get("options") or []
        if isinstance(o, dict) and "clause" in o
    ]
    found += [
        (f"point {p.get('value')}", p["clause"])
        for p in question.get("points") or []
        if isinstance(p, dict) and "clause" in p
    ]
    clauses = question.get("clauses")
    if isinstance(clauses, dict):
        found += [(f"clause for '{key}'", text) for key, text in clauses.items()]
    return found


def _check_clauses(path: Path, sections: list[dict], question_slugs: set[str]) -> None:
    """Clauses are policy text for the documents; each placeholder must be one they can fill."""
    for section in sections:
        for question in section["questions"]:
            where = (section["slug"], question["slug"])
            clauses = question.get("clauses")
            if isinstance(clauses, dict):
                # YAML 1.1 reads an unquoted `yes:` key as true; the content means the answer.
                clauses = question["clauses"] = {
                    {True: "yes", False: "no"}.get(k, k): v for k, v in clauses.items()
                }
            if clauses is not None and (
                question.get("type") != FieldType.YES_NO
                or not isinstance(clauses, dict)
                or not set(clauses) <= {"yes", "no"}
            ):
                _fail(path, "'clauses' belongs on a yes/no question: {yes: …, no: …}", *where)
            for place, text in _clauses_of(question):
                if not isinstance(text, str) or not text.strip():
                    _fail(path, f"{place}: a clause must be non-empty text", *where)
                try:
                    check_clause(text, question_slugs)
                except ClauseError as exc:
                    _fail(path, f"{place}: the clause {exc}", *where)


def _check_show_if(path: Path, section: str, slug: str, q: dict, earlier: dict) -> None:
    condition = q.get("show_if")
    if condition is None:
        return
    if not isinstance(condition, dict) or not ({"equals", "in"} & condition.keys()):
        _fail(path, "'show_if' needs 'question' and 'equals' or 'in'", section, slug)
    target = condition.get("question")
    if target not in earlier:
        _fail(
            path,
            f"'show_if' points at missing question '{target}' (it must come earlier "
            "in the same section)",
            section,
            slug,
        )


def load_workbook(path: Path) -> LoadReport:
    """Check the file, then create or update the workbook it describes, all or nothing."""
    data = read_workbook_file(path)
    now = timezone.now()
    with transaction.atomic():
        workbook, _ = Workbook.objects.update_or_create(
            slug=slugify(data["edition"]),
            defaults={
                "edition": data["edition"],
                "version": str(data["version"]),
                "dimensions": data.get("dimensions") or [],
            },
        )
        sections = {s.slug: s for s in Section.objects.filter(workbook=workbook)}
        questions = {q.slug: q for q in Question.objects.filter(workbook=workbook)}
        created = updated = 0
        titles = dimension_titles(data)
        for position, spec in enumerate(data["sections"], start=1):
            section = sections.get(spec["slug"]) or Section(workbook=workbook, slug=spec["slug"])
            section.title = spec["title"]
            section.intro = spec["intro"]
            section.position = position
            section.scope = spec.get("scope", Section.Scope.JURISDICTION)
            section.retired_at = None
            section.save()
            sections.pop(spec["slug"], None)
            for q_position, q_spec in enumerate(spec["questions"], start=1):
                question = questions.pop(q_spec["slug"], None)
                if question is None:
                    question = Question(workbook=workbook, slug=q_spec["slug"])
                    created += 1
                else:
                    updated += 1
                _apply_question(question, q_spec, section, q_position, group_of(q_spec, titles))
                question.save()
        retired = Question.objects.filter(
            pk__in=[q.pk for q in questions.values()], retired_at__isnull=True
        ).update(retired_at=now)
        Section.objects.filter(
            pk__in=[s.pk for s in sections.values()], retired_at__isnull=True
        ).update(retired_at=now)
    return LoadReport(workbook=workbook, created=created, updated=updated, retired=retired)


def _apply_question(
    question: Question, spec: dict, section: Section, position: int, group: str | None
) -> None:
    question.section = section
    question.position = position
    question.field_type = spec["type"]
    question.text = spec["text"].strip()
    question.help_text = spec["help"].strip()
    question.example = str(spec.get("example") or "").strip()
    question.required = bool(spec.get("required", False))
    question.options = _stored_options(spec.get("options"))
    config = {key: spec[key] for key in CONFIG_KEYS if key in spec}
    if "columns" in config:
        # A choice column's options are kept as a choice question's are.
        config["columns"] = [
            {**column, "options": _stored_options(column["options"])}
            if "options" in column
            else column
            for column in config["columns"]
        ]
    if spec["type"] in DEFAULT_MAX_LENGTH:
        config.setdefault("max_length", DEFAULT_MAX_LENGTH[spec["type"]])
    if group:
        config["group"] = group
    question.config = config
    question.show_if = spec.get("show_if")
    question.scoring = spec.get("scoring")
    question.retired_at = None


def _stored_options(options: list[dict] | None) -> list[dict]:
    """Options as stored: each value a string, as a form posts it and an answer keeps it."""
    return [{**option, "value": str(option["value"])} for option in options or []]
