"""Pages of the workbook: dashboard, a jurisdiction's overview and the review of all answers."""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from workbook.answers.progress import section_rows, summaries_for
from workbook.models import Membership
from workbook.security.access import can_edit_answers, get_membership
from workbook.wizard.views import WorkbookState, review_sections
from workbook.workflow.actions import assigned_to


@login_required
def dashboard(request):
    memberships = list(
        Membership.objects.filter(user=request.user).select_related(
            "jurisdiction", "jurisdiction__workbook"
        )
    )
    summaries = summaries_for(m.jurisdiction for m in memberships)
    for membership in memberships:
        membership.progress = summaries[membership.jurisdiction_id]
    return render(
        request,
        "workbook/dashboard.html",
        {"memberships": memberships, "assignments": assigned_to(request.user)},
    )


def _section_url(jurisdiction_slug: str, section_slug: str) -> str:
    return reverse(
        "workbook:section",
        kwargs={"jurisdiction_slug": jurisdiction_slug, "step": section_slug},
    )


@login_required
def overview(request, jurisdiction_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    rows = [
        SimpleNamespace(
            section=section,
            progress=progress,
            url=_section_url(jurisdiction_slug, section.slug),
        )
        for section, progress in section_rows(membership.jurisdiction)
    ]
    return render(
        request,
        "workbook/overview.html",
        {"jurisdiction": membership.jurisdiction, "membership": membership, "rows": rows},
    )


@login_required
def review(request, jurisdiction_slug):
    """Every section's answers on one page, with gaps marked and a way back to each section."""
    membership = get_membership(request.user, jurisdiction_slug)
    state = WorkbookState.load(membership.jurisdiction)
    sections = review_sections(state, lambda slug: _section_url(jurisdiction_slug, slug))
    answered, required = state.required_counts()
    return render(
        request,
        "workbook/review.html",
        {
            "jurisdiction": membership.jurisdiction,
            "membership": membership,
            "can_edit": can_edit_answers(membership),
            "sections": sections,
            "required_answered": answered,
            "required_total": required,
        },
    )
