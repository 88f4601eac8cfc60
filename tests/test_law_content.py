"""The law content: the duties file, the NIST AI RMF file, applicability and coverage."""

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from strategy.law import content
from strategy.law.applicability import applicable_duties, applies_to
from strategy.law.checks import law_content_check
from strategy.law.coverage import Coverage, coverage
from strategy.law.loader import (
    KINDS,
    LawFileError,
    read_framework,
    read_obligations,
    workbook_questions,
)
from strategy.law.model import (
    Applicability,
    Category,
    Duty,
    Framework,
    Function,
    Level,
    Requirement,
    Status,
    Subcategory,
    _frozen,
)

WORKBOOK = Path(django_settings.WORKBOOK_FILE)
OBLIGATIONS = Path(django_settings.BASE_DIR) / "fixtures" / "obligations.yaml"
FRAMEWORK = Path(django_settings.BASE_DIR) / "fixtures" / "nist-ai-rmf.yaml"
DELETE = object()


def write(tmp_path: Path, data, name: str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shipped files


@pytest.fixture(scope="module")
def shipped():
    return read_obligations(OBLIGATIONS, WORKBOOK)


@pytest.fixture(scope="module")
def nist():
    return read_framework(FRAMEWORK, WORKBOOK)


def test_shipped_duties_load_with_breadth(shipped):
    states = {state for duty in shipped.duties for state in duty.applies.states}
    assert len(shipped.duties) >= 12
    assert len(states) >= 6
    assert any(duty.level is Level.FEDERAL for duty in shipped.duties)
    for duty in shipped.duties:
        assert duty.citation and duty.source.startswith("https://")
        assert isinstance(duty.checked, date) and isinstance(duty.effective, date)
        if duty.status is not Status.REPEALED_OR_REPLACED:
            assert duty.requires, duty.id
        if duty.status is Status.UNCERTAIN:
            assert duty.note, f"{duty.id}: an uncertain duty says what could not be confirmed"


def test_shipped_ada_dates_are_the_extended_ones(shipped):
    """The 2026 interim final rule moved both dates; the old ones must not come back."""
    large = shipped.get("ada-title-ii-web-50k-plus")
    small = shipped.get("ada-title-ii-web-under-50k")
    assert large.effective == date(2027, 4, 26)
    assert small.effective == date(2028, 4, 26)
    assert "91 FR 20902" in large.citation
    assert large.applies.min_population == 50000 == small.applies.below_population


def test_shipped_colorado_records_the_replacement(shipped):
    old = shipped.get("co-ai-act-2024")
    new = shipped.get("co-admt-consequential-decisions")
    assert old.status is Status.REPEALED_OR_REPLACED
    assert new.status is Status.ENACTED_NOT_IN_FORCE
    assert new.effective == date(2027, 1, 1)


def test_shipped_framework_has_the_ai_rmf_structure(nist):
    assert [f.id for f in nist.functions] == ["GOVERN", "MAP", "MEASURE", "MANAGE"]
    assert [len(f.categories) for f in nist.functions] == [6, 5, 4, 4]
    assert [sum(len(c.subcategories) for c in f.categories) for f in nist.functions] == [
        19,
        18,
        22,
        13,
    ]
    assert nist.subcategories[0].id == "GOVERN 1.1"
    assert nist.subcategories[-1].id == "MANAGE 4.3"
    assert len(nist.genai_risks) == 12
    # The mapping is carried onto the subcategories it names.
    assert "profile-existing-policies" in nist.subcategory("GOVERN 1.1").questions


def test_kinds_are_the_profiles_kinds():
    options = workbook_questions(WORKBOOK)["profile-jurisdiction-type"]["options"]
    assert set(options) == KINDS


def test_cached_reader_reads_the_shipped_files_once():
    content.clear()
    assert content.obligations() is content.obligations()
    assert content.framework() is content.framework()


def test_system_check_passes_on_the_shipped_files():
    assert law_content_check() == []


def test_system_check_fails_on_a_malformed_file(tmp_path, settings):
    data = yaml.safe_load(OBLIGATIONS.read_text(encoding="utf-8"))
    del data["duties"][0]["citation"]
    settings.LAW_OBLIGATIONS_FILE = write(tmp_path, data, "obligations.yaml")
    with pytest.raises(SystemCheckError, match="is missing 'citation'"):
        call_command("check")


# ---------------------------------------------------------------- duties file rejections

BASE = {
    "version": "test",
    "duties": [
        {
            "id": "fed-duty",
            "title": "A federal duty",
            "level": "federal",
            "applies": {"kinds": ["city", "county"], "min_population": 50000},
            "summary": "Staff must do a thing.",
            "requires": [
                {
                    "text": "Residents are told.",
                    "questions": ["engage-notice", "rules-disclosure"],
                    "answers": {"engage-notice": [True], "rules-disclosure": ["always"]},
                }
            ],
            "citation": "1 CFR 1.1",
            "source": "https://www.ecfr.gov/current/title-1",
            "effective": date(2027, 4, 26),
            "status": "delayed",
            "checked": date(2026, 12, 1),
        },
        {
            "id": "state-duty",
            "title": "A state duty",
            "level": "state",
            "applies": {"states": ["TX"], "kinds": ["city"], "departments": ["police"]},
            "summary": "Staff must do another thing.",
            "requires": [{"text": "Rules are adopted.", "questions": ["profile-adoption-route"]}],
            "citation": "Tex. Code § 1",
            "source": "https://statutes.capitol.texas.gov/",
            "effective": date(2026, 1, 1),
            "status": "in-force",
            "checked": date(2026, 12, 1),
        },
    ],
}


def edited(**changes):
    """BASE with changes: `duties__1__citation=DELETE`, `duties__0__status="gone"`."""
    data: Any = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target: Any = data
        *parents, last = dotted.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key: Any = int(last) if last.isdigit() else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return data


def test_base_duties_file_loads(tmp_path):
    loaded = read_obligations(write(tmp_path, BASE, "obligations.yaml"), WORKBOOK)
    assert [d.id for d in loaded.duties] == ["fed-duty", "state-duty"]
    assert loaded.duties[0].requires[0].answers["engage-notice"] == (True,)


def test_a_repealed_duty_may_require_nothing(tmp_path):
    data = edited(duties__1__requires=[], duties__1__status="repealed-or-replaced")
    loaded = read_obligations(write(tmp_path, data, "obligations.yaml"), WORKBOOK)
    assert loaded.duties[1].requires == ()


REJECTIONS = [
    (
        "missing-citation",
        {"duties__1__citation": DELETE},
        "duty 'state-duty': is missing 'citation'",
    ),
    ("missing-source", {"duties__1__source": DELETE}, "duty 'state-duty': is missing 'source'"),
    ("missing-status", {"duties__0__status": DELETE}, "duty 'fed-duty': is missing 'status'"),
    ("missing-checked", {"duties__0__checked": DELETE}, "duty 'fed-duty': is missing 'checked'"),
    ("missing-effective", {"duties__0__effective": ""}, "duty 'fed-duty': is missing 'effective'"),
    (
        "unknown-status",
        {"duties__0__status": "pending"},
        "duty 'fed-duty': unknown status 'pending'",
    ),
    ("unknown-level", {"duties__0__level": "county"}, "duty 'fed-duty': unknown level 'county'"),
    (
        "unknown-kind",
        {"duties__1__applies__kinds": ["city", "village"]},
        "duty 'state-duty': unknown kind of jurisdiction 'village'",
    ),
    (
        "unknown-state-code",
        {"duties__1__applies__states": ["TX", "XX"]},
        "duty 'state-duty': unknown state code 'XX'",
    ),
    (
        "state-duty-without-states",
        {"duties__1__applies__states": DELETE},
        "a state duty must name its states",
    ),
    (
        "federal-duty-with-states",
        {"duties__0__applies__states": ["TX"]},
        "a federal duty applies in every state",
    ),
    (
        "unknown-question",
        {"duties__1__requires__0__questions": ["no-such-question"]},
        "duty 'state-duty', requirement #1: unknown question 'no-such-question'",
    ),
    (
        "unknown-answer-option",
        {"duties__0__requires__0__answers__rules-disclosure": ["sometimes"]},
        "requirement #1: 'sometimes' is not an option of question 'rules-disclosure'",
    ),
    (
        "answer-for-a-question-not-listed",
        {"duties__0__requires__0__answers__rules-red": ["social-scoring"]},
        "'answers' names 'rules-red', which is not in its 'questions'",
    ),
    (
        "yes-no-answer-not-boolean",
        {"duties__0__requires__0__answers__engage-notice": ["maybe"]},
        "'answers.engage-notice' must be true or false",
    ),
    (
        "answers-on-a-text-question",
        {
            "duties__1__requires__0__questions": ["engage-notice-text"],
            "duties__1__requires__0__answers": {"engage-notice-text": ["x"]},
        },
        "'answers' can only name choice or yes/no questions",
    ),
    (
        "requirement-without-questions",
        {"duties__1__requires__0__questions": []},
        "requirement #1: needs a list of 'questions'",
    ),
    (
        "unknown-department",
        {"duties__1__applies__departments": ["space-program"]},
        "unknown department 'space-program'",
    ),
    (
        "unknown-use",
        {"duties__1__applies__uses": ["mind-reading"]},
        "unknown kind of AI use 'mind-reading'",
    ),
    (
        "population-bounds-crossed",
        {"duties__0__applies__below_population": 40000},
        "'applies.min_population' must be below 'applies.below_population'",
    ),
    (
        "population-not-a-number",
        {"duties__0__applies__min_population": "50k"},
        "'applies.min_population' must be a whole number",
    ),
    ("source-not-https", {"duties__1__source": "ftp://example.org/x"}, "must be an https address"),
    ("checked-not-a-date", {"duties__1__checked": "last week"}, "'checked' must be a date"),
    ("duplicate-id", {"duties__1__id": "fed-duty"}, "duty 'fed-duty': duplicate duty id"),
    ("bad-id", {"duties__1__id": "State Duty"}, "needs an 'id' of lowercase letters"),
    ("misspelt-key", {"duties__1__sorce": "https://x.org/"}, "unknown key 'sorce'"),
    (
        "empty-requires-in-force",
        {"duties__1__requires": []},
        "'requires' may be empty only for a repealed or replaced duty",
    ),
    ("missing-applies", {"duties__1__applies": DELETE}, "is missing 'applies'"),
    ("no-duties-list", {"duties": DELETE}, "must be a mapping with 'version'"),
]


@pytest.mark.parametrize(
    ("changes", "message"),
    [pytest.param(changes, message, id=name) for name, changes, message in REJECTIONS],
)
def test_duties_file_rejection(tmp_path, changes, message):
    path = write(tmp_path, edited(**changes), "obligations.yaml")
    with pytest.raises(LawFileError) as caught:
        read_obligations(path, WORKBOOK)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("duties: [\n", "is not valid YAML", id="invalid-yaml"),
        pytest.param("- just\n- a list\n", "must be a mapping", id="not-a-mapping"),
    ],
)
def test_duties_file_rejects_unreadable_content(tmp_path, text, message):
    with pytest.raises(LawFileError, match=message):
        read_obligations(write(tmp_path, text, "obligations.yaml"), WORKBOOK)


