"""Team, invitation, section review and comment pages. Thin: forms validate, actions change state.

Every view resolves the jurisdiction through the membership first, so another jurisdiction's
objects answer 404 whatever the method; only then is the method checked (405).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from workbook.comments import actions as comment_actions
from workbook.models import Comment, Invitation, Membership, Question, Section
from workbook.security.access import (
    ASSIGNABLE_ROLES,
    Action,
    can_manage,
    comment_permissions,
    get_membership,
    require,
)
from workbook.teams import actions as team_actions
from workbook.teams.forms import (
    AccountForm,
    AssignForm,
    CommentForm,
    InviteForm,
    ReplyForm,
    RoleForm,
)
from workbook.workflow import actions as workflow_actions

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _section(membership: Membership, section_slug: str) -> Section:
    return get_object_or_404(
        Section.active, workbook=membership.jurisdiction.workbook_id, slug=section_slug
    )


def _member(membership: Membership, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        pk=membership_id,
        jurisdiction=membership.jurisdiction_id,
    )


def _comment(membership: Membership, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("jurisdiction", "section", "question", "parent"),
        pk=comment_id,
        jurisdiction=membership.jurisdiction_id,
    )


def _back(request, default: str):
    """Redirect to the form's `next` if it is a page of this site, else to `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _team_url(membership: Membership) -> str:
    return reverse("workbook:team", args=[membership.jurisdiction.slug])


# Team ------------------------------------------------------------------------------------------


@login_required
def team(request, jurisdiction_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _render_team(request, membership)


def _render_team(request, membership, invite_form=None, status=200):
    jurisdiction = membership.jurisdiction
    members = list(
        Membership.objects.filter(jurisdiction=jurisdiction)
        .select_related("user")
        .order_by("user__username")
    )
    invitations = [
        i
        for i in Invitation.objects.filter(
            jurisdiction=jurisdiction, accepted_at__isnull=True, revoked_at__isnull=True
        ).select_related("invited_by")
        if i.is_pending()
    ]
    return render(
        request,
        "workbook/team.html",
        {
            "jurisdiction": jurisdiction,
            "membership": membership,
            "members": members,
            "invitations": invitations,
            "invite_form": invite_form or InviteForm(),
            "role_choices": RoleForm.base_fields["role"].choices,
        },
        status=status,
    )


@login_required
def invite(request, jurisdiction_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.MANAGE_TEAM)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            team_actions.invite_member(
                actor=membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("invitation", args=[token])
                ),
                request=request,
            )
        except team_actions.TeamRuleBroken as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect(_team_url(membership))
    return _render_team(request, membership, invite_form=form, status=400)


@login_required
def change_role(request, jurisdiction_slug, membership_id):
    membership = get_membership(request.user, jurisdiction_slug)
    member = _member(membership, membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.MANAGE_TEAM)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect(_team_url(membership))
    try:
        changed = team_actions.change_role(
            actor=membership, member=member, role=form.cleaned_data["role"], request=request
        )
    except team_actions.TeamRuleBroken as error:
        messages.error(request, str(error))
        return redirect(_team_url(membership))
    messages.success(
        request,
        f"{changed.user.get_username()} is now {changed.get_role_display().lower()}.",
    )
    if changed.user_id == request.user.id and not can_manage(changed):
        # You just gave up managing this team: its team page has nothing more for you to do.
        return redirect("workbook:overview", jurisdiction_slug)
    return redirect(_team_url(membership))


@login_required
def remove_member(request, jurisdiction_slug, membership_id):
    membership = get_membership(request.user, jurisdiction_slug)
    member = _member(membership, membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.MANAGE_TEAM)
    try:
        team_actions.remove_member(actor=membership, member=member, request=request)
    except team_actions.TeamRuleBroken as error:
        messages.error(request, str(error))
        return redirect(_team_url(membership))
    messages.success(request, f"{member.user.get_username()} was removed from the team.")
    if member.user_id == request.user.id:
        return redirect("dashboard")
    return redirect(_team_url(membership))


@login_required
def revoke_invitation(request, jurisdiction_slug, invitation_id):
    membership = get_membership(request.user, jurisdiction_slug)
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, jurisdiction=membership.jurisdiction_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.MANAGE_TEAM)
    team_actions.revoke_invitation(actor=membership, invitation=invitation, request=request)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect(_team_url(membership))


# Invitations -----------------------------------------------------------------------------------


def invitation(request, token):
    """The emailed link: join with the signed-in account, sign in first, or create an account."""
    found = team_actions.find_invitation(token)
    user = request.user
    if found is None or (
        user.is_authenticated and user.email.strip().lower() != found.email.lower()
    ):
        # One answer for unknown, used, expired and someone else's links: nothing leaks.
        return render(request, "workbook/invitation_invalid.html", status=404)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context = {"invitation": found, "jurisdiction": found.jurisdiction}

    if user.is_authenticated:
        if request.method == "POST":
            return _join(request, found, user)
        return render(request, "workbook/invitation_join.html", context)

    if get_user_model().objects.filter(email__iexact=found.email).exists():
        context["login_url"] = f"{reverse('login')}?{urlencode({'next': request.path})}"
        return render(request, "workbook/invitation_sign_in.html", context)

    form = AccountForm(request.POST if request.method == "POST" else None, email=found.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = team_actions.create_account_and_accept(
                invitation=found,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                request=request,
            )
        except team_actions.TeamRuleBroken as error:
            form.add_error(None, str(error))
        else:
            login(request, membership.user, backend=MODEL_BACKEND)
            messages.success(
                request,
                f"Welcome to the {found.jurisdiction.name} team. "
                f"Sign in next time with {membership.user.get_username()}.",
            )
            return redirect("workbook:overview", found.jurisdiction.slug)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "workbook/invitation_accept.html", context, status=status)


