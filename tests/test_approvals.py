"""Approvals hold: an approved section changes only once reopened with a reason; approving is
refused on a section saved since the manager's page was loaded; several approve at once."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from strategy.answers import load_answers
from strategy.scoring import actions as scoring_actions
from strategy.scoring.readiness import readiness_from_answers
from tests.sweep_support import answer_readiness_with_gaps
from tests.team_fixtures import complete_section, current_version, first_section
from workbook.answers.actions import (
    SectionApproved,
    save_screening,
    save_section,
    save_use_case,
)
from workbook.models import (
    Answer,
    AuditEvent,
    AuditKind,
    Question,
    Section,
    SectionProgress,
    SectionStatus,
)
from workbook.security.access import JurisdictionAccess
from workbook.wizard.state import WorkbookState
from workbook.workflow import actions as workflow_actions

pytestmark = pytest.mark.django_db


def approved(team, section):
    complete_section(team, section)
    return workflow_actions.approve_section(
        access=JurisdictionAccess.of(team.manager, team.jurisdiction), section=section
    )


def short_text(section):
    questions = section.questions.filter(retired_at__isnull=True, show_if__isnull=True)
    return questions.filter(field_type__in=["short_text", "long_text"]).first()


def edit(team, section, text, **kwargs):
    return save_section(
        access=JurisdictionAccess.of(team.editor, team.jurisdiction),
        section=section,
        values={short_text(section).slug: text},
        expected_version=current_version(team, section),
        **kwargs,
    )


def progress_of(team, section) -> SectionProgress:
    return SectionProgress.objects.get(jurisdiction=team.jurisdiction, section=section)


# -- the rule in save_section ---------------------------------------------------------------------


def test_a_save_that_changes_an_approved_section_is_refused_and_writes_nothing(alpha, workbook):
    section = first_section(workbook)
    before = approved(alpha, section)
    question = short_text(section)
    kept = Answer.objects.get(jurisdiction=alpha.jurisdiction, question=question).value
    with pytest.raises(SectionApproved):
        edit(alpha, section, "A quiet change")
    progress = progress_of(alpha, section)
    assert progress.status == SectionStatus.APPROVED
    assert progress.version == before.version  # the version taken is rolled back too
    assert Answer.objects.get(jurisdiction=alpha.jurisdiction, question=question).value == kept
    assert not AuditEvent.objects.filter(kind=AuditKind.SECTION_REOPENED).exists()


def test_a_save_that_changes_nothing_leaves_the_approval_alone(alpha, workbook):
    section = first_section(workbook)
    approved(alpha, section)
    text = Answer.objects.get(jurisdiction=alpha.jurisdiction, question=short_text(section)).value
    edit(alpha, section, text)
    assert progress_of(alpha, section).status == SectionStatus.APPROVED


def test_an_approval_made_after_the_save_read_the_section_holds(alpha, workbook):
    # The wizard's save reads the answers and progress first; an approval leaves the version
    # as it was, so the status that decides is the one the version's claim reads under lock.
    section = first_section(workbook)
    complete_section(alpha, section)
    state = WorkbookState.load(alpha.jurisdiction)
    version = current_version(alpha, section)
    workflow_actions.approve_section(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section
    )
    with pytest.raises(SectionApproved):
        save_section(
            access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
            section=section,
            values={short_text(section).slug: "A late change"},
            expected_version=version,
            answers_read=state.section_answers(section),
        )
    assert progress_of(alpha, section).status == SectionStatus.APPROVED


def test_a_save_with_a_reason_reopens_records_it_and_tells_the_managers(
    alpha, workbook, django_capture_on_commit_callbacks
):
    alpha.editor.first_name, alpha.editor.last_name = "Eda", "Ortiz"
    alpha.editor.save()
    section = first_section(workbook)
    approved(alpha, section)
    with django_capture_on_commit_callbacks(execute=True):
        edit(alpha, section, "A needed change", reopen_reason="  The budget moved.  ")
    progress = progress_of(alpha, section)
    assert progress.status == SectionStatus.COMPLETE  # ready to approve again
    assert progress.approved_by is None
    assert (progress.reopened_by, progress.reopen_reason) == (alpha.editor, "The budget moved.")
    assert progress.reopened_at is not None
    event = AuditEvent.objects.get(kind=AuditKind.SECTION_REOPENED)
    assert (event.user, event.detail["reason"]) == (alpha.editor, "The budget moved.")
    assert [m.to for m in mail.outbox] == [[alpha.manager.email]]
    message = mail.outbox[0]
    assert "Eda Ortiz" in message.body and "Alpha City" in message.subject
    assert "The budget moved." in message.body
    assert reverse("workbook:section", args=["alpha", section.slug]) in message.body


def test_a_viewer_cannot_reopen_by_saving(alpha, workbook):
    section = first_section(workbook)
    approved(alpha, section)
    with pytest.raises(PermissionDenied):
        save_section(
            access=JurisdictionAccess.of(alpha.viewer, alpha.jurisdiction),
            section=section,
            values={short_text(section).slug: "x"},
            expected_version=current_version(alpha, section),
            reopen_reason="because",
        )


# -- reopening ------------------------------------------------------------------------------------


def test_an_editor_reopens_with_a_reason_and_a_second_reopen_changes_nothing(alpha, workbook):
    section = first_section(workbook)
    approved(alpha, section)
    access = JurisdictionAccess.of(alpha.editor, alpha.jurisdiction)
    workflow_actions.reopen_section(access=access, section=section, reason="Typo in a name")
    first = progress_of(alpha, section)
    assert first.status == SectionStatus.COMPLETE
    workflow_actions.reopen_section(access=access, section=section, reason="Again")
    again = progress_of(alpha, section)
    assert (again.reopen_reason, again.reopened_at) == ("Typo in a name", first.reopened_at)
    assert AuditEvent.objects.filter(kind=AuditKind.SECTION_REOPENED).count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reopen_without_a_fitting_reason_is_refused(alpha, workbook, reason):
    section = first_section(workbook)
    approved(alpha, section)
    with pytest.raises(workflow_actions.WorkflowRuleBroken):
        workflow_actions.reopen_section(
            access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
            section=section,
            reason=reason,
        )
    assert progress_of(alpha, section).status == SectionStatus.APPROVED


def test_the_reopen_page_needs_a_reason(client, alpha, workbook):
    section = first_section(workbook)
    approved(alpha, section)
    client.force_login(alpha.editor)
    url = reverse("workbook:reopen_section", args=["alpha", section.slug])
    client.post(url, {"reason": ""})
    assert progress_of(alpha, section).status == SectionStatus.APPROVED
    client.post(url, {"reason": "The vision changed."})
    assert progress_of(alpha, section).status == SectionStatus.COMPLETE


def test_another_jurisdiction_cannot_reopen(client, alpha, beta, workbook):
    section = first_section(workbook)
    approved(alpha, section)
    client.force_login(beta.manager)
    url = reverse("workbook:reopen_section", args=["alpha", section.slug])
    assert client.post(url, {"reason": "sneaky"}).status_code == 404
    assert progress_of(alpha, section).status == SectionStatus.APPROVED


# -- other pages that write -----------------------------------------------------------------------


def action_plan_gap(team):
    return readiness_from_answers(load_answers(team.jurisdiction)).largest_gaps()[0]


def answer_readiness(team, workbook):
    """Answer the readiness section (gaps appear) and approve the action plan."""
    answer_readiness_with_gaps(team, Section.active.get(workbook=workbook, slug="readiness"))
    plan = Section.active.get(workbook=workbook, slug=scoring_actions.ACTION_PLAN_SECTION)
    approved(team, plan)
    return plan


def test_add_to_action_plan_asks_before_reopening_an_approved_plan(client, alpha, workbook):
    plan = answer_readiness(alpha, workbook)
    gap = action_plan_gap(alpha)
    client.force_login(alpha.editor)
    url = reverse("strategy:add_to_action_plan", args=["alpha"])
    response = client.post(url, {"dimension": gap.slug})
    assert response.status_code == 302
    assert f"?reopen={gap.slug}" in response["Location"]
    assert progress_of(alpha, plan).status == SectionStatus.APPROVED
    page = client.get(response["Location"]).content.decode()
    assert "Reopen the action plan and add" in page
    client.post(url, {"dimension": gap.slug, "reopen_reason": "The council asked for it."})
    progress = progress_of(alpha, plan)
    assert progress.status == SectionStatus.COMPLETE
    assert progress.reopen_reason == "The council asked for it."
    rows = load_answers(alpha.jurisdiction).rows(scoring_actions.ACTIONS_QUESTION)
    assert scoring_actions.suggested_action_row(gap)["action"] in {r["action"] for r in rows}


def test_the_register_and_screening_leave_approved_sections_approved(alpha, workbook):
    sections = list(Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION)[:4])
    for section in sections:
        approved(alpha, section)
    access = JurisdictionAccess.of(alpha.editor, alpha.jurisdiction)
    use_case = save_use_case(
        access=access, use_case=None, fields={"name": "Permit triage", "ai_type": "language"}
    )
    question = Question.active.filter(
        section__workbook=workbook, section__scope=Section.Scope.USE_CASE, field_type="yes_no"
    ).first()
    save_screening(
        access=access, use_case=use_case, values={question.slug: True}, expected_version=0
    )
    statuses = set(
        SectionProgress.objects.filter(jurisdiction=alpha.jurisdiction).values_list(
            "status", flat=True
        )
    )
    assert statuses == {SectionStatus.APPROVED}


# -- the wizard -----------------------------------------------------------------------------------


def section_page(client, section):
    return client.get(reverse("workbook:section", args=["alpha", section.slug]))


def posted(response, section, **changes) -> dict:
    data = {
        key: values if len(values) > 1 else values[0]
        for key, values in response.context["form"].data.lists()
    }
    data["version"] = str(response.context["version"])
    data["base"] = response.context["base"]
    data["workbook_alpha-current_step"] = section.slug
    return data | changes


def test_an_approved_section_reads_only_with_who_approved_it(client, alpha, workbook):
    alpha.manager.first_name, alpha.manager.last_name = "Mara", "Diaz"
    alpha.manager.save()
    section = first_section(workbook)
    progress = approved(alpha, section)
    client.force_login(alpha.editor)
    response = section_page(client, section)
    body = response.content.decode()
    day = progress.approved_at
    assert "Approved by Mara Diaz on" in body
    assert f">{day:%B} {day.day}, {day.year}</time>" in body
    assert "data-autosave-url" not in body
    assert "Save and continue" not in body
    assert "Reopen for changes" in body
    assert response.context["form"].read_only


def test_a_submit_on_an_approved_section_asks_for_a_reason_and_keeps_the_text(
    client, alpha, workbook
):
    section = first_section(workbook)
    complete_section(alpha, section)
    client.force_login(alpha.editor)
    page = section_page(client, section)  # loaded before the manager approves
    workflow_actions.approve_section(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section
    )
    slug = short_text(section).slug
    data = posted(page, section, **{slug: "Typed after approval", "wizard_action": "next"})
    response = client.post(reverse("workbook:section", args=["alpha", section.slug]), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "your changes are not saved yet" in body
    assert "Typed after approval" in body
    assert progress_of(alpha, section).status == SectionStatus.APPROVED

    autosave = reverse("workbook:autosave", args=["alpha", section.slug])
    assert client.post(autosave, data).status_code == 423

    retry = data | {
        "version": str(response.context["version"]),
        "wizard_action": "reopen_save",
        "reopen_reason": "",
    }
    response = client.post(reverse("workbook:section", args=["alpha", section.slug]), retry)
    assert response.status_code == 409
    assert "Say briefly why" in response.content.decode()
    retry["reopen_reason"] = "The director's title changed."
    response = client.post(reverse("workbook:section", args=["alpha", section.slug]), retry)
    assert response.status_code == 302
    progress = progress_of(alpha, section)
    assert progress.reopen_reason == "The director's title changed."
    assert Answer.objects.get(question__slug=slug, jurisdiction=alpha.jurisdiction).value == (
        "Typed after approval"
    )


# -- approving ------------------------------------------------------------------------------------


def test_an_approval_of_a_section_saved_since_the_page_was_loaded_is_refused(
    client, alpha, workbook
):
    section = first_section(workbook)
    complete_section(alpha, section)
    client.force_login(alpha.manager)
    shown = current_version(alpha, section)
    edit(alpha, section, "Changed meanwhile")
    response = client.post(
        reverse("workbook:approve_section", args=["alpha", section.slug]),
        {"version": str(shown)},
        follow=True,
    )
    body = response.content.decode()
    assert "changed since you loaded the page: it is now complete" in body
    assert progress_of(alpha, section).status == SectionStatus.COMPLETE
    client.post(
        reverse("workbook:approve_section", args=["alpha", section.slug]),
        {"version": str(current_version(alpha, section))},
    )
    assert progress_of(alpha, section).status == SectionStatus.APPROVED


def test_a_manager_approves_several_sections_at_once(client, alpha, workbook):
    first, second, third = Section.active.filter(
        workbook=workbook, scope=Section.Scope.JURISDICTION
    )[:3]
    for section in (first, second, third):
        complete_section(alpha, section)
    client.force_login(alpha.manager)
    overview = client.get(reverse("workbook:overview", args=["alpha"])).content.decode()
    assert overview.count('form="approve-many"') == 6  # a box and a version per section
    stale = current_version(alpha, second)
    edit(alpha, second, "Changed meanwhile")
    response = client.post(
        reverse("workbook:approve_sections", args=["alpha"]),
        {
            "section": [first.slug, second.slug, third.slug],
            f"version-{first.slug}": current_version(alpha, first),
            f"version-{second.slug}": stale,
            f"version-{third.slug}": current_version(alpha, third),
        },
        follow=True,
    )
    assert progress_of(alpha, first).status == SectionStatus.APPROVED
    assert progress_of(alpha, second).status == SectionStatus.COMPLETE
    assert progress_of(alpha, third).status == SectionStatus.APPROVED
    assert "changed since you loaded the page" in response.content.decode()


def test_the_review_page_offers_approval_for_each_complete_section(client, alpha, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    approve = reverse("workbook:approve_section", args=["alpha", section.slug])
    client.force_login(alpha.manager)
    assert approve in client.get(reverse("workbook:review", args=["alpha"])).content.decode()
    client.force_login(alpha.editor)
    assert approve not in client.get(reverse("workbook:review", args=["alpha"])).content.decode()


def test_editors_cannot_approve_several(client, alpha, workbook):
    section = first_section(workbook)
    complete_section(alpha, section)
    client.force_login(alpha.editor)
    response = client.post(
        reverse("workbook:approve_sections", args=["alpha"]), {"section": [section.slug]}
    )
    assert response.status_code == 403
    assert progress_of(alpha, section).status == SectionStatus.COMPLETE