def test_duties_file_missing(tmp_path):
    with pytest.raises(LawFileError, match="cannot be read"):
        read_obligations(tmp_path / "absent.yaml", WORKBOOK)


# ---------------------------------------------------------------- framework file rejections


def framework_data():
    return yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))


def _unknown_mapping_id(data):
    data["mapping"]["gov-model"] = ["GOVERN 2.1", "GOVERN 9.9"]


def _unknown_mapping_question(data):
    data["mapping"]["no-such-question"] = ["GOVERN 1.1"]


def _subcategory_dropped(data):
    del data["functions"][1]["categories"][0]["subcategories"][2]


def _last_subcategory_dropped(data):
    data["functions"][3]["categories"][3]["subcategories"].pop()


def _category_misnumbered(data):
    data["functions"][2]["categories"][1]["id"] = "MEASURE 7"


def _functions_reordered(data):
    data["functions"].reverse()


def _risk_unknown_question(data):
    data["genai_profile"]["risks"][1]["questions"] = ["no-such-question"]


def _risk_dropped(data):
    data["genai_profile"]["risks"].pop()


def _source_missing(data):
    del data["source"]


def _checked_missing(data):
    del data["genai_profile"]["checked"]


def _subcategory_untitled(data):
    data["functions"][0]["categories"][0]["subcategories"][0]["title"] = ""


