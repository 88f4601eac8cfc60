"""The review page: every section with its answers and what is still missing."""

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.utils.safestring import SafeString

from workbook.answers.presenter import value_view
from workbook.answers.rules import condition_met, missing_required, values_key
from workbook.framed import framed_page
from workbook.kept import render_kept
from workbook.models import SectionStatus
from workbook.security.access import Action, JurisdictionAccess
from workbook.templatetags.workbook_html import review_answers
from workbook.wizard.state import WorkbookState
from workbook.workflow.views import section_urls

COMPLETE = SectionStatus.COMPLETE


def review_sections(state: WorkbookState, step_url) -> list[dict[str, Any]]:
    """Every section with its status, how many required questions are missing and the markup
    of its shown questions and their answers (kept per section and answers: workbook.kept)."""
    result = []
    for section in state.sections:
        values = state.section_values(section)
        questions = state.questions[section.pk]
        missing_count, answers = state.content.markup.get(
            # The jurisdiction too, though the markup is the answers' alone: no page is ever
            # made from another jurisdiction's.
            ("review", state.jurisdiction.pk, section.pk, values_key(values)),
            partial(_answers, questions, values),
        )
        result.append(
            {
                "section": section,
                "progress": state.progress_of(section),
                "url": step_url(section.slug),
                "missing_count": missing_count,
                "answers": answers,
            }
        )
    return result


def _answers(questions, values) -> tuple[int, SafeString]:
    """How many required questions are missing, and the shown questions with their answers."""
    missing = {q.slug for q in missing_required(questions, values)}
    shown = [
        {"question": q, "value": value_view(q, values.get(q.slug)), "missing": q.slug in missing}
        for q in questions
        if condition_met(q.show_if, values)
    ]
    return len(missing), review_answers(shown)


@login_required
def review(request, jurisdiction_slug):
    """Every section's answers on one page, with gaps marked and a way back to each section."""
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    jurisdiction = access.jurisdiction
    state = WorkbookState.load(jurisdiction, with_progress=True)
    # Everything the body is made from (decision 22): the jurisdiction, what this person may
    # do, the path its forms return to, and the answers and progress as read just now.
    key = (
        "review",
        jurisdiction.pk,
        jurisdiction.name,
        access.allowed,
        request.get_full_path(),
        state.answer_rows,
        state.progress_rows,
    )
    return framed_page(
        request,
        "workbook/review.html",
        lambda: {
            "jurisdiction": jurisdiction,
            "membership": access.membership,
            "access": access,
            "body": state.content.markup.get(key, partial(review_body, request, access, state)),
        },
        state.content.markup,
        key,
    )


def review_body(request, access: JurisdictionAccess, state: WorkbookState) -> str:
    """The review page's body, for keeping: it holds no CSRF token and knows of the request
    only its path (workbook.kept)."""
    sections = review_sections(state, section_urls(access.jurisdiction.slug))
    answered, required = state.required_counts()
    return render_kept(
        request,
        "workbook/_review_body.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "can_edit": access.can(Action.EDIT_ANSWERS),
            "sections": sections,
            "approvable": sum(
                1 for s in sections if s["progress"].status == SectionStatus.COMPLETE
            ),
            "required_answered": answered,
            "required_total": required,
        },
    )
