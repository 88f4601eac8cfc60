"""Query budget of the wizard: the same number of queries however many answers there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workbook.content.cache import workbook_content
from workbook.models import (
    Answer,
    Comment,
    FieldType,
    Jurisdiction,
    Membership,
    Question,
    Role,
    Section,
)

pytestmark = pytest.mark.django_db

# Signing in and the session are the framework's; the budget is for the page itself. A query is
# the framework's when it reads these tables, not merely when it joins them (comments join their
# authors, memberships filter on the user).
# The session, read with its user (decision 23), and the user on its own where a page reads it.
FRAMEWORK_TABLES = {"workbook_usersession", "auth_user"}


def main_table(sql: str) -> str:
    match = re.match(r'\s*(?:SELECT .*? FROM|UPDATE|INSERT INTO|DELETE FROM) "(\w+)"', sql, re.S)
    return match.group(1) if match else ""


def sample_value(question: Question):
    match question.field_type:
        case FieldType.SINGLE_CHOICE:
            return question.options[0]["value"]
        case FieldType.MULTIPLE_CHOICE:
            return {"selected": [question.options[0]["value"]]}
        case FieldType.SCALE:
            return 3
        case FieldType.YES_NO:
            return True
        case FieldType.NUMBER:
            return question.config.get("min", 1)
        case FieldType.DATE:
            return "2026-05-01"
        case FieldType.TABLE:
            return [{question.config["columns"][0]["slug"]: "x"}]
        case _:
            return "An answer"


def jurisdiction_with_answers(workbook, slug: str, count: int, django_user_model):
    place = Jurisdiction.objects.create(
        name=slug.title(), slug=slug, kind="city", population_band="5k_25k", workbook=workbook
    )
    user = django_user_model.objects.create(username=f"{slug}-editor")
    Membership.objects.create(user=user, jurisdiction=place, role=Role.EDITOR)
    questions = Question.active.filter(
        workbook=workbook, section__scope=Section.Scope.JURISDICTION
    ).order_by("section__position", "position")[:count]
    Answer.objects.bulk_create(
        Answer(jurisdiction=place, question=q, value=sample_value(q)) for q in questions
    )
    assert Answer.objects.filter(jurisdiction=place).count() == count
    return place, user


def page_queries(client, address) -> tuple[int, int]:
    """(queries of the page itself, all queries) for one GET."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    own = [q for q in captured if main_table(q["sql"]) not in FRAMEWORK_TABLES]
    return len(own), len(captured)


def section_url(place, step="readiness"):
    return reverse("workbook:section", kwargs={"jurisdiction_slug": place.slug, "step": step})


def comment_threads(place, author, count: int, step="readiness"):
    """`count` open threads on the section's questions, each with a reply, and one about it all."""
    section = Section.objects.get(workbook=place.workbook, slug=step)
    questions = list(Question.active.filter(section=section).order_by("position")[:count])
    for question in [None, *questions]:
        thread = Comment.objects.create(
            jurisdiction=place, section=section, question=question, author=author, body="Why?"
        )
        Comment.objects.create(
            jurisdiction=place, section=section, parent=thread, author=author, body="Because."
        )


def test_a_section_page_costs_the_same_with_1_or_100_answers(client, workbook, django_user_model):
    few, few_user = jurisdiction_with_answers(workbook, "few", 1, django_user_model)
    many, many_user = jurisdiction_with_answers(workbook, "many", 100, django_user_model)
    # Open comments are shown next to their questions: a fixed two queries (threads, replies).
    comment_threads(few, few_user, 1)
    comment_threads(many, many_user, 10)

    # The workbook's sections and questions are read once per process and load of the workbook
    # (workbook.content.cache): two queries on the first page after a load, none after.
    client.force_login(few_user)
    own_cold, _ = page_queries(client, section_url(few))
    own_few, total_few = page_queries(client, section_url(few))
    assert own_cold == own_few + 2
    client.force_login(many_user)
    own_many, total_many = page_queries(client, section_url(many))

    print(
        f"section GET queries: 1 answer {own_few} (+{total_few - own_few} session/user); "
        f"100 answers {own_many} (+{total_many - own_many})"
    )
    assert own_few == own_many
    # Membership, answers, progress, comment threads, their replies, the step list's counts.
    assert own_few <= 6
    assert total_many <= 8