FRAMEWORK_REJECTIONS = [
    (_unknown_mapping_id, "mapping for question 'gov-model': unknown subcategory id 'GOVERN 9.9'"),
    (_unknown_mapping_question, "mapping for question 'no-such-question': unknown question"),
    (_subcategory_dropped, "category 'MAP 1': expected subcategory 'MAP 1.3', found 'MAP 1.4'"),
    (_last_subcategory_dropped, "has 71 subcategories; AI RMF 1.0 has 72"),
    (_category_misnumbered, "function 'MEASURE': expected category 'MEASURE 2', found 'MEASURE 7'"),
    (_functions_reordered, "'functions' must be GOVERN, MAP, MEASURE, MANAGE in that order"),
    (_risk_unknown_question, "risk 'confabulation': unknown question 'no-such-question'"),
    (_risk_dropped, "lists 11 risks; NIST AI 600-1 has 12"),
    (_source_missing, "is missing 'source'"),
    (_checked_missing, "genai_profile: is missing 'checked'"),
    (_subcategory_untitled, "subcategory 'GOVERN 1.1': is missing 'title'"),
]


@pytest.mark.parametrize(
    ("edit", "message"),
    [pytest.param(edit, message, id=edit.__name__[1:]) for edit, message in FRAMEWORK_REJECTIONS],
)
def test_framework_file_rejection(tmp_path, edit, message):
    data = framework_data()
    edit(data)
    path = write(tmp_path, data, "nist-ai-rmf.yaml")
    with pytest.raises(LawFileError) as caught:
        read_framework(path, WORKBOOK)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


