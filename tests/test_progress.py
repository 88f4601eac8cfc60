"""The one progress count: sections by status and required questions answered."""

import pytest

from strategy.answers import all_sections_approved
from tests.team_fixtures import complete_section, first_section, make_team
from workbook.answers.progress import (
    Progress,
    annotate_progress,
    annotated_progress,
    count_progress,
    summaries_for,
)
from workbook.models import (
    FieldType,
    Jurisdiction,
    Question,
    Section,
    SectionProgress,
    SectionStatus,
)
from workbook.wizard.state import WorkbookState

BASICS, PLAN, RULES = (Section(pk=n, slug=f"s{n}") for n in (1, 2, 3))


def question(slug: str, required: bool = True, show_if: dict | None = None) -> Question:
    return Question(slug=slug, field_type=FieldType.SHORT_TEXT, required=required, show_if=show_if)


QUESTIONS = {
    1: [question("name"), question("nickname", required=False)],
    2: [question("has-plan"), question("plan", show_if={"question": "has-plan", "equals": "yes"})],
    3: [question("red-lines")],
}


def test_sections_are_counted_by_status():
    statuses = {1: SectionStatus.APPROVED, 2: SectionStatus.COMPLETE, 3: SectionStatus.IN_PROGRESS}
    counted = count_progress([BASICS, PLAN, RULES], statuses)
    assert counted == Progress(total=3, started_count=3, complete_count=2, approved_count=1)
    assert counted.percent == 67
    assert not counted.all_approved
    # A section without a stored status has not started; statuses of others are not counted.
    counted = count_progress([BASICS, PLAN], {1: SectionStatus.APPROVED, 9: SectionStatus.APPROVED})
    assert (counted.total, counted.started_count, counted.approved_count) == (2, 1, 1)
    assert count_progress([BASICS], {1: SectionStatus.APPROVED}).all_approved
    assert count_progress([], {}).percent == 0
    assert not count_progress([], {}).all_approved


@pytest.mark.parametrize(
    ("values", "answered", "required"),
    [
        ({}, 0, 3),
        ({"name": "Town", "nickname": "T"}, 1, 3),
        ({"has-plan": "no"}, 1, 3),
        ({"has-plan": "yes"}, 1, 4),  # the plan question is shown now
        ({"name": "Town", "has-plan": "yes", "plan": "Yes", "red-lines": " "}, 3, 4),
    ],
)
def test_required_questions_are_counted_when_shown(values, answered, required):
    counted = count_progress([BASICS, PLAN, RULES], {}, QUESTIONS, values)
    assert (counted.required_answered, counted.required_total) == (answered, required)


def test_without_answers_no_required_questions_are_counted():
    counted = count_progress([BASICS], {})
    assert counted.required_total is None and counted.required_answered is None


@pytest.mark.django_db
def test_every_page_counts_the_same(workbook, alpha, beta):
    """The dashboard's count, the admin's SQL count and the documents' draft rule agree."""
    sections = list(Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION))
    complete_section(alpha, first_section(workbook))
    screening = Section.active.get(workbook=workbook, scope=Section.Scope.USE_CASE)
    SectionProgress.objects.create(
        jurisdiction=alpha.jurisdiction, section=screening, status=SectionStatus.APPROVED
    )
    for section in sections:
        SectionProgress.objects.create(
            jurisdiction=beta.jurisdiction, section=section, status=SectionStatus.APPROVED
        )
    gamma = make_team(workbook, "gamma", "Gamma Town").jurisdiction

    places = list(Jurisdiction.objects.select_related("workbook").order_by("slug"))
    counted = summaries_for(places)
    in_sql = {j.pk: annotated_progress(j) for j in annotate_progress(Jurisdiction.objects.all())}
    assert counted == in_sql
    assert counted[alpha.jurisdiction.pk] == Progress(
        total=len(sections), started_count=1, complete_count=1, approved_count=0
    )
    assert counted[beta.jurisdiction.pk].all_approved
    assert counted[gamma.pk].started_count == 0
    assert [all_sections_approved(j) for j in places] == [False, True, False]

    state = WorkbookState.load(alpha.jurisdiction)
    answered, required = state.required_counts()
    assert 0 < answered < required
    statuses = {pk: p.status for pk, p in state.progress.items()}
    assert count_progress(state.sections, statuses) == counted[alpha.jurisdiction.pk]
