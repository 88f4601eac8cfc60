"""Where the team stands: the dashboard of a user's workbooks and a jurisdiction's overview."""

from collections.abc import Callable
from functools import partial
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.db.models import Count, Max
from django.db.models.query import EmptyQuerySet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from workbook.answers.progress import ProgressRow, progress_rows, section_rows, summaries_for
from workbook.comments.counts import (
    CommentCounts,
    CountRow,
    comment_count_rows,
    comment_counts,
)
from workbook.content.cache import section_or_404, workbook_content
from workbook.framed import framed_page
from workbook.kept import Kept
from workbook.models import Comment, Jurisdiction, Membership, SectionProgress, SectionStatus
from workbook.security.access import (
    ASSIGNABLE_ROLES,
    Action,
    JurisdictionAccess,
    facilitated_jurisdictions,
    membership_rows,
    memberships_of,
)
from workbook.security.redirects import redirect_back
from workbook.workflow import actions as workflow_actions
from workbook.workflow.actions import assigned_to
from workbook.workflow.forms import AssignForm
from workbook.workflow.next_step import STAGES, next_step

# Dashboards kept by what they are made from (decisions 19 and 24), bodies and whole pages,
# the least recently read dropped first: up to about 7 KB each.
dashboards: Kept[str] = Kept(256)


@login_required
def dashboard(request):
    user = request.user
    rows = membership_rows(user)
    memberships = memberships_of(user, rows)
    coached = coached_jurisdictions(user, memberships)
    members = [m.jurisdiction for m in memberships]
    # One read of the section progress gives both the progress and what is assigned to you.
    progress = progress_rows(members + coached)
    comments = comment_count_rows(user, [m.jurisdiction_id for m in memberships])
    make = partial(dashboard_body, user, memberships, coached, progress, comments)
    # A coach's table comes from reads of its own (coaching_rows): made for each request. Anyone
    # else's body is their memberships, progress and comment counts as read just now.
    key = None if coached else (user.pk, rows, progress, comments)
    return framed_page(
        request,
        "workbook/dashboard.html",
        lambda: {"body": make() if key is None else dashboards.get(key, make)},
        dashboards,
        key,
    )


def coached_jurisdictions(user, memberships: list[Membership]) -> list[Jurisdiction]:
    """The jurisdictions this user coaches and does not belong to, by name."""
    facilitated = facilitated_jurisdictions(user)
    # Most people coach no one (`none()`): refining and running that costs ~1,200 calls too.
    if isinstance(facilitated, EmptyQuerySet):
        return []
    # The memberships are at hand: excluding their ids costs less than a join on memberships.
    return list(
        facilitated.exclude(pk__in=[m.jurisdiction_id for m in memberships])
        .select_related("workbook")
        .order_by("name")
    )


def dashboard_body(
    user,
    memberships: list[Membership],
    coached: list[Jurisdiction],
    progress: tuple[ProgressRow, ...],
    comment_rows: tuple[CountRow, ...],
) -> str:
    """The dashboard's body, for keeping: it holds no form and knows nothing of the request."""
    members = [m.jurisdiction for m in memberships]
    summaries = summaries_for(members + coached, progress)
    comments = comment_counts(user, [m.jurisdiction_id for m in memberships], comment_rows)
    for membership in memberships:
        membership.progress = summaries[membership.jurisdiction_id]  # type: ignore[attr-defined]  # for the template
        membership.comments = comments[membership.jurisdiction_id]  # type: ignore[attr-defined]  # for the template
    return render_to_string(
        "workbook/_dashboard_body.html",
        {
            "memberships": memberships,
            "assignments": assigned_to(user, members, progress),
            "coached": coaching_rows(coached, summaries),
        },
    )


def coaching_rows(jurisdictions: list[Jurisdiction], summaries) -> list[SimpleNamespace]:
    """What a facilitator's home shows of each jurisdiction they coach, in two more queries."""
    if not jurisdictions:
        return []  # most people coach none, and building two queries that find nothing is not free
    open_threads = dict(
        Comment.objects.filter(
            jurisdiction__in=jurisdictions, parent__isnull=True, resolved_at__isnull=True
        )
        .values("jurisdiction")
        .annotate(n=Count("id"))
        .values_list("jurisdiction", "n")
    )
    last_saved = dict(
        SectionProgress.objects.filter(jurisdiction__in=jurisdictions)
        .values("jurisdiction")
        .annotate(last=Max("updated_at"))
        .values_list("jurisdiction", "last")
    )
    return [
        SimpleNamespace(
            jurisdiction=j,
            progress=summaries[j.pk],
            awaiting_approval=summaries[j.pk].complete_count - summaries[j.pk].approved_count,
            open_comments=open_threads.get(j.pk, 0),
            last_activity=last_saved.get(j.pk),
        )
        for j in jurisdictions
    ]


# What section_urls reverses in the step's place: the path's last occurrence of it is the step.
_STEP = "_STEP_"