# ---------------------------------------------------------------- applicability


def ids(duties):
    return [d.id for d in duties]


def test_texas_city_of_60000(shipped):
    found = ids(applicable_duties(shipped.duties, "TX", 60000, "city"))
    assert found[0] == "ada-title-ii-web-50k-plus"  # federal first
    assert {
        "tx-traiga-ai-interaction-notice",
        "tx-traiga-government-prohibited-uses",
        "tx-traiga-local-preemption",
    } <= set(found)
    assert "ada-title-ii-web-under-50k" not in found
    assert not [i for i in found if i.startswith(("ca-", "co-", "il-", "ut-", "wa-", "mt-"))]


def test_small_colorado_town(shipped):
    found = ids(applicable_duties(shipped.duties, "CO", 3000, "town"))
    assert "ada-title-ii-web-under-50k" in found
    assert "ada-title-ii-web-50k-plus" not in found
    assert {"co-admt-consequential-decisions", "co-facial-recognition"} <= set(found)
    assert "co-ai-act-2024" not in found  # repealed: binds no one
    with_history = ids(applicable_duties(shipped.duties, "CO", 3000, "town", include_repealed=True))
    assert "co-ai-act-2024" in with_history


def test_california_county(shipped):
    found = ids(applicable_duties(shipped.duties, "CA", 900000, "county"))
    assert {"ada-title-ii-web-50k-plus", "ca-sb524-ai-police-reports"} <= set(found)
    assert "ca-fehc-automated-decision-systems" in found
    assert not [i for i in found if i.startswith("tx-")]