def test_a_section_without_open_threads_reads_none(client, workbook, django_user_model):
    place, user = jurisdiction_with_answers(workbook, "quiet", 1, django_user_model)
    comment_threads(place, user, 2, step="vision")  # open threads elsewhere only
    client.force_login(user)
    page_queries(client, section_url(place))  # the content cache is warm from here on
    quiet, _ = page_queries(client, section_url(place))
    comment_threads(place, user, 2)
    commented, _ = page_queries(client, section_url(place))
    # The step list's counts say whether there is anything to read: threads, then replies.
    assert commented == quiet + 2


def test_the_review_page_costs_the_same_with_1_or_100_answers(client, workbook, django_user_model):
    _few, few_user = jurisdiction_with_answers(workbook, "few", 1, django_user_model)
    _many, many_user = jurisdiction_with_answers(workbook, "many", 100, django_user_model)
    workbook_content(workbook)  # sections and questions: cached after the first page
    client.force_login(few_user)
    own_few, _ = page_queries(client, reverse("workbook:review", args=["few"]))
    client.force_login(many_user)
    own_many, _ = page_queries(client, reverse("workbook:review", args=["many"]))
    # Membership, answers, progress.
    assert own_few == own_many <= 3


def readiness_post(client, place, values: dict) -> int:
    """POST the readiness section with these answers; returns the number of queries."""
    response = client.get(section_url(place))
    data = {k: v if len(v) > 1 else v[0] for k, v in response.context["form"].data.lists()}
    data |= {
        "version": str(response.context["version"]),
        f"workbook_{place.slug}-current_step": "readiness",
        "wizard_action": "stay",
        **values,
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(section_url(place), data)
    assert response.status_code == 302, response.content[:2000]
    return len(captured)


def form_value(question: Question, phase: int):
    """Posted text for a question: phase 0 and 1 give two different answers, 2 clears it."""
    if phase == 2:
        return [] if question.field_type == FieldType.MULTIPLE_CHOICE else ""
    match question.field_type:
        case FieldType.SCALE:
            return str(2 + 2 * phase)
        case FieldType.SINGLE_CHOICE:
            return question.options[phase]["value"]
        case FieldType.MULTIPLE_CHOICE:
            return [question.options[phase]["value"]]
        case FieldType.YES_NO:
            return ["true", "false"][phase]
        case FieldType.NUMBER:
            return str(question.config.get("min", 0) + 1 + phase)
        case FieldType.DATE:
            return f"2026-0{phase + 1}-15"
        case _:
            return f"Answer {phase}"


def readiness_values(workbook, count: int, phase: int) -> dict:
    questions = Question.active.filter(workbook=workbook, section__slug="readiness").order_by(
        "position"
    )[:count]
    assert len(questions) == count
    return {q.slug: form_value(q, phase) for q in questions}


def test_a_save_costs_the_same_for_2_or_30_answers(client, workbook, django_user_model):
    small, small_user = jurisdiction_with_answers(workbook, "small", 0, django_user_model)
    large, large_user = jurisdiction_with_answers(workbook, "large", 0, django_user_model)
    counts = {}
    for place, user, n in [(small, small_user, 2), (large, large_user, 30)]:
        client.force_login(user)
        created = readiness_post(client, place, readiness_values(workbook, n, 0))
        assert Answer.objects.filter(jurisdiction=place).count() == n
        updated = readiness_post(client, place, readiness_values(workbook, n, 1))
        assert Answer.history.filter(jurisdiction=place, history_type="~").count() == n
        cleared = readiness_post(client, place, readiness_values(workbook, n, 2))
        counts[n] = (created, updated, cleared)
        assert not Answer.objects.filter(jurisdiction=place).exists()
        assert Answer.history.filter(jurisdiction=place, history_type="-").count() == n
    print(
        f"section save queries (create, update, delete): 2 answers {counts[2]}; "
        f"30 answers {counts[30]}"
    )
    assert counts[2] == counts[30]
    assert max(counts[30]) <= 16
