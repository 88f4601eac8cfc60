"""Reads and checks the duties file and the NIST framework file; nothing is stored in the database.

Both files name workbook questions by slug, so both are checked against the workbook content
file: a slug that is not a question there is rejected, as is an answer that is not one of the
question's options. Each rejection names the file and the entry, as the workbook loader does.
"""

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

import yaml

from strategy.law.model import (
    Applicability,
    Category,
    Duty,
    Framework,
    Function,
    GenAIRisk,
    Level,
    Obligations,
    Requirement,
    Status,
    Subcategory,
    _frozen,
)

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The kinds of jurisdiction the profile offers (profile-jurisdiction-type); a test holds the two
# lists together.
KINDS = frozenset({"city", "county", "town", "special-district", "regional-council"})

# The 50 states, DC and the five inhabited territories.
STATE_CODES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
    ]
)

# Kinds of AI use a duty can be limited to; the app asks or infers which a jurisdiction makes.
USES = frozenset(
    {
        "any-ai",
        "resident-facing-ai",
        "generative-ai",
        "published-content",
        "web-and-app-content",
        "employment-decisions",
        "consequential-decisions",
        "facial-recognition",
        "biometric-identification",
        "social-scoring",
        "police-reports",
        "video-interviews",
        "local-ai-rules",
    }
)

DEPARTMENTS_QUESTION = "profile-departments"
DUTY_KEYS = {
    "id",
    "title",
    "level",
    "applies",
    "summary",
    "requires",
    "citation",
    "source",
    "see_also",
    "effective",
    "status",
    "checked",
    "note",
}
REQUIRED_DUTY_KEYS = (
    "title",
    "level",
    "summary",
    "citation",
    "source",
    "effective",
    "status",
    "checked",
)
APPLIES_KEYS = {"states", "kinds", "min_population", "below_population", "departments", "uses"}

FUNCTION_IDS = ("GOVERN", "MAP", "MEASURE", "MANAGE")
# AI RMF 1.0 has 19 categories and 72 subcategories; a count off means an entry was lost.
CATEGORY_COUNT = 19
SUBCATEGORY_COUNT = 72
GENAI_RISK_COUNT = 12


class LawFileError(Exception):
    """A duties or framework file is malformed; the message names the file and the entry."""


def _fail(path: Path, message: str, *where: str) -> NoReturn:
    raise LawFileError(", ".join([str(path), *where]) + f": {message}")


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(path, f"cannot be read ({exc.strerror})")
    except yaml.YAMLError as exc:
        _fail(path, f"is not valid YAML: {exc}")


# ---------------------------------------------------------------- the workbook's questions


def workbook_questions(path: Path) -> dict[str, dict]:
    """Every question in the workbook content file by slug: {"type": ..., "options": [...]}."""
    try:
        modified = Path(path).stat().st_mtime_ns
    except OSError as exc:
        _fail(path, f"cannot be read ({exc.strerror})")
    return _workbook_questions(str(path), modified)


# The workbook file is large and read by both law files and every check; keyed by its
# modification time so that an edited file is read again.
@lru_cache(maxsize=4)
def _workbook_questions(path: str, modified: int) -> dict[str, dict]:
    data = _read_yaml(Path(path))
    questions: dict[str, dict] = {}
    for section in (data or {}).get("sections") or []:
        for question in section.get("questions") or []:
            options = [str(o.get("value")) for o in question.get("options") or []]
            questions[str(question.get("slug"))] = {
                "type": question.get("type"),
                "options": options,
            }
    if not questions:
        _fail(Path(path), "has no questions to check the law files against")
    return questions


# ---------------------------------------------------------------- duties


def read_obligations(path: Path, workbook_path: Path) -> Obligations:
    """Parse and check the duties file; raise LawFileError on the first fault."""
    questions = workbook_questions(workbook_path)
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("duties"), list):
        _fail(path, "must be a mapping with 'version' and a list of 'duties'")
    if not data.get("version"):
        _fail(path, "is missing 'version'")
    seen: set[str] = set()
    duties = []
    for index, entry in enumerate(data["duties"], start=1):
        if not isinstance(entry, dict):
            _fail(path, "must be a mapping", f"duty #{index}")
        duty_id = str(entry.get("id") or "")
        where = f"duty '{duty_id}'" if duty_id else f"duty #{index}"
        if not ID_RE.match(duty_id):
            _fail(path, "needs an 'id' of lowercase letters, digits and hyphens", where)
        if duty_id in seen:
            _fail(path, "duplicate duty id", where)
        seen.add(duty_id)
        duties.append(_duty(path, where, entry, questions))
    if not duties:
        _fail(path, "has no duties")
    return Obligations(version=str(data["version"]), duties=tuple(duties))


