"""`make_scale_data`: complete, valid and isolated workbooks for the benchmarks."""

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.http import Http404

from workbook.answers.rules import is_complete, is_empty, visible_questions
from workbook.models import (
    Answer,
    FieldType,
    Jurisdiction,
    Membership,
    Question,
    Section,
    SectionProgress,
    SectionStatus,
    UseCase,
)
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


def valid_for_column(column: dict, value: Any) -> bool:
    match column["type"]:
        case FieldType.SINGLE_CHOICE:
            return value in {str(o["value"]) for o in column["options"]}
        case FieldType.NUMBER:
            return isinstance(value, int | float) and not isinstance(value, bool)
        case FieldType.DATE:
            return bool(datetime.date.fromisoformat(value))
        case FieldType.YES_NO:
            return isinstance(value, bool)
        case _:
            return isinstance(value, str) and bool(value.strip())


def valid_for_question(question: Question, value: Any) -> bool:
    """The stored-value rules of docs/workbook-format.md, checked independently of the command."""
    config = question.config
    options = {o["value"] for o in question.options}
    match question.field_type:
        case FieldType.SHORT_TEXT | FieldType.LONG_TEXT:
            return isinstance(value, str) and 0 < len(value) <= config["max_length"]
        case FieldType.SINGLE_CHOICE:
            return value in options
        case FieldType.MULTIPLE_CHOICE:
            return set(value) == {"selected", "other"} and set(value["selected"]) <= options
        case FieldType.SCALE:
            return value in {1, 2, 3, 4, 5}
        case FieldType.YES_NO:
            return isinstance(value, bool)
        case FieldType.NUMBER:
            low, high = config.get("min"), config.get("max")
            return (
                isinstance(value, int | float)
                and (low is None or value >= low)
                and (high is None or value <= high)
            )
        case FieldType.DATE:
            return bool(datetime.date.fromisoformat(value))
        case FieldType.TABLE:
            return bool(value) and all(
                set(row) == {c["slug"] for c in config["columns"]}
                and all(valid_for_column(c, row[c["slug"]]) for c in config["columns"])
                for row in value
            )
    return False


def make(n: int) -> None:
    call_command(
        "make_scale_data", jurisdictions=n, password="scale-pass-123", stdout=io.StringIO()
    )


def test_every_active_question_has_a_valid_answer(workbook):
    make(3)
    jurisdictions = list(Jurisdiction.objects.filter(slug__startswith="scale-"))
    assert len(jurisdictions) == 3
    questions = list(Question.active.filter(workbook=workbook).select_related("section"))
    main = [q for q in questions if q.section.scope == Section.Scope.JURISDICTION]
    screening = [q for q in questions if q.section.scope == Section.Scope.USE_CASE]
    assert main and screening

    for jurisdiction in jurisdictions:
        stored = {
            a.question.slug: a.value
            for a in Answer.objects.filter(
                jurisdiction=jurisdiction, use_case__isnull=True
            ).select_related("question")
        }
        # Fully answered: every question is shown (show_if met) and has a valid, non-empty value.
        assert visible_questions(main, stored) == main
        for question in main:
            value = stored.get(question.slug)
            assert not is_empty(value), question.slug
            assert valid_for_question(question, value), (question.slug, value)
        assert is_complete(main, stored)
        statuses = set(
            SectionProgress.objects.filter(jurisdiction=jurisdiction).values_list(
                "status", flat=True
            )
        )
        assert statuses == {SectionStatus.COMPLETE}

        use_cases = list(UseCase.objects.filter(jurisdiction=jurisdiction))
        assert len(use_cases) >= 2
        for use_case in use_cases:
            screening_answers = {
                a.question.slug: a.value
                for a in Answer.objects.filter(use_case=use_case).select_related("question")
            }
            assert set(screening_answers) == {q.slug for q in screening}
            for question in screening:
                assert valid_for_question(question, screening_answers[question.slug])


def test_each_editor_reaches_only_their_own_jurisdiction(workbook):
    make(3)
    memberships = list(
        Membership.objects.filter(jurisdiction__slug__startswith="scale-").select_related(
            "user", "jurisdiction"
        )
    )
    assert len(memberships) == 3
    for membership in memberships:
        assert membership.user.check_password("scale-pass-123")
        assert (
            JurisdictionAccess.open(membership.user, membership.jurisdiction.slug).membership
            == membership
        )
        for other in memberships:
            if other.jurisdiction != membership.jurisdiction:
                with pytest.raises(Http404):
                    JurisdictionAccess.open(membership.user, other.jurisdiction.slug)
    # Answers and use cases are attached to the jurisdiction they were written for.
    assert (
        not Answer.objects.filter(use_case__isnull=False)
        .exclude(use_case__jurisdiction=F("jurisdiction"))
        .exists()
    )


def test_running_again_replaces_the_previous_scale_rows(workbook):
    make(3)
    make(2)
    assert Jurisdiction.objects.filter(slug__startswith="scale-").count() == 2
    assert Membership.objects.filter(user__username__startswith="scale-").count() == 2
    per_jurisdiction = Answer.objects.filter(
        jurisdiction__slug="scale-0001", use_case__isnull=True
    ).count()
    assert (
        per_jurisdiction
        == Question.active.filter(section__scope=Section.Scope.JURISDICTION).count()
    )
