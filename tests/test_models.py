"""Database constraints and the section-saving action."""

import pytest
from django.db import IntegrityError, transaction

from workbook.answers.actions import SectionApproved, StaleVersion, save_section
from workbook.models import (
    Answer,
    Jurisdiction,
    Membership,
    Question,
    Section,
    SectionProgress,
    SectionStatus,
)
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(workbook):
    return Jurisdiction.objects.create(
        name="Town of Elm", slug="elm", kind="town", population_band="under_5k", workbook=workbook
    )


@pytest.fixture
def editor(django_user_model, town):
    user = django_user_model.objects.create_user("elm-editor", password="x")
    Membership.objects.create(user=user, jurisdiction=town, role="editor")
    return user


def profile(workbook) -> Section:
    return Section.active.get(workbook=workbook, slug="profile")


def test_one_answer_per_jurisdiction_and_question(town, workbook):
    question = Question.active.filter(workbook=workbook).first()
    Answer.objects.create(jurisdiction=town, question=question, value="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(jurisdiction=town, question=question, value="b")


def test_membership_role_and_uniqueness_are_enforced(town, editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=editor, jurisdiction=town, role="viewer")
    other = Jurisdiction.objects.create(
        name="Oak", slug="oak", kind="city", population_band="under_5k", workbook=town.workbook
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=editor, jurisdiction=other, role="owner")


def test_jurisdiction_kind_is_checked_by_the_database(workbook):
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.create(
            name="X", slug="x", kind="empire", population_band="under_5k", workbook=workbook
        )


def required_values(section) -> dict:
    """A value for every required question of the section (enough to complete it)."""
    samples = {
        "short_text": "Text",
        "long_text": "Longer text",
        "single_choice": None,
        "multiple_choice": None,
        "scale": 3,
        "yes_no": True,
        "number": 5,
        "date": "2027-01-15",
        "table": [{"name": "Row"}],
    }
    values = {}
    for q in Question.active.filter(section=section, required=True):
        value = samples[q.field_type]
        if q.field_type == "single_choice":
            value = q.options[0]["value"]
        elif q.field_type == "multiple_choice":
            value = {"selected": [q.options[0]["value"]], "other": ""}
        values[q.slug] = value
    return values


def test_draft_save_then_complete(town, editor, workbook):
    section = profile(workbook)
    required = required_values(section)
    first_slug = next(iter(required))
    progress = save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values={first_slug: required[first_slug]},
        expected_version=0,
    )
    assert progress.version == 1
    assert progress.status == SectionStatus.IN_PROGRESS if len(required) > 1 else True

    progress = save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values=required,
        expected_version=1,
    )
    assert progress.status == SectionStatus.COMPLETE
    assert Answer.objects.filter(jurisdiction=town).count() == len(required)
    answer = Answer.objects.get(jurisdiction=town, question__slug=first_slug)
    assert answer.updated_by == editor
    assert answer.history.count() == 1  # unchanged on the second save: no new history


def test_stale_version_writes_nothing(town, editor, workbook):
    section = profile(workbook)
    slug = next(iter(required_values(section)))
    save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values={slug: "A"},
        expected_version=0,
    )
    with pytest.raises(StaleVersion) as conflict:
        save_section(
            access=JurisdictionAccess.of(editor, town),
            section=section,
            values={slug: "B"},
            expected_version=0,
        )
    assert conflict.value.current_version == 1
    assert Answer.objects.get(jurisdiction=town, question__slug=slug).value == "A"


def test_clearing_an_answer_deletes_it_with_history(town, editor, workbook):
    section = profile(workbook)
    slug = next(iter(required_values(section)))
    save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values={slug: "A"},
        expected_version=0,
    )
    progress = save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values={slug: "  "},
        expected_version=1,
    )
    assert not Answer.objects.filter(jurisdiction=town).exists()
    assert Answer.history.filter(history_type="-").count() == 1
    assert progress.status == SectionStatus.NOT_STARTED


def test_editing_an_approved_section_takes_a_reason_to_reopen_it(town, editor, workbook):
    section = profile(workbook)
    values = required_values(section)
    save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values=values,
        expected_version=0,
    )
    SectionProgress.objects.filter(jurisdiction=town, section=section).update(
        status=SectionStatus.APPROVED, approved_by=editor
    )
    # Saving the same answers changes nothing, so the approval stands.
    progress = save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values=values,
        expected_version=1,
    )
    assert progress.status == SectionStatus.APPROVED

    slug = next(iter(values))
    change = {slug: "Changed"} if isinstance(values[slug], str) else {slug: None}
    with pytest.raises(SectionApproved):
        save_section(
            access=JurisdictionAccess.of(editor, town),
            section=section,
            values=change,
            expected_version=2,
        )
    progress = save_section(
        access=JurisdictionAccess.of(editor, town),
        section=section,
        values=change,
        expected_version=2,
        reopen_reason="The name changed.",
    )
    progress.refresh_from_db()
    assert progress.status != SectionStatus.APPROVED
    assert progress.approved_by is None


def test_save_writes_many_answers_in_a_fixed_number_of_queries(
    town, editor, workbook, django_assert_max_num_queries
):
    section = Section.active.get(workbook=workbook, slug="readiness")
    scales = list(Question.active.filter(section=section, field_type="scale"))
    assert len(scales) >= 20
    with django_assert_max_num_queries(14):
        save_section(
            access=JurisdictionAccess.of(editor, town),
            section=section,
            values={q.slug: 2 for q in scales[:2]},
            expected_version=0,
        )
    with django_assert_max_num_queries(14):
        save_section(
            access=JurisdictionAccess.of(editor, town),
            section=section,
            values={q.slug: 4 for q in scales},
            expected_version=1,
        )