def section_urls(
    jurisdiction_slug: str, url_name: str = "workbook:section"
) -> Callable[[str], str]:
    """The address of each section of the workbook, for pages that link them all (a step list,
    the review page): one reverse() a page instead of one a section. A step is a slug, which
    the path carries as it is; it comes last in the path, after the jurisdiction's."""
    head, _, tail = reverse(
        url_name, kwargs={"jurisdiction_slug": jurisdiction_slug, "step": _STEP}
    ).rpartition(_STEP)
    return lambda step: f"{head}{step}{tail}"


@login_required
def overview(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    membership = access.membership
    sections = section_rows(access.jurisdiction)
    comments = comment_counts(request.user, [access.jurisdiction.pk])[access.jurisdiction.pk]
    url = section_urls(jurisdiction_slug)
    rows = [
        SimpleNamespace(
            section=section,
            progress=progress,
            url=url(section.slug),
            comments=comments.by_section.get(section.pk, CommentCounts()),
        )
        for section, progress in sections
    ]
    return render(
        request,
        "workbook/overview.html",
        {
            "jurisdiction": access.jurisdiction,
            "membership": membership,
            "access": access,
            "rows": rows,
            "approvable": sum(1 for r in rows if r.progress.status == SectionStatus.COMPLETE),
            "next": next_step(access, sections),
            "comments": comments,
            "stages": STAGES,
        },
    )


@login_required
def assign_section(request, jurisdiction_slug, section_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    membership = access.membership
    section = section_or_404(membership, section_slug)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    access.require(Action.ASSIGN_SECTION)
    assignable = (
        Membership.objects.filter(jurisdiction=access.jurisdiction, role__in=ASSIGNABLE_ROLES)
        .select_related("user")
        .order_by("user__username")
    )
    progress = access.jurisdiction.progress.filter(section=section).first()
    initial = {}
    if progress is not None and progress.assignee_id:
        initial = {
            "assignee": assignable.filter(user=progress.assignee_id).first(),
            "due_date": progress.due_date,
        }
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        assignable=assignable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow_actions.assign_section(
                access=access,
                section=section,
                assignee=form.cleaned_data["assignee"],
                due_date=form.cleaned_data["due_date"],
                request=request,
            )
        except workflow_actions.WorkflowRuleBroken as error:
            form.add_error("assignee", str(error))
        else:
            who = form.cleaned_data["assignee"]
            messages.success(
                request,
                f"“{section.title}” assigned to {who.user.get_username()}."
                if who
                else f"“{section.title}” is no longer assigned.",
            )
            return redirect("workbook:overview", jurisdiction_slug)
    return render(
        request,
        "workbook/team_assign.html",
        {
            "jurisdiction": access.jurisdiction,
            "membership": membership,
            "section": section,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _posted_version(value: str | None) -> int | None:
    """The section version a page posted, None if it sent none; tampering is refused."""
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise SuspiciousOperation("The section version is not a whole number.")
    return int(value)


def _section_step(request, jurisdiction_slug, section_slug, step, done_message, **posted):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    membership = access.membership
    section = section_or_404(membership, section_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        step(access=access, section=section, request=request, **posted)
    except workflow_actions.WorkflowRuleBroken as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message.format(title=section.title))
    return redirect_back(request, reverse("workbook:overview", args=[jurisdiction_slug]))


@login_required
def approve_section(request, jurisdiction_slug, section_slug):
    return _section_step(
        request,
        jurisdiction_slug,
        section_slug,
        workflow_actions.approve_section,
        "“{title}” is approved.",
        expected_version=_posted_version(request.POST.get("version")),
    )


@login_required
def reopen_section(request, jurisdiction_slug, section_slug):
    return _section_step(
        request,
        jurisdiction_slug,
        section_slug,
        workflow_actions.reopen_section,
        "“{title}” is reopened for changes. The managers are told why.",
        reason=request.POST.get("reason", ""),
    )


@login_required
def approve_sections(request, jurisdiction_slug):
    """Approve the sections ticked on the overview or review page, each at the version shown."""
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.APPROVE_SECTION)
    sections = {s.slug: s for s in workbook_content(access.jurisdiction.workbook).sections}
    chosen = []
    for slug in request.POST.getlist("section"):
        if slug not in sections:
            raise Http404("No such section in this workbook.")
        chosen.append((sections[slug], _posted_version(request.POST.get(f"version-{slug}"))))
    if not chosen:
        messages.error(request, "Choose the sections to approve.")
    else:
        approved, refused = workflow_actions.approve_sections(
            access=access, sections=chosen, request=request
        )
        if approved:
            titles = ", ".join(f"“{p.section.title}”" for p in approved)
            messages.success(request, f"Approved: {titles}.")
        for error in refused:
            messages.error(request, str(error))
    return redirect_back(request, reverse("workbook:overview", args=[jurisdiction_slug]))
