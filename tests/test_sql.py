"""The hand-written reads (workbook.sql): their rows become the instances the ORM would make."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone
from psycopg.types.json import Jsonb

from workbook import sql
from workbook.models import Answer, Jurisdiction, Membership, Question, Role, Workbook
from workbook.security.access import Action, JurisdictionAccess

pytestmark = pytest.mark.django_db


def test_a_row_becomes_the_instances_the_orm_makes(alpha):
    expected = Membership.objects.select_related("jurisdiction__workbook").get(
        user=alpha.editor, jurisdiction=alpha.jurisdiction
    )
    models = (Membership, Jurisdiction, Workbook)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(sql.select_list, models, 'mjw'))}"  # noqa: S608 - test names
            f" FROM {sql.table(Membership)} AS m"
            f" JOIN {sql.table(Jurisdiction)} AS j ON j.id = m.jurisdiction_id"
            f" JOIN {sql.table(Workbook)} AS w ON w.id = j.workbook_id WHERE m.id = %s",
            [expected.pk],
        )
        membership, jurisdiction, workbook = sql.instances(cursor.fetchone(), models)
    for made, orm in [
        (membership, expected),
        (jurisdiction, expected.jurisdiction),
        (workbook, expected.jurisdiction.workbook),
    ]:
        fields = [f.attname for f in type(orm)._meta.concrete_fields]
        assert [getattr(made, f) for f in fields] == [getattr(orm, f) for f in fields]
        assert not made._state.adding
    # The JSON column is converted as the ORM converts it, not left as text.
    assert isinstance(workbook.dimensions, list)
    assert workbook.dimensions == expected.jurisdiction.workbook.dimensions


def test_opening_a_jurisdiction_reads_member_jurisdiction_and_workbook_at_once(
    alpha, django_assert_num_queries
):
    with django_assert_num_queries(1):
        access = JurisdictionAccess.open(alpha.manager, alpha.jurisdiction.slug)
        assert access.jurisdiction.workbook.slug == alpha.jurisdiction.workbook.slug
        assert access.membership.jurisdiction is access.jurisdiction
        assert access.membership.user is alpha.manager
    assert access.membership.role == Role.MANAGER
    assert access.can(Action.APPROVE_SECTION)


def test_a_member_of_one_jurisdiction_cannot_open_another(alpha, beta):
    with pytest.raises(Http404):
        JurisdictionAccess.open(alpha.manager, beta.jurisdiction.slug)


def test_the_session_store_reads_live_sessions_and_forgets_expired_ones():
    from workbook.models import UserSession
    from workbook.security.session_store import SessionStore

    saved = SessionStore()
    saved["step"] = {"workbook_alpha": "vision"}
    saved.save()
    read = SessionStore(saved.session_key)
    assert read["step"] == {"workbook_alpha": "vision"}
    assert read.session_key == saved.session_key

    UserSession.objects.filter(session_key=saved.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(saved.session_key)
    assert "step" not in expired
    assert expired.session_key is None  # a save makes a new key, never revives the old one


def approve(section, town) -> None:
    """The section's progress, approved by the town's manager."""
    from workbook.models import SectionProgress, SectionStatus

    SectionProgress.objects.create(
        jurisdiction=town.jurisdiction,
        section=section,
        status=SectionStatus.APPROVED,
        approved_by=town.manager,
        approved_at=timezone.now(),
    )


def test_a_left_join_that_found_nothing_is_none(alpha):
    from django.contrib.auth import get_user_model

    from workbook.models import SectionProgress
    from workbook.wizard.state import WorkbookState

    User = get_user_model()
    state = WorkbookState.load(alpha.jurisdiction)
    first, second = state.sections[:2]
    approve(first, alpha)
    SectionProgress.objects.create(jurisdiction=alpha.jurisdiction, section=second)
    progress = state.progress
    assert isinstance(progress[first.pk].approved_by, User)
    assert progress[first.pk].approved_by.username == alpha.manager.username
    assert progress[first.pk].reopened_by is None
    assert progress[second.pk].approved_by is None
    assert progress[second.pk].jurisdiction is alpha.jurisdiction


def test_reads_sent_together_give_each_statement_its_rows(alpha, beta):
    from django.db import DatabaseError, transaction

    by_slug = f"SELECT {sql.column(Jurisdiction, 'name')} FROM {sql.table(Jurisdiction)} WHERE slug = %(slug)s"  # noqa: S608, E501 - test names
    alpha_rows, beta_rows, none = sql.read_together(
        (by_slug, {"slug": "alpha"}), (by_slug, {"slug": "beta"}), (by_slug, {"slug": "none"})
    )
    assert (alpha_rows, beta_rows, none) == ([("Alpha City",)], [("Beta County",)], [])

    # A statement that fails raises Django's error, and the connection serves the next read.
    with pytest.raises(DatabaseError), transaction.atomic():
        sql.read_together((by_slug, {"slug": "alpha"}), ("SELECT 1/0", {}))
    assert sql.read_together((by_slug, {"slug": "beta"}))[0] == [("Beta County",)]


def test_returned_rows_are_the_instances_the_orm_reads_back(alpha):
    question = Question.objects.filter(workbook=alpha.jurisdiction.workbook).first()
    answer = Answer.objects.create(
        jurisdiction=alpha.jurisdiction, question=question, value={"picked": ["a", "b"]}
    )
    (updated,) = sql.returned(
        Answer,
        f"UPDATE {sql.table(Answer)} SET value = %s WHERE id = %s {sql.returning(Answer)}",  # noqa: S608 - test names
        [Jsonb(["c"]), answer.pk],
    )
    assert isinstance(updated, Answer) and not updated._state.adding
    assert (updated.pk, updated.question_id, updated.value) == (answer.pk, question.pk, ["c"])
    assert updated.updated_at == answer.updated_at
    missing = f"DELETE FROM {sql.table(Answer)} WHERE id = %s {sql.returning(Answer)}"  # noqa: S608 - test names
    assert sql.returned(Answer, missing, [answer.pk + 1000]) == []


def test_inserted_rows_are_stored_as_the_orm_stores_them(alpha):
    history = Answer.history.model
    question = Question.objects.filter(workbook=alpha.jurisdiction.workbook).first()
    now = timezone.now()
    rows = [
        history(
            id=7,
            value=value,
            updated_at=now,
            jurisdiction=alpha.jurisdiction,
            question=question,
            updated_by=alpha.editor,
            history_date=now,
            history_type="~",
            history_user=alpha.editor,
        )
        for value in ("plain text", {"rows": [{"a": 1}]}, 42)
    ]
    sql.write_together(sql.inserting(history, rows))
    stored = history.objects.filter(id=7).order_by("history_id")
    assert [r.value for r in stored] == ["plain text", {"rows": [{"a": 1}]}, 42]
    assert {(r.history_user_id, r.history_type, r.history_date) for r in stored} == {
        (alpha.editor.pk, "~", now)
    }


def test_an_updated_row_is_stored_as_the_orm_stores_it(alpha):
    question = Question.objects.filter(workbook=alpha.jurisdiction.workbook).first()
    answer = Answer.objects.create(jurisdiction=alpha.jurisdiction, question=question, value="a")
    other = Answer.objects.create(
        jurisdiction=alpha.jurisdiction,
        question=Question.objects.exclude(pk=question.pk).first(),
        value="b",
    )
    now = timezone.now()
    values = {"value": {"rows": [{"cost": 1}]}, "updated_by_id": alpha.editor.pk, "updated_at": now}
    sql.write_together(sql.updating(Answer, answer.pk, values))
    answer.refresh_from_db()
    assert (answer.value, answer.updated_by, answer.updated_at) == (
        {"rows": [{"cost": 1}]},
        alpha.editor,
        now,
    )
    other.refresh_from_db()
    assert other.value == "b"  # only the row asked for


def test_a_progress_row_names_the_approver_and_holds_nothing_else_of_theirs(alpha):
    from django.contrib.auth import get_user_model

    from workbook.templatetags.team import person
    from workbook.wizard.state import WorkbookState

    alpha.manager.first_name, alpha.manager.last_name = "Ada", "Okafor"
    alpha.manager.save()
    section = WorkbookState.load(alpha.jurisdiction).sections[0]
    approve(section, alpha)
    state = WorkbookState.load(alpha.jurisdiction, with_progress=True)
    # The rows (which key kept pages) hold no password hash and no time of a sign-in.
    (row,) = state.progress_rows
    assert alpha.manager.password not in row
    assert alpha.manager.username in row
    approver = state.progress[section.pk].approved_by
    assert isinstance(approver, get_user_model())
    assert (approver.pk, person(approver)) == (alpha.manager.pk, "Ada Okafor")
    assert approver.get_deferred_fields() >= {"password", "last_login", "email"}


def test_only_some_fields_are_read_and_the_rest_are_deferred(alpha):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    only = sql.Only(User, ("id", "username", "date_joined"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.select_list(only, 'u')} FROM {sql.table(User)} AS u WHERE u.id = %s",  # noqa: S608 - test names
            [alpha.editor.pk],
        )
        (user,) = sql.instances(cursor.fetchone(), (only,))
    assert (user.pk, user.username, user.date_joined) == (
        alpha.editor.pk,
        alpha.editor.username,
        alpha.editor.date_joined,
    )
    assert "email" in user.get_deferred_fields()
    assert user.email == alpha.editor.email  # read by the ORM when asked for


def test_writes_sent_together_all_land_or_none_does(alpha):
    from django.db import DatabaseError, transaction

    question = Question.objects.filter(workbook=alpha.jurisdiction.workbook).first()
    answer = Answer.objects.create(jurisdiction=alpha.jurisdiction, question=question, value="a")
    renamed = sql.updating(Jurisdiction, alpha.jurisdiction.pk, {"name": "Alpha Town"})
    with transaction.atomic():
        sql.write_together(sql.updating(Answer, answer.pk, {"value": "b"}), renamed)
    answer.refresh_from_db()
    assert (answer.value, Jurisdiction.objects.get(pk=alpha.jurisdiction.pk).name) == (
        "b",
        "Alpha Town",
    )

    # A statement that fails raises Django's error, and the transaction keeps neither write.
    with pytest.raises(DatabaseError), transaction.atomic():
        sql.write_together(sql.updating(Answer, answer.pk, {"value": "c"}), ("SELECT 1/0", []))
    answer.refresh_from_db()
    assert answer.value == "b"
