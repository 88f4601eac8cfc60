"""The facilitators' admin: scoping, the jurisdiction list, the read-only review page, CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.team_fixtures import (
    complete_section,
    current_version,
    first_section,
    make_facilitator,
    make_team,
)
from workbook.answers.actions import save_section
from workbook.comments.actions import add_comment
from workbook.models import (
    Answer,
    AuditEvent,
    AuditKind,
    Comment,
    Jurisdiction,
    Membership,
    Section,
    SectionProgress,
)
from workbook.security.access import JurisdictionAccess
from workbook.workflow import actions as workflow_actions

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:workbook_jurisdiction_changelist"


def changelist(client, **params):
    return client.get(reverse(CHANGELIST), params)


def test_a_facilitator_sees_only_assigned_jurisdictions(client, alpha, beta, facilitator):
    client.force_login(facilitator)
    response = changelist(client)
    assert response.status_code == 200
    assert [j.name for j in response.context["cl"].result_list] == ["Alpha City"]


def test_a_facilitator_with_no_assignment_sees_no_rows(client, alpha, beta):
    idle = make_facilitator("idle")
    client.force_login(idle)
    assert list(changelist(client).context["cl"].result_list) == []
    for name in ("answer", "comment", "membership", "sectionprogress", "usecase", "auditevent"):
        response = client.get(reverse(f"admin:workbook_{name}_changelist"))
        assert response.status_code == 200, name
        assert response.context["cl"].result_count == 0, name


def test_another_jurisdictions_objects_answer_404_in_the_admin(client, alpha, beta, facilitator):
    section = first_section(alpha.jurisdiction.workbook)
    complete_section(beta, section)
    comment = add_comment(
        access=JurisdictionAccess.of(beta.manager, beta.jurisdiction),
        section=section,
        body="beta only",
    )
    client.force_login(facilitator)
    objects = {
        "jurisdiction": beta.jurisdiction,
        "answer": Answer.objects.filter(jurisdiction=beta.jurisdiction).first(),
        "comment": comment,
        "membership": beta.membership(beta.editor),
        "sectionprogress": SectionProgress.objects.get(jurisdiction=beta.jurisdiction),
    }
    for name, obj in objects.items():
        url = reverse(f"admin:workbook_{name}_change", args=[obj.pk])
        assert client.get(url).status_code == 404, name
    history = reverse("admin:workbook_jurisdiction_history", args=[beta.jurisdiction.pk])
    assert client.get(history).status_code == 404
    comment_url = reverse("admin:workbook_jurisdiction_comment", args=[beta.jurisdiction.pk])
    response = client.post(comment_url, {"about": f"section:{section.slug}", "body": "sneaky"})
    assert response.status_code == 404
    assert not Comment.objects.filter(body="sneaky").exists()


def test_changelist_shows_progress_comments_and_activity(client, alpha, facilitator, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    workflow_actions.approve_section(
        access=JurisdictionAccess.of_member(alpha.membership(alpha.manager)), section=section
    )
    add_comment(
        access=JurisdictionAccess.of(facilitator, alpha.jurisdiction), section=section, body="Good"
    )
    client.force_login(facilitator)
    response = changelist(client)
    row = response.context["cl"].result_list[0]
    assert row.sections_approved == 1
    assert row.sections_done == 1
    assert row.open_comments == 1
    assert row.last_activity is not None
    body = response.content.decode()
    assert f"1 / {row.sections_total}" in body
    assert f"{round(100 / row.sections_total)}%" in body


def test_changelist_filters_and_search(client, alpha, beta, workbook):
    admin_user = make_facilitator("boss")
    admin_user.is_superuser = True
    admin_user.save()
    complete_section(alpha, first_section(workbook))
    client.force_login(admin_user)

    def names(**params):
        return [j.name for j in changelist(client, **params).context["cl"].result_list]

    assert names(status="in_progress") == ["Alpha City"]
    assert names(status="not_started") == ["Beta County"]
    assert names(status="approved") == []
    assert names(q="beta") == ["Beta County"]
    Jurisdiction.objects.filter(pk=beta.jurisdiction.pk).update(kind="county")
    assert names(kind__exact="county") == ["Beta County"]
    # Alpha's profile is answered (one resident, the sample number): its band follows it.
    assert names(population_band__exact="25k_100k") == ["Beta County"]
    assert names(population_band__exact="under_5k") == ["Alpha City"]


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = changelist(client)
    assert response.status_code == 200
    return len(queries)


def test_changelist_query_count_does_not_grow_with_jurisdictions(client, workbook):
    facilitator = make_facilitator("many")
    section = first_section(workbook)

    def add_jurisdictions(start: int, stop: int) -> None:
        for n in range(start, stop):
            team = make_team(workbook, f"j{n:03d}", f"Jurisdiction {n:03d}")
            team.jurisdiction.facilitators.add(facilitator)
            if n % 3 == 0:
                complete_section(team, section)
            if n % 4 == 0:
                add_comment(
                    access=JurisdictionAccess.of(team.manager, team.jurisdiction),
                    section=section,
                    body="?",
                )

    client.force_login(facilitator)
    add_jurisdictions(0, 5)
    at_5 = _changelist_queries(client)
    add_jurisdictions(5, 100)
    at_100 = _changelist_queries(client)
    print(f"admin jurisdiction changelist queries: 5 → {at_5}, 100 → {at_100}")
    assert at_5 == at_100
    assert at_100 <= 12


def test_change_page_shows_answers_read_only_with_history_and_diff(
    client, alpha, facilitator, workbook
):
    section = first_section(workbook)
    question = section.questions.filter(field_type="short_text").first()
    for text in ("City manager", "The city manager office"):
        save_section(
            access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
            section=section,
            values={question.slug: text},
            expected_version=current_version(alpha, section),
        )
    client.force_login(facilitator)
    url = reverse("admin:workbook_jurisdiction_change", args=[alpha.jurisdiction.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The city manager office" in body
    assert "alpha-editor" in body
    assert "History (2 versions)" in body
    assert "<del>City</del>" in body and "<ins>The city</ins>" in body
    assert 'name="_save"' not in body  # view-only: no save buttons
    answer = Answer.objects.get(question=question)
    response = client.post(
        reverse("admin:workbook_answer_change", args=[answer.pk]), {"value": '"hacked"'}
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.value == "The city manager office"


def test_answers_are_read_only_even_for_superusers(client, alpha, workbook):
    boss = make_facilitator("boss2")
    boss.is_superuser = True
    boss.save()
    complete_section(alpha, first_section(workbook))
    answer = Answer.objects.first()
    client.force_login(boss)
    assert client.get(reverse("admin:workbook_answer_add")).status_code == 403
    response = client.get(reverse("admin:workbook_answer_change", args=[answer.pk]))
    assert 'name="_save"' not in response.content.decode()
    assert client.post(reverse("admin:workbook_answer_delete", args=[answer.pk])).status_code == 403


def test_facilitator_comments_from_the_change_page(client, alpha, facilitator, workbook):
    section = first_section(workbook)
    question = section.questions.first()
    client.force_login(facilitator)
    url = reverse("admin:workbook_jurisdiction_comment", args=[alpha.jurisdiction.pk])
    response = client.post(url, {"about": f"question:{question.slug}", "body": "Be specific."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.question, comment.section) == (facilitator, question, section)
    client.post(url, {"about": f"section:{section.slug}", "body": "Whole section note"})
    assert Comment.objects.filter(question__isnull=True, section=section).count() == 1


def test_csv_export_streams_one_row_per_answer(client, alpha, beta, facilitator, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    complete_section(beta, section)
    formula = section.questions.filter(field_type="short_text").first()
    save_section(
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=section,
        values={formula.slug: "=HYPERLINK(1)"},
        expected_version=current_version(alpha, section),
    )
    client.force_login(facilitator)
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "export_answers_csv",
            "_selected_action": [alpha.jurisdiction.pk, beta.jurisdiction.pk],
        },
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["Jurisdiction", "Section", "Question slug", "Question text"]
    assert len(data) == Answer.objects.filter(jurisdiction=alpha.jurisdiction).count()
    assert {r[0] for r in data} == {"Alpha City"}  # Beta is not the facilitator's
    by_slug = {r[2]: r for r in data}
    assert by_slug[formula.slug][5] == "'=HYPERLINK(1)"
    table = section.questions.filter(field_type="table").first()
    assert by_slug[table.slug][5] == (
        "Name: text; Department: text; Role on the team: Legal; Core member?: Yes; Hours a month: 1"
    )
    assert by_slug[table.slug][6].startswith("[{")
    assert by_slug[table.slug][7] == "alpha-editor"
    assert AuditEvent.objects.filter(kind=AuditKind.ANSWERS_EXPORTED).count() == 1


def test_inline_membership_changes_by_a_superuser_are_audited(client, alpha):
    boss = make_facilitator("boss3")
    boss.is_superuser = True
    boss.save()
    client.force_login(boss)
    url = reverse("admin:workbook_jurisdiction_change", args=[alpha.jurisdiction.pk])
    memberships = list(Membership.objects.filter(jurisdiction=alpha.jurisdiction).order_by("pk"))
    data = {
        "name": "Alpha City",
        "slug": "alpha",
        "kind": "city",
        "population_band": "25k_100k",
        "workbook": alpha.jurisdiction.workbook_id,
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": m.pk,
            f"memberships-{i}-jurisdiction": alpha.jurisdiction.pk,
            f"memberships-{i}-user": m.user_id,
            f"memberships-{i}-role": "manager" if m.user == alpha.viewer else m.role,
        }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    event = AuditEvent.objects.get(kind=AuditKind.ROLE_CHANGED)
    assert event.detail["member"] == "alpha-viewer"
    assert (event.user, event.detail["new_role"]) == (boss, "manager")  # through change_role


def test_the_admin_cannot_remove_the_last_manager(alpha, rf, django_user_model):
    from django.contrib import admin as django_admin

    from workbook.admin.site import MembershipInline

    superuser = django_user_model.objects.create_superuser("root-admin", password="x")
    request = rf.post("/")
    request.user = superuser
    inline = MembershipInline(Jurisdiction, django_admin.site)
    formset_class = inline.get_formset(request, alpha.jurisdiction)
    members = list(Membership.objects.filter(jurisdiction=alpha.jurisdiction).order_by("pk"))
    data = {
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": str(len(members)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        data[f"memberships-{index}-id"] = str(member.pk)
        data[f"memberships-{index}-jurisdiction"] = str(alpha.jurisdiction.pk)
        data[f"memberships-{index}-user"] = str(member.user_id)
        # Demote every manager to editor: the team would have none left.
        data[f"memberships-{index}-role"] = "editor" if member.role == "manager" else member.role
    formset = formset_class(data, instance=alpha.jurisdiction, prefix="memberships")
    assert not formset.is_valid()
    assert "at least one manager" in str(formset.non_form_errors())

    data["memberships-0-role"] = "manager"
    formset = formset_class(data, instance=alpha.jurisdiction, prefix="memberships")
    assert formset.is_valid(), formset.errors


def test_migrate_provides_a_read_only_facilitators_group(db):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Facilitators").permissions.values_list("codename", flat=True)
    )
    assert {"view_jurisdiction", "view_answer", "view_comment"} <= codenames
    assert not {c for c in codenames if not c.startswith("view_")}


def test_demoting_a_member_in_the_admin_clears_their_assignments(alpha, rf, django_user_model):
    from django.contrib import admin as django_admin

    from tests.team_fixtures import first_section
    from workbook.admin.site import JurisdictionAdmin, MembershipInline
    from workbook.models import SectionProgress

    section = first_section(alpha.jurisdiction.workbook)
    SectionProgress.objects.create(
        jurisdiction=alpha.jurisdiction, section=section, assignee=alpha.editor
    )
    superuser = django_user_model.objects.create_superuser("root-admin", password="x")
    request = rf.post("/")
    request.user = superuser
    formset_class = MembershipInline(Jurisdiction, django_admin.site).get_formset(
        request, alpha.jurisdiction
    )
    members = list(Membership.objects.filter(jurisdiction=alpha.jurisdiction).order_by("pk"))
    data = {
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": str(len(members)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        data[f"memberships-{index}-id"] = str(member.pk)
        data[f"memberships-{index}-jurisdiction"] = str(alpha.jurisdiction.pk)
        data[f"memberships-{index}-user"] = str(member.user_id)
        data[f"memberships-{index}-role"] = "viewer" if member.user == alpha.editor else member.role
    formset = formset_class(data, instance=alpha.jurisdiction, prefix="memberships")
    assert formset.is_valid(), formset.errors

    class Form:
        instance = alpha.jurisdiction

    JurisdictionAdmin(Jurisdiction, django_admin.site).save_formset(request, Form, formset, True)
    progress = SectionProgress.objects.get(jurisdiction=alpha.jurisdiction, section=section)
    assert progress.assignee is None
    assert AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGED).exists()


def test_the_review_page_numbers_sections_as_the_team_does_and_shows_tables(
    client, alpha, facilitator, workbook
):
    # The use-case screening sits between the inventory and the data section: the team's
    # pages skip it when numbering, so "data" is section 5 although its position is 6.
    data = Section.active.get(workbook=workbook, slug="data")
    assert data.position == 6
    complete_section(alpha, first_section(workbook))
    client.force_login(facilitator)
    body = client.get(
        reverse("admin:workbook_jurisdiction_change", args=[alpha.jurisdiction.pk])
    ).content.decode()
    assert f"<h2>5. {data.title}</h2>" in body
    assert f'<optgroup label="5. {data.title}">' in body
    assert f"<h2>6. {data.title}</h2>" not in body
    table = first_section(workbook).questions.filter(field_type="table").first()
    headers = "".join(f'<th scope="col">{c["label"]}</th>' for c in table.config["columns"])
    assert headers in body
    assert "[{" not in body  # no stored JSON
    answer = Answer.objects.get(jurisdiction=alpha.jurisdiction, question=table)
    page = client.get(reverse("admin:workbook_answer_change", args=[answer.pk])).content.decode()
    assert headers in page
    assert "[{" not in page


def test_the_csv_numbers_sections_as_the_team_does(client, alpha, facilitator, workbook):
    data = Section.active.get(workbook=workbook, slug="data")
    complete_section(alpha, first_section(workbook))
    complete_section(alpha, data)
    client.force_login(facilitator)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_answers_csv", "_selected_action": [alpha.jurisdiction.pk]},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[1:]
    sections = {r[1] for r in rows}
    assert sections == {f"1. {first_section(workbook).title}", f"5. {data.title}"}