def test_special_district_gets_the_later_ada_date_whatever_its_size(shipped):
    found = ids(applicable_duties(shipped.duties, "IL", 250000, "special-district"))
    assert "ada-title-ii-web-special-districts" in found
    assert "ada-title-ii-web-50k-plus" not in found
    assert "ada-title-ii-web-under-50k" not in found


def duty(**applies) -> Duty:
    return Duty(
        id="d",
        title="D",
        level=Level.STATE if applies.get("states") else Level.FEDERAL,
        applies=Applicability(**{"kinds": frozenset({"city", "county"}), **applies}),
        summary="",
        requires=(),
        citation="",
        source="https://x.org/",
        effective=date(2026, 1, 1),
        status=Status.IN_FORCE,
        checked=date(2026, 12, 1),
    )


@pytest.mark.parametrize(
    ("applies", "state", "population", "kind", "expected"),
    [
        pytest.param({}, "TX", 100, "city", True, id="federal-everywhere"),
        pytest.param({"states": frozenset({"TX"})}, "TX", 100, "city", True, id="in-state"),
        pytest.param({"states": frozenset({"TX"})}, "tx", 100, "city", True, id="state-any-case"),
        pytest.param({"states": frozenset({"TX"})}, "CA", 100, "city", False, id="other-state"),
        pytest.param({}, "TX", 100, "town", False, id="kind-not-listed"),
        pytest.param({"min_population": 50000}, "TX", 50000, "city", True, id="at-threshold"),
        pytest.param({"min_population": 50000}, "TX", 49999, "city", False, id="below-threshold"),
        pytest.param({"below_population": 50000}, "TX", 49999, "city", True, id="under-cap"),
        pytest.param({"below_population": 50000}, "TX", 50000, "city", False, id="at-cap"),
        pytest.param({"min_population": 50000}, "TX", None, "city", True, id="population-unknown"),
        pytest.param({"states": frozenset({"TX"})}, None, 100, "city", True, id="state-unknown"),
        pytest.param({}, "TX", 100, None, True, id="kind-unknown"),
    ],
)
def test_applies_to(applies, state, population, kind, expected):
    assert applies_to(duty(**applies), state, population, kind) is expected


# ---------------------------------------------------------------- requirements met by answers


@pytest.mark.parametrize(
    ("answers", "slug", "value", "expected"),
    [
        pytest.param({}, "q", "anything", True, id="any-answer"),
        pytest.param({}, "q", "", False, id="empty-answer"),
        pytest.param({}, "q", None, False, id="no-answer"),
        pytest.param({"q": (True,)}, "q", True, True, id="yes-wanted-yes"),
        pytest.param({"q": (True,)}, "q", False, False, id="yes-wanted-no"),
        pytest.param({"q": ("always",)}, "q", "always", True, id="choice-match"),
        pytest.param({"q": ("always",)}, "q", "never", False, id="choice-miss"),
        pytest.param({"q": ("a", "b")}, "q", {"selected": ["c", "b"]}, True, id="multi-match"),
        pytest.param({"q": ("a",)}, "q", {"selected": ["c"]}, False, id="multi-miss"),
    ],
)
def test_requirement_met_by(answers, slug, value, expected):
    requirement = Requirement(text="t", questions=("q",), answers=_frozen(answers))
    assert requirement.met_by(slug, value) is expected


# ---------------------------------------------------------------- coverage


