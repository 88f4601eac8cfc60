"""Team pages: members, roles, invitations. Thin: forms validate, actions change state.

Every view resolves the jurisdiction through the request's access object first, so another
jurisdiction's objects answer 404 whatever the method; only then is the method checked (405).
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.forms import ChoiceField
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from workbook.models import Invitation, Membership
from workbook.security.access import Action, JurisdictionAccess, role_allows
from workbook.teams import actions as team_actions
from workbook.teams.forms import AccountForm, InviteForm, RoleForm

# The backend that checks passwords (settings.AUTHENTICATION_BACKENDS).
MODEL_BACKEND = "workbook.security.backends.AccountBackend"


def _member(access: JurisdictionAccess, membership_id: int) -> Membership:
    return access.get_or_404(Membership, pk=membership_id)


def _team_url(access: JurisdictionAccess) -> str:
    return reverse("workbook:team", args=[access.jurisdiction.slug])


@login_required
def team(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _render_team(request, access)


def _render_team(request, access: JurisdictionAccess, invite_form=None, status=200):
    membership = access.membership
    jurisdiction = access.jurisdiction
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
            "access": access,
            "members": members,
            "invitations": invitations,
            "invite_form": invite_form or InviteForm(),
            "role_choices": cast(ChoiceField, RoleForm.base_fields["role"]).choices,
        },
        status=status,
    )


@login_required
def invite(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.MANAGE_TEAM)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            team_actions.invite_member(
                access=access,
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
            return redirect(_team_url(access))
    return _render_team(request, access, invite_form=form, status=400)


@login_required
def change_role(request, jurisdiction_slug, membership_id):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    member = _member(access, membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.MANAGE_TEAM)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect(_team_url(access))
    try:
        changed = team_actions.change_role(
            access=access, member=member, role=form.cleaned_data["role"], request=request
        )
    except team_actions.TeamRuleBroken as error:
        messages.error(request, str(error))
        return redirect(_team_url(access))
    messages.success(
        request,
        f"{changed.user.get_username()} is now {changed.get_role_display().lower()}.",
    )
    if changed.user_id == request.user.id and not role_allows(changed.role, Action.MANAGE_TEAM):
        # You just gave up managing this team: its team page has nothing more for you to do.
        return redirect("workbook:overview", jurisdiction_slug)
    return redirect(_team_url(access))


@login_required
def remove_member(request, jurisdiction_slug, membership_id):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    member = _member(access, membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.MANAGE_TEAM)
    if request.POST.get("confirm") != "yes":
        # Removing someone is asked once more, on its own page, with what it does.
        return render(
            request,
            "workbook/team_remove.html",
            {"jurisdiction": access.jurisdiction, "access": access, "member": member},
        )
    try:
        team_actions.remove_member(access=access, member=member, request=request)
    except team_actions.TeamRuleBroken as error:
        messages.error(request, str(error))
        return redirect(_team_url(access))
    messages.success(request, f"{member.user.get_username()} was removed from the team.")
    if member.user_id == request.user.id:
        return redirect("dashboard")
    return redirect(_team_url(access))


@login_required
def revoke_invitation(request, jurisdiction_slug, invitation_id):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    invitation = access.get_or_404(Invitation, pk=invitation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.MANAGE_TEAM)
    team_actions.revoke_invitation(access=access, invitation=invitation, request=request)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect(_team_url(access))


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
    context: dict[str, Any] = {"invitation": found, "jurisdiction": found.jurisdiction}

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
