"""The review page: every section with its answers and what is still missing."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from workbook.answers.presenter import value_view
from workbook.answers.rules import (
    condition_met,
    missing_required,
)
from workbook.models import SectionStatus
from workbook.security.access import Action, JurisdictionAccess
from workbook.wizard.state import WorkbookState
from workbook.workflow.views import section_url

COMPLETE = SectionStatus.COMPLETE


def review_sections(state: WorkbookState, step_url) -> list[dict[str, Any]]:
    """Every section with its shown questions, their answers and what is still missing."""
    result = []
    for section in state.sections:
        values = state.section_values(section)
        questions = state.questions[section.pk]
        missing = {q.slug for q in missing_required(questions, values)}
        result.append(
            {
                "section": section,
                "progress": state.progress_of(section),
                "url": step_url(section.slug),
                "missing_count": len(missing),
                "answers": [
                    {
                        "question": q,
                        "value": value_view(q, values.get(q.slug)),
                        "missing": q.slug in missing,
                    }
                    for q in questions
                    if condition_met(q.show_if, values)
                ],
            }
        )
    return result


@login_required
def review(request, jurisdiction_slug):
    """Every section's answers on one page, with gaps marked and a way back to each section."""
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    membership = access.membership
    state = WorkbookState.load(access.jurisdiction)
    sections = review_sections(state, lambda slug: section_url(jurisdiction_slug, slug))
    answered, required = state.required_counts()
    return render(
        request,
        "workbook/review.html",
        {
            "jurisdiction": access.jurisdiction,
            "membership": membership,
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