def small_framework() -> Framework:
    """Two functions: A has one fully mapped category and one with an unmapped subcategory."""

    def sub(sub_id, *questions):
        return Subcategory(sub_id, sub_id, questions)

    return Framework(
        name="F",
        publication="P",
        source="https://x.org/",
        checked=date(2026, 12, 1),
        functions=(
            Function(
                "A",
                "A",
                (
                    Category("A 1", "A 1", (sub("A 1.1", "q1"), sub("A 1.2", "q2", "q3"))),
                    Category("A 2", "A 2", (sub("A 2.1", "q4"), sub("A 2.2"))),
                ),
            ),
            Function("B", "B", (Category("B 1", "B 1", (sub("B 1.1", "q5"),)),)),
        ),
        mapping=_frozen({}),
        genai_publication="G",
        genai_source="https://x.org/",
        genai_checked=date(2026, 12, 1),
        genai_risks=(),
    )


@pytest.mark.parametrize(
    ("answered", "categories", "functions", "closing"),
    [
        pytest.param(
            [],
            {"A 1": Coverage.NOT_COVERED, "A 2": Coverage.NOT_COVERED, "B 1": Coverage.NOT_COVERED},
            {"A": Coverage.NOT_COVERED, "B": Coverage.NOT_COVERED},
            {"A 1": ("q1", "q2", "q3"), "A 2": ("q4",), "B 1": ("q5",)},
            id="nothing-answered",
        ),
        pytest.param(
            ["q1"],
            {"A 1": Coverage.PARTLY, "A 2": Coverage.NOT_COVERED, "B 1": Coverage.NOT_COVERED},
            {"A": Coverage.PARTLY, "B": Coverage.NOT_COVERED},
            {"A 1": ("q2", "q3"), "A 2": ("q4",), "B 1": ("q5",)},
            id="one-subcategory",
        ),
        pytest.param(
            ["q1", "q3", "q5"],
            {"A 1": Coverage.COVERED, "A 2": Coverage.NOT_COVERED, "B 1": Coverage.COVERED},
            {"A": Coverage.PARTLY, "B": Coverage.COVERED},
            {"A 1": (), "A 2": ("q4",), "B 1": ()},
            id="one-of-two-questions-is-enough",
        ),
        pytest.param(
            ["q1", "q2", "q4", "q5", "not-mapped"],
            {"A 1": Coverage.COVERED, "A 2": Coverage.PARTLY, "B 1": Coverage.COVERED},
            {"A": Coverage.PARTLY, "B": Coverage.COVERED},
            {"A 1": (), "A 2": (), "B 1": ()},
            id="unmapped-subcategory-keeps-category-partly",
        ),
    ],
)
def test_coverage_table(answered, categories, functions, closing):
    result = coverage(small_framework(), answered)
    assert {f.id: f.status for f in result} == functions
    by_category = {c.id: c for f in result for c in f.categories}
    assert {cid: c.status for cid, c in by_category.items()} == categories
    assert {cid: c.closing_questions for cid, c in by_category.items()} == closing
    assert by_category["A 2"].outside_workbook == ("A 2.2",)
    assert by_category["A 1"].outside_workbook == ()


def test_coverage_counts_and_function_gaps():
    result = coverage(small_framework(), ["q1"])
    first = result[0]
    assert (first.addressed, first.total) == (1, 4)
    assert first.closing_questions == ("q2", "q3", "q4")


def test_coverage_of_the_shipped_framework(nist):
    none = coverage(nist, [])
    assert {f.status for f in none} == {Coverage.NOT_COVERED}
    everything = coverage(nist, nist.mapping.keys())
    for function in everything:
        for category in function.categories:
            outside = len(category.outside_workbook)
            if not outside:
                expected = Coverage.COVERED
            elif outside == len(category.subcategories):
                expected = Coverage.NOT_COVERED
            else:
                expected = Coverage.PARTLY
            assert category.status is expected, category.id
            assert category.closing_questions == ()
    # GOVERN is asked about in full; MEASURE has technical testing the workbook leaves out.
    statuses = {f.id: f.status for f in everything}
    assert statuses["GOVERN"] is Coverage.COVERED
    assert statuses["MEASURE"] is Coverage.PARTLY