def _join(request, invitation, user):
    try:
        team_actions.accept_invitation(invitation=invitation, user=user, request=request)
    except team_actions.TeamRuleBroken as error:
        messages.error(request, str(error))
        return redirect("dashboard")
    messages.success(request, f"You joined the {invitation.jurisdiction.name} team.")
    return redirect("workbook:overview", invitation.jurisdiction.slug)


# Section review ------------------------------------------------------------------------------


@login_required
def assign_section(request, jurisdiction_slug, section_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    section = _section(membership, section_slug)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    require(membership, Action.ASSIGN_SECTION)
    assignable = (
        Membership.objects.filter(jurisdiction=membership.jurisdiction, role__in=ASSIGNABLE_ROLES)
        .select_related("user")
        .order_by("user__username")
    )
    progress = membership.jurisdiction.progress.filter(section=section).first()
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
                actor=membership,
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
            "jurisdiction": membership.jurisdiction,
            "membership": membership,
            "section": section,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _section_step(request, jurisdiction_slug, section_slug, step, done_message):
    membership = get_membership(request.user, jurisdiction_slug)
    section = _section(membership, section_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        step(actor=membership, section=section, request=request)
    except workflow_actions.WorkflowRuleBroken as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message.format(title=section.title))
    return _back(request, reverse("workbook:overview", args=[jurisdiction_slug]))


@login_required
def approve_section(request, jurisdiction_slug, section_slug):
    return _section_step(
        request,
        jurisdiction_slug,
        section_slug,
        workflow_actions.approve_section,
        "“{title}” is approved.",
    )


@login_required
def reopen_section(request, jurisdiction_slug, section_slug):
    return _section_step(
        request,
        jurisdiction_slug,
        section_slug,
        workflow_actions.reopen_section,
        "“{title}” is reopened for more work.",
    )


# Comments --------------------------------------------------------------------------------------


@login_required
def section_comments(request, jurisdiction_slug, section_slug):
    """Every comment thread of a section, grouped by question; managers start new ones here."""
    membership = get_membership(request.user, jurisdiction_slug)
    section = _section(membership, section_slug)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    questions = list(Question.active.filter(section=section).order_by("position"))
    form = CommentForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST":
        require(membership, Action.START_COMMENT)
        if form.is_valid():
            slug = form.cleaned_data["question"]
            try:
                comment_actions.add_comment(
                    user=request.user,
                    jurisdiction=membership.jurisdiction,
                    section=section,
                    question=next((q for q in questions if q.slug == slug), None),
                    body=form.cleaned_data["body"],
                )
            except comment_actions.CommentRuleBroken as error:
                form.add_error("body", str(error))
            else:
                messages.success(request, "Comment added.")
                return _back(request, request.path)

    threads = comment_actions.section_threads(membership.jurisdiction, section)
    by_question: dict = {}
    for thread in threads:
        by_question.setdefault(thread.question_id, []).append(thread)
    groups = [(None, by_question.get(None, []))] + [
        (q, by_question[q.pk]) for q in questions if q.pk in by_question
    ]
    return render(
        request,
        "workbook/comments.html",
        {
            "jurisdiction": membership.jurisdiction,
            "membership": membership,
            "section": section,
            "groups": groups,
            "thread_count": len(threads),
            "form": form,
            "comment_perms": comment_permissions(membership),
        },
        status=400 if request.method == "POST" else 200,
    )


def _comments_url(comment: Comment) -> str:
    return reverse(
        "workbook:section_comments", args=[comment.jurisdiction.slug, comment.section.slug]
    )


@login_required
def reply_to_comment(request, jurisdiction_slug, comment_id):
    membership = get_membership(request.user, jurisdiction_slug)
    comment = _comment(membership, comment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.REPLY_TO_COMMENT)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            comment_actions.add_comment(
                user=request.user,
                jurisdiction=membership.jurisdiction,
                section=comment.section,
                body=form.cleaned_data["body"],
                parent=comment.parent or comment,
            )
        except comment_actions.CommentRuleBroken as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Reply added.")
    else:
        messages.error(request, "Write a reply first.")
    return _back(request, _comments_url(comment))


def _set_comment_resolved(request, jurisdiction_slug, comment_id, *, resolved: bool):
    membership = get_membership(request.user, jurisdiction_slug)
    comment = _comment(membership, comment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.RESOLVE_COMMENT)
    if resolved:
        comment_actions.resolve_comment(user=request.user, comment=comment)
        messages.success(request, "Comment resolved.")
    else:
        comment_actions.reopen_comment(user=request.user, comment=comment)
        messages.success(request, "Comment reopened.")
    return _back(request, _comments_url(comment))


@login_required
def resolve_comment(request, jurisdiction_slug, comment_id):
    return _set_comment_resolved(request, jurisdiction_slug, comment_id, resolved=True)


@login_required
def reopen_comment(request, jurisdiction_slug, comment_id):
    return _set_comment_resolved(request, jurisdiction_slug, comment_id, resolved=False)