def _duty(path: Path, where: str, entry: dict, questions: dict[str, dict]) -> Duty:
    unknown = sorted(set(entry) - DUTY_KEYS)
    if unknown:
        _fail(path, f"unknown key '{unknown[0]}'", where)
    for key in REQUIRED_DUTY_KEYS:
        if entry.get(key) in (None, ""):
            _fail(path, f"is missing '{key}'", where)
    level = _choice(path, where, "level", entry["level"], Level)
    status = _choice(path, where, "status", entry["status"], Status)
    for key in ("title", "summary", "citation"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            _fail(path, f"'{key}' must be non-empty text", where)
    source = _address(path, where, "source", entry["source"])
    see_also = entry.get("see_also") or []
    if not isinstance(see_also, list):
        _fail(path, "'see_also' must be a list of addresses", where)
    requires = entry.get("requires")
    if not isinstance(requires, list):
        _fail(path, "'requires' must be a list", where)
    if not requires and status is not Status.REPEALED_OR_REPLACED:
        _fail(path, "'requires' may be empty only for a repealed or replaced duty", where)
    return Duty(
        id=entry["id"],
        title=entry["title"].strip(),
        level=level,
        applies=_applies(path, where, entry.get("applies"), level, questions),
        summary=" ".join(entry["summary"].split()),
        requires=tuple(
            _requirement(path, where, f"requirement #{n}", item, questions)
            for n, item in enumerate(requires, start=1)
        ),
        citation=entry["citation"].strip(),
        source=source,
        effective=_date(path, where, "effective", entry["effective"]),
        status=status,
        checked=_date(path, where, "checked", entry["checked"]),
        see_also=tuple(_address(path, where, "see_also", a) for a in see_also),
        note=" ".join(str(entry.get("note") or "").split()),
    )


def _choice[E: (Level, Status)](path: Path, where: str, key: str, value: Any, enum: type[E]) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        _fail(path, f"unknown {key} '{value}' (one of: {allowed})", where)


def _address(path: Path, where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"^https://[^\s/]+\.[^\s]+$", value):
        _fail(path, f"'{key}' must be an https address, not '{value}'", where)
    return value


def _date(path: Path, where: str, key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        _fail(path, f"'{key}' must be a date (YYYY-MM-DD), not '{value}'", where)


def _applies(  # noqa: C901 - one check per rule of the applies block
    path: Path, where: str, applies: Any, level: Level, questions: dict[str, dict]
) -> Applicability:
    if not isinstance(applies, dict):
        _fail(path, "is missing 'applies'", where)
    unknown = sorted(set(applies) - APPLIES_KEYS)
    if unknown:
        _fail(path, f"unknown key 'applies.{unknown[0]}'", where)
    kinds = applies.get("kinds")
    if not isinstance(kinds, list) or not kinds:
        _fail(path, "'applies.kinds' must list the kinds of jurisdiction", where)
    for kind in kinds:
        if kind not in KINDS:
            _fail(path, f"unknown kind of jurisdiction '{kind}'", where)
    states = applies.get("states") or []
    if not isinstance(states, list):
        _fail(path, "'applies.states' must be a list of two-letter codes", where)
    for state in states:
        if state not in STATE_CODES:
            _fail(path, f"unknown state code '{state}'", where)
    if level is Level.STATE and not states:
        _fail(path, "a state duty must name its states in 'applies.states'", where)
    if level is Level.FEDERAL and states:
        _fail(path, "a federal duty applies in every state; leave out 'applies.states'", where)
    bounds = {}
    for key in ("min_population", "below_population"):
        value = applies.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            _fail(path, f"'applies.{key}' must be a whole number of residents", where)
        bounds[key] = value
    low, high = bounds["min_population"], bounds["below_population"]
    if low is not None and high is not None and low >= high:
        _fail(path, "'applies.min_population' must be below 'applies.below_population'", where)
    departments = applies.get("departments") or []
    known_departments = set(questions.get(DEPARTMENTS_QUESTION, {}).get("options", []))
    for department in departments:
        if department not in known_departments:
            _fail(path, f"unknown department '{department}' (see {DEPARTMENTS_QUESTION})", where)
    uses = applies.get("uses") or []
    for use in uses:
        if use not in USES:
            _fail(path, f"unknown kind of AI use '{use}'", where)
    return Applicability(
        kinds=frozenset(kinds),
        states=frozenset(states),
        min_population=low,
        below_population=high,
        departments=tuple(departments),
        uses=tuple(uses),
    )


def _requirement(
    path: Path, where: str, which: str, item: Any, questions: dict[str, dict]
) -> Requirement:
    if not isinstance(item, dict):
        _fail(path, "must be a mapping with 'text' and 'questions'", where, which)
    unknown = sorted(set(item) - {"text", "questions", "answers"})
    if unknown:
        _fail(path, f"unknown key '{unknown[0]}'", where, which)
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        _fail(path, "needs a 'text'", where, which)
    slugs = item.get("questions")
    if not isinstance(slugs, list) or not slugs:
        _fail(path, "needs a list of 'questions' that meet it", where, which)
    for slug in slugs:
        if slug not in questions:
            _fail(path, f"unknown question '{slug}'", where, which)
    answers = item.get("answers") or {}
    if not isinstance(answers, dict):
        _fail(path, "'answers' must map question slugs to lists of answers", where, which)
    checked = {
        slug: _answers(path, where, which, slug, values, slugs, questions)
        for slug, values in answers.items()
    }
    return Requirement(
        text=" ".join(text.split()), questions=tuple(slugs), answers=_frozen(checked)
    )


def _answers(
    path: Path,
    where: str,
    which: str,
    slug: str,
    values: Any,
    slugs: list[str],
    questions: dict[str, dict],
) -> tuple:
    if slug not in slugs:
        _fail(path, f"'answers' names '{slug}', which is not in its 'questions'", where, which)
    if not isinstance(values, list) or not values:
        _fail(path, f"'answers.{slug}' must be a non-empty list", where, which)
    question = questions[slug]
    if question["type"] == "yes_no":
        if not all(isinstance(v, bool) for v in values):
            _fail(path, f"'answers.{slug}' must be true or false (a yes/no question)", where, which)
        return tuple(values)
    if question["type"] in ("single_choice", "multiple_choice"):
        for value in values:
            if str(value) not in question["options"]:
                _fail(path, f"'{value}' is not an option of question '{slug}'", where, which)
        return tuple(str(v) for v in values)
    _fail(path, f"'answers' can only name choice or yes/no questions, not '{slug}'", where, which)


# ---------------------------------------------------------------- framework


def read_framework(path: Path, workbook_path: Path) -> Framework:
    """Parse and check the NIST AI RMF file; raise LawFileError on the first fault."""
    questions = workbook_questions(workbook_path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        _fail(path, "must be a mapping with 'functions', 'mapping' and 'genai_profile'")
    for key in ("framework", "publication", "source", "checked", "functions", "mapping"):
        if data.get(key) in (None, ""):
            _fail(path, f"is missing '{key}'")
    functions = _functions(path, data["functions"])
    known = {s.id for f in functions for c in f.categories for s in c.subcategories}
    mapping = _mapping(path, data["mapping"], known, questions)
    by_subcategory: dict[str, list[str]] = {}
    for slug, ids in mapping.items():
        for sub_id in ids:
            by_subcategory.setdefault(sub_id, []).append(slug)
    functions = tuple(
        Function(
            f.id,
            f.title,
            tuple(
                Category(
                    c.id,
                    c.title,
                    tuple(
                        Subcategory(s.id, s.title, tuple(by_subcategory.get(s.id, ())))
                        for s in c.subcategories
                    ),
                )
                for c in f.categories
            ),
        )
        for f in functions
    )
    genai = data.get("genai_profile")
    if not isinstance(genai, dict):
        _fail(path, "is missing 'genai_profile'")
    for key in ("publication", "source", "checked", "risks"):
        if genai.get(key) in (None, ""):
            _fail(path, f"is missing '{key}'", "genai_profile")
    return Framework(
        name=str(data["framework"]),
        publication=str(data["publication"]),
        source=_address(path, "framework", "source", data["source"]),
        checked=_date(path, "framework", "checked", data["checked"]),
        functions=functions,
        mapping=_frozen({slug: tuple(ids) for slug, ids in mapping.items()}),
        genai_publication=str(genai["publication"]),
        genai_source=_address(path, "genai_profile", "source", genai["source"]),
        genai_checked=_date(path, "genai_profile", "checked", genai["checked"]),
        genai_risks=_risks(path, genai["risks"], questions),
        see_also=tuple(
            _address(path, "framework", "see_also", a) for a in data.get("see_also") or []
        ),
    )


def _functions(path: Path, functions: Any) -> tuple[Function, ...]:
    if not isinstance(functions, list):
        _fail(path, "'functions' must be a list")
    ids = tuple(f.get("id") if isinstance(f, dict) else None for f in functions)
    if ids != FUNCTION_IDS:
        _fail(path, f"'functions' must be {', '.join(FUNCTION_IDS)} in that order, not {ids}")
    result = []
    for spec in functions:
        where = f"function '{spec['id']}'"
        if not spec.get("title"):
            _fail(path, "is missing 'title'", where)
        categories = spec.get("categories")
        if not isinstance(categories, list) or not categories:
            _fail(path, "needs a list of 'categories'", where)
        result.append(
            Function(
                spec["id"],
                str(spec["title"]),
                tuple(_category(path, spec["id"], n, c) for n, c in enumerate(categories, 1)),
            )
        )
    categories_total = sum(len(f.categories) for f in result)
    subcategories_total = sum(len(c.subcategories) for f in result for c in f.categories)
    if categories_total != CATEGORY_COUNT:
        _fail(path, f"has {categories_total} categories; AI RMF 1.0 has {CATEGORY_COUNT}")
    if subcategories_total != SUBCATEGORY_COUNT:
        _fail(path, f"has {subcategories_total} subcategories; AI RMF 1.0 has {SUBCATEGORY_COUNT}")
    return tuple(result)


def _category(path: Path, function_id: str, number: int, spec: Any) -> Category:
    expected = f"{function_id} {number}"
    if not isinstance(spec, dict) or spec.get("id") != expected:
        found = spec.get("id") if isinstance(spec, dict) else spec
        _fail(path, f"expected category '{expected}', found '{found}'", f"function '{function_id}'")
    where = f"category '{expected}'"
    if not spec.get("title"):
        _fail(path, "is missing 'title'", where)
    subs = spec.get("subcategories")
    if not isinstance(subs, list) or not subs:
        _fail(path, "needs a list of 'subcategories'", where)
    result = []
    for n, sub in enumerate(subs, start=1):
        sub_id = f"{expected}.{n}"
        if not isinstance(sub, dict) or sub.get("id") != sub_id:
            found = sub.get("id") if isinstance(sub, dict) else sub
            _fail(path, f"expected subcategory '{sub_id}', found '{found}'", where)
        if not sub.get("title"):
            _fail(path, "is missing 'title'", f"subcategory '{sub_id}'")
        result.append(Subcategory(sub_id, str(sub["title"])))
    return Category(expected, str(spec["title"]), tuple(result))


def _mapping(
    path: Path, mapping: Any, known: set[str], questions: dict[str, dict]
) -> dict[str, list[str]]:
    if not isinstance(mapping, dict) or not mapping:
        _fail(path, "'mapping' must map question slugs to lists of subcategory ids")
    for slug, ids in mapping.items():
        where = f"mapping for question '{slug}'"
        if slug not in questions:
            _fail(path, f"unknown question '{slug}'", where)
        if not isinstance(ids, list) or not ids:
            _fail(path, "must list the subcategory ids the question addresses", where)
        for sub_id in ids:
            if sub_id not in known:
                _fail(path, f"unknown subcategory id '{sub_id}'", where)
        if len(set(ids)) != len(ids):
            _fail(path, "names a subcategory twice", where)
    return mapping


def _risks(path: Path, risks: Any, questions: dict[str, dict]) -> tuple[GenAIRisk, ...]:
    if not isinstance(risks, list):
        _fail(path, "'risks' must be a list", "genai_profile")
    seen: set[str] = set()
    result = []
    for index, risk in enumerate(risks, start=1):
        if not isinstance(risk, dict):
            _fail(path, "must be a mapping", f"risk #{index}")
        risk_id = str(risk.get("id") or "")
        where = f"risk '{risk_id}'" if risk_id else f"risk #{index}"
        if not ID_RE.match(risk_id) or risk_id in seen:
            _fail(path, "needs a unique 'id' of lowercase letters, digits and hyphens", where)
        seen.add(risk_id)
        for key in ("title", "summary"):
            if not risk.get(key):
                _fail(path, f"is missing '{key}'", where)
        slugs = risk.get("questions")
        if not isinstance(slugs, list):
            _fail(path, "'questions' must be a list (empty if no question addresses it)", where)
        for slug in slugs:
            if slug not in questions:
                _fail(path, f"unknown question '{slug}'", where)
        result.append(GenAIRisk(risk_id, str(risk["title"]), str(risk["summary"]), tuple(slugs)))
    if len(result) != GENAI_RISK_COUNT:
        _fail(
            path,
            f"lists {len(result)} risks; NIST AI 600-1 has {GENAI_RISK_COUNT}",
            "genai_profile",
        )
    return tuple(result)
