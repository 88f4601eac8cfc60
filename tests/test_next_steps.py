"""The overview's next step, the start page of a new workbook, and /workbook/ resuming."""

import pytest
from django.urls import reverse

from tests.team_fixtures import complete_section, first_section
from workbook.content.cache import workbook_content
from workbook.models import SectionProgress, SectionStatus
from workbook.security.access import JurisdictionAccess
from workbook.workflow import actions as workflow_actions

pytestmark = pytest.mark.django_db


def overview(client, user):
    client.force_login(user)
    response = client.get(reverse("workbook:overview", args=["alpha"]))
    assert response.status_code == 200
    return response


def sections(workbook):
    return workbook_content(workbook).sections


def test_a_new_workbook_shows_the_start_page_and_starts_with_section_1(client, alpha, workbook):
    response = overview(client, alpha.editor)
    body = response.content.decode()
    assert "Before you start" in body
    for heading in (
        "How long it takes",
        "Whom to involve",
        "What to have at hand",
        "What comes out",
    ):
        assert heading in body
    assert response.context["next"].label == "Start with section 1"
    assert response.context["next"].url == reverse(
        "workbook:section", args=["alpha", first_section(workbook).slug]
    )


def test_the_next_step_is_the_first_unfinished_section(client, alpha, workbook):
    complete_section(alpha, first_section(workbook))
    response = overview(client, alpha.editor)
    assert "Before you start" not in response.content.decode()
    second = sections(workbook)[1]
    assert response.context["next"].label == f"Continue with section {second.number}"
    assert 'aria-current="step"' in response.content.decode()


def all_complete(alpha, workbook):
    for section in sections(workbook):
        SectionProgress.objects.update_or_create(
            jurisdiction=alpha.jurisdiction,
            section=section,
            defaults={"status": SectionStatus.COMPLETE},
        )


def test_once_everything_is_filled_in_managers_review_and_approve(client, alpha, workbook):
    all_complete(alpha, workbook)
    n = len(sections(workbook))
    manager = overview(client, alpha.manager).context["next"]
    assert manager.label == f"Review and approve {n} sections"
    assert manager.url == reverse("workbook:review", args=["alpha"])
    editor = overview(client, alpha.editor).context["next"]
    assert editor.label == "Review the answers"
    assert "wait for a manager's approval" in editor.note


def test_once_everything_is_approved_the_next_step_is_the_export(client, alpha, workbook):
    all_complete(alpha, workbook)
    SectionProgress.objects.filter(jurisdiction=alpha.jurisdiction).update(
        status=SectionStatus.APPROVED
    )
    step = overview(client, alpha.editor).context["next"]
    assert step.label == "Export the final strategy"
    assert step.url == reverse("strategy:documents", kwargs={"jurisdiction_slug": "alpha"})


def test_the_workbook_address_continues_where_this_user_left_off(client, alpha, workbook):
    third = sections(workbook)[2]
    complete_section(alpha, first_section(workbook))  # saved by alpha's editor
    client.force_login(alpha.manager)
    wizard = reverse("workbook:wizard", args=["alpha"])
    # The manager saved nothing: the first section the team has not finished.
    assert client.get(wizard)["Location"].endswith(f"/{sections(workbook)[1].slug}/")
    complete_section(alpha, third)
    client.force_login(alpha.editor)  # a new session: the editor's last save decides
    assert client.get(wizard)["Location"].endswith(f"/{third.slug}/")


def test_an_approved_section_is_not_the_next_step(client, alpha, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    workflow_actions.approve_section(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section
    )
    assert overview(client, alpha.manager).context["next"].label == "Continue with section 2"
