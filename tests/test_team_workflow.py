"""Section assignment, approval and reopening, and "Assigned to you" on the dashboard."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.team_fixtures import complete_section, first_section
from workbook.models import AuditEvent, AuditKind, Section, SectionProgress, SectionStatus
from workbook.security.access import JurisdictionAccess
from workbook.workflow import actions as workflow_actions

pytestmark = pytest.mark.django_db


def test_manager_assigns_a_section_with_a_due_date(client, alpha, workbook):
    section = first_section(workbook)
    client.force_login(alpha.manager)
    url = reverse("workbook:assign_section", args=["alpha", section.slug])
    page = client.get(url)
    assert page.status_code == 200
    editor = alpha.membership(alpha.editor)
    response = client.post(url, {"assignee": editor.pk, "due_date": "2027-03-01"})
    assert response.status_code == 302
    progress = SectionProgress.objects.get(jurisdiction=alpha.jurisdiction, section=section)
    assert progress.assignee == alpha.editor
    assert progress.due_date == datetime.date(2027, 3, 1)
    event = AuditEvent.objects.get(kind=AuditKind.SECTION_ASSIGNED)
    assert event.detail["assignee"] == "alpha-editor"

    overview = client.get(reverse("workbook:overview", args=["alpha"])).content.decode()
    assert "alpha-editor" in overview
    assert "2027-03-01" in overview


def test_viewers_cannot_be_assigned_and_members_of_other_teams_are_not_offered(
    client, alpha, beta, workbook
):
    section = first_section(workbook)
    client.force_login(alpha.manager)
    url = reverse("workbook:assign_section", args=["alpha", section.slug])
    for membership in (alpha.membership(alpha.viewer), beta.membership(beta.editor)):
        response = client.post(url, {"assignee": membership.pk})
        assert response.status_code == 400
    assert not SectionProgress.objects.filter(assignee__isnull=False).exists()
    with pytest.raises(workflow_actions.WorkflowRuleBroken):
        workflow_actions.assign_section(
            access=JurisdictionAccess.of_member(alpha.membership(alpha.manager)),
            section=section,
            assignee=alpha.membership(alpha.viewer),
        )


def test_editors_cannot_assign(client, alpha, workbook):
    section = first_section(workbook)
    client.force_login(alpha.editor)
    url = reverse("workbook:assign_section", args=["alpha", section.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"assignee": alpha.membership(alpha.editor).pk}).status_code == 403


def test_the_assignee_sees_assigned_to_you_on_the_dashboard(client, alpha, beta, workbook):
    section = first_section(workbook)
    workflow_actions.assign_section(
        access=JurisdictionAccess.of_member(alpha.membership(alpha.manager)),
        section=section,
        assignee=alpha.membership(alpha.editor),
        due_date=datetime.date(2027, 1, 15),
    )
    client.force_login(alpha.editor)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Assigned to you" in body
    assert section.title in body
    assert "January 15, 2027" in body
    client.force_login(alpha.manager)
    assert "Assigned to you" not in client.get(reverse("dashboard")).content.decode()


def test_assigned_to_you_lists_the_soonest_due_first_and_only_where_you_still_belong(
    client, alpha, workbook
):
    later, sooner, undated = Section.active.filter(
        workbook=workbook, scope=Section.Scope.JURISDICTION
    )[:3]
    manager = JurisdictionAccess.of_member(alpha.membership(alpha.manager))
    editor = alpha.membership(alpha.editor)
    for section, due in ((later, datetime.date(2027, 3, 1)), (sooner, datetime.date(2027, 1, 4))):
        workflow_actions.assign_section(
            access=manager, section=section, assignee=editor, due_date=due
        )
    workflow_actions.assign_section(access=manager, section=undated, assignee=editor, due_date=None)
    client.force_login(alpha.editor)
    body = client.get(reverse("dashboard")).content.decode()
    positions = [body.index(f">{s.title}</a>") for s in (sooner, later, undated)]
    assert positions == sorted(positions)

    editor.delete()
    assert "Assigned to you" not in client.get(reverse("dashboard")).content.decode()


def test_only_a_complete_section_can_be_approved(client, alpha, workbook):
    section = first_section(workbook)
    client.force_login(alpha.manager)
    url = reverse("workbook:approve_section", args=["alpha", section.slug])
    client.post(url)
    assert not SectionProgress.objects.filter(status=SectionStatus.APPROVED).exists()

    complete_section(alpha, section)
    assert SectionProgress.objects.get(section=section).status == SectionStatus.COMPLETE
    response = client.post(url)
    assert response.status_code == 302
    progress = SectionProgress.objects.get(section=section)
    assert progress.status == SectionStatus.APPROVED
    assert progress.approved_by == alpha.manager
    assert progress.approved_at is not None
    assert AuditEvent.objects.filter(kind=AuditKind.SECTION_APPROVED).count() == 1


def test_editors_cannot_approve(client, alpha, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    client.force_login(alpha.editor)
    assert (
        client.post(reverse("workbook:approve_section", args=["alpha", section.slug])).status_code
        == 403
    )
    assert SectionProgress.objects.get(section=section).status == SectionStatus.COMPLETE


def test_viewers_cannot_reopen(alpha, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    workflow_actions.approve_section(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section
    )
    with pytest.raises(PermissionDenied):
        workflow_actions.reopen_section(
            access=JurisdictionAccess.of(alpha.viewer, alpha.jurisdiction),
            section=section,
            reason="typo",
        )
    assert SectionProgress.objects.get(section=section).status == SectionStatus.APPROVED


def test_overview_offers_review_controls_to_managers_only(client, alpha, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    approve = reverse("workbook:approve_section", args=["alpha", section.slug])
    client.force_login(alpha.manager)
    assert approve in client.get(reverse("workbook:overview", args=["alpha"])).content.decode()
    client.force_login(alpha.editor)
    body = client.get(reverse("workbook:overview", args=["alpha"])).content.decode()
    assert approve not in body
    assert reverse("workbook:section_comments", args=["alpha", section.slug]) in body
