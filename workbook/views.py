"""Pages of the workbook: dashboard and a jurisdiction's overview."""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Membership
from .permissions import get_membership
from .progress import section_rows, summaries_for
from .workflow_actions import assigned_to


@login_required
def dashboard(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("jurisdiction"))
    summaries = summaries_for(m.jurisdiction for m in memberships)
    for membership in memberships:
        membership.progress = summaries[membership.jurisdiction_id]
    return render(
        request,
        "workbook/dashboard.html",
        {"memberships": memberships, "assignments": assigned_to(request.user)},
    )


@login_required
def overview(request, jurisdiction_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    rows = [
        SimpleNamespace(section=section, progress=progress, url=None)
        for section, progress in section_rows(membership.jurisdiction)
    ]
    return render(
        request,
        "workbook/overview.html",
        {"jurisdiction": membership.jurisdiction, "membership": membership, "rows": rows},
    )
