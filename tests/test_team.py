"""Team page, invitations, roles and removals: the rules and the pages that use them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.team_fixtures import PASSWORD, make_user
from workbook.models import AuditEvent, AuditKind, Invitation, Membership, Role, SectionProgress
from workbook.security.access import JurisdictionAccess
from workbook.teams import actions as team_actions

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/invitations/[^/\s]+/)")


def invite(client, team, email="new.person@example.gov", role="editor"):
    client.force_login(team.manager)
    return client.post(
        reverse("workbook:invite", args=[team.jurisdiction.slug]), {"email": email, "role": role}
    )


def link_from(mailoutbox) -> str:
    match = LINK.search(mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_team_page_lists_members_and_pending_invitations(client, alpha, mailoutbox):
    invite(client, alpha, "pending@example.gov")
    response = client.get(reverse("workbook:team", args=["alpha"]))
    assert response.status_code == 200
    body = response.content.decode()
    for user in (alpha.manager, alpha.editor, alpha.viewer):
        assert user.username in body
    assert "pending@example.gov" in body
    assert "Send invitation" in body


def test_team_page_shows_no_management_forms_to_editors(client, alpha):
    client.force_login(alpha.editor)
    body = client.get(reverse("workbook:team", args=["alpha"])).content.decode()
    assert alpha.manager.username in body
    assert "Send invitation" not in body
    assert "Change role" not in body


def test_manager_invites_by_email_and_only_a_hash_is_stored(client, alpha, mailoutbox):
    response = invite(client, alpha, "New.Person@example.gov", "viewer")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["New.Person@example.gov"]
    path = link_from(mailoutbox)
    token = path.split("/")[2]
    invitation = Invitation.objects.get()
    assert invitation.role == Role.VIEWER
    assert invitation.token_hash == team_actions.hash_token(token)
    assert token not in invitation.token_hash
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)).seconds < 2
    assert AuditEvent.objects.filter(kind=AuditKind.MEMBER_INVITED, jurisdiction=alpha.jurisdiction)


def test_editors_and_viewers_cannot_invite(client, alpha, mailoutbox):
    for user in (alpha.editor, alpha.viewer):
        client.force_login(user)
        response = client.post(
            reverse("workbook:invite", args=["alpha"]),
            {"email": "x@example.gov", "role": "manager"},
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    assert AuditEvent.objects.filter(kind=AuditKind.PERMISSION_DENIED).count() == 2


def test_inviting_an_existing_member_is_refused_with_a_message(client, alpha, mailoutbox):
    response = invite(client, alpha, alpha.editor.email)
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert mailoutbox == []


def test_inviting_again_replaces_the_pending_invitation(client, alpha, mailoutbox):
    invite(client, alpha, "twice@example.gov")
    first = link_from(mailoutbox)
    invite(client, alpha, "twice@example.gov", "manager")
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(link_from(mailoutbox)).status_code == 200


def test_new_person_creates_an_account_and_joins(client, alpha, mailoutbox):
    invite(client, alpha, "new.person@example.gov", "editor")
    client.logout()
    path = link_from(mailoutbox)
    page = client.get(path)
    assert page.status_code == 200
    assert "Alpha City" in page.content.decode()

    response = client.post(
        path, {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workbook:overview", args=["alpha"])
    user = get_user_model().objects.get(email="new.person@example.gov")
    assert user.check_password(PASSWORD)
    assert user.get_full_name() == "New Person"
    assert Membership.objects.get(user=user, jurisdiction=alpha.jurisdiction).role == Role.EDITOR
    # Signed in straight away.
    assert client.get(reverse("workbook:overview", args=["alpha"])).status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(kind=AuditKind.MEMBER_JOINED, user=user).exists()


def test_the_link_works_only_once(client, alpha, mailoutbox):
    invite(client, alpha)
    client.logout()
    path = link_from(mailoutbox)
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    assert client.get(path).status_code == 404
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 404
    assert get_user_model().objects.filter(email="new.person@example.gov").count() == 1


def test_an_expired_link_does_not_work(client, alpha, mailoutbox):
    invite(client, alpha)
    client.logout()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link_from(mailoutbox))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_a_withdrawn_link_does_not_work(client, alpha, mailoutbox):
    invite(client, alpha)
    invitation = Invitation.objects.get()
    client.post(reverse("workbook:revoke_invitation", args=["alpha", invitation.pk]))
    client.logout()
    assert client.get(link_from(mailoutbox)).status_code == 404


def test_weak_or_mismatched_passwords_are_refused(client, alpha, mailoutbox):
    invite(client, alpha)
    client.logout()
    path = link_from(mailoutbox)
    response = client.post(path, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 400
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    assert not get_user_model().objects.filter(email="new.person@example.gov").exists()


def test_signed_in_user_with_the_invited_email_joins_with_their_account(
    client, alpha, beta, mailoutbox
):
    invite(client, alpha, beta.editor.email, "viewer")
    client.force_login(beta.editor)
    path = link_from(mailoutbox)
    assert "Join the team" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert (
        Membership.objects.get(user=beta.editor, jurisdiction=alpha.jurisdiction).role == "viewer"
    )


def test_existing_account_is_asked_to_sign_in_first(client, alpha, beta, mailoutbox):
    invite(client, alpha, beta.editor.email)
    client.logout()
    response = client.get(link_from(mailoutbox))
    assert response.status_code == 200
    assert "Sign in to accept" in response.content.decode()
    assert not Membership.objects.filter(user=beta.editor, jurisdiction=alpha.jurisdiction)


def test_someone_else_signed_in_cannot_use_the_link(client, alpha, beta, mailoutbox):
    invite(client, alpha, "someone@example.gov")
    client.force_login(beta.manager)
    path = link_from(mailoutbox)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not Membership.objects.filter(user=beta.manager, jurisdiction=alpha.jurisdiction)
    assert Invitation.objects.get().accepted_at is None


def test_manager_changes_a_role(client, alpha):
    client.force_login(alpha.manager)
    member = alpha.membership(alpha.viewer)
    response = client.post(
        reverse("workbook:change_role", args=["alpha", member.pk]), {"role": "editor"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.EDITOR
    event = AuditEvent.objects.get(kind=AuditKind.ROLE_CHANGED)
    assert event.user == alpha.manager
    assert event.jurisdiction == alpha.jurisdiction
    assert event.detail == {"member": "alpha-viewer", "old_role": "viewer", "new_role": "editor"}
    assert event.created_at.utcoffset() == timedelta(0)


def test_the_last_manager_cannot_be_demoted_or_removed(client, alpha):
    client.force_login(alpha.manager)
    me = alpha.membership(alpha.manager)
    client.post(reverse("workbook:change_role", args=["alpha", me.pk]), {"role": "editor"})
    client.post(reverse("workbook:remove_member", args=["alpha", me.pk]), {"confirm": "yes"})
    me.refresh_from_db()
    assert me.role == Role.MANAGER
    with pytest.raises(team_actions.TeamRuleBroken):
        team_actions.remove_member(access=JurisdictionAccess.of_member(me), member=me)


def test_a_manager_can_step_down_when_another_manager_remains(alpha):
    me = alpha.membership(alpha.manager)
    editor = alpha.membership(alpha.editor)
    team_actions.change_role(
        access=JurisdictionAccess.of_member(me), member=editor, role=Role.MANAGER
    )
    team_actions.change_role(access=JurisdictionAccess.of_member(me), member=me, role=Role.EDITOR)
    me.refresh_from_db()
    assert me.role == Role.EDITOR
    # Now the former editor is the last manager.
    editor.refresh_from_db()
    with pytest.raises(team_actions.TeamRuleBroken):
        team_actions.change_role(
            access=JurisdictionAccess.of_member(editor), member=editor, role=Role.VIEWER
        )


def test_removing_a_member_clears_their_assignments(client, alpha, workbook):
    section = workbook.sections.first()
    SectionProgress.objects.create(
        jurisdiction=alpha.jurisdiction, section=section, assignee=alpha.editor
    )
    client.force_login(alpha.manager)
    member = alpha.membership(alpha.editor)
    asked = client.post(reverse("workbook:remove_member", args=["alpha", member.pk]))
    assert asked.status_code == 200 and "Remove alpha-editor" in asked.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()  # asked first, nothing removed
    client.post(reverse("workbook:remove_member", args=["alpha", member.pk]), {"confirm": "yes"})
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert SectionProgress.objects.get(section=section).assignee is None
    assert AuditEvent.objects.filter(kind=AuditKind.MEMBER_REMOVED).count() == 1


def test_editors_cannot_change_roles_or_remove(alpha):
    actor = alpha.membership(alpha.editor)
    viewer = alpha.membership(alpha.viewer)
    with pytest.raises(PermissionDenied):
        team_actions.change_role(
            access=JurisdictionAccess.of_member(actor), member=viewer, role=Role.MANAGER
        )
    with pytest.raises(PermissionDenied):
        team_actions.remove_member(access=JurisdictionAccess.of_member(actor), member=viewer)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


def test_get_on_a_post_only_endpoint_is_405_for_members(client, alpha):
    client.force_login(alpha.manager)
    member = alpha.membership(alpha.viewer)
    assert (
        client.get(reverse("workbook:remove_member", args=["alpha", member.pk])).status_code == 405
    )


def test_password_reset_sends_a_working_link(client, alpha, mailoutbox):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    assert "Forgot password?" in login_page

    response = client.post(reverse("password_reset"), {"email": alpha.editor.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    path = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()
    new = "another-long-password-77"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    alpha.editor.refresh_from_db()
    assert alpha.editor.check_password(new)


def test_a_manager_stepping_down_is_told_and_sent_to_the_overview(client, alpha):
    team_actions.change_role(
        access=JurisdictionAccess.of_member(alpha.membership(alpha.manager)),
        member=alpha.membership(alpha.editor),
        role=Role.MANAGER,
    )
    client.force_login(alpha.manager)
    me = alpha.membership(alpha.manager)
    response = client.post(
        reverse("workbook:change_role", args=["alpha", me.pk]), {"role": "viewer"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workbook:overview", args=["alpha"])
    assert "alpha-manager is now viewer." in response.content.decode()


def test_an_account_named_like_the_email_is_not_taken_over(client, alpha, mailoutbox):
    make_user("new.person@example.gov", email="someone.else@example.gov")
    invite(client, alpha, "new.person@example.gov")
    client.logout()
    response = client.post(link_from(mailoutbox), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def second_manager(team, username="second-manager") -> Membership:
    return Membership.objects.create(
        user=make_user(username), jurisdiction=team.jurisdiction, role=Role.MANAGER
    )


def test_a_manager_removed_a_moment_ago_cannot_change_roles(alpha):
    """Their request checked their role before another manager's removal landed."""
    second = second_manager(alpha)
    editor = alpha.membership(alpha.editor)
    team_actions.remove_member(
        access=JurisdictionAccess.of_member(alpha.membership(alpha.manager)), member=second
    )

    with pytest.raises(PermissionDenied):
        team_actions.change_role(
            access=JurisdictionAccess.of_member(second), member=editor, role=Role.VIEWER
        )
    with pytest.raises(PermissionDenied):
        team_actions.remove_member(access=JurisdictionAccess.of_member(second), member=editor)
    with pytest.raises(PermissionDenied):
        team_actions.invite_member(
            access=JurisdictionAccess.of_member(second),
            email="late@example.gov",
            role=Role.EDITOR,
            link_for=str,
        )

    editor.refresh_from_db()
    assert editor.role == Role.EDITOR
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.filter(
        kind=AuditKind.PERMISSION_DENIED, user=second.user, detail__action="manage_team"
    ).exists()


def test_a_manager_demoted_a_moment_ago_cannot_remove_anyone(alpha):
    second = second_manager(alpha)
    stale = Membership.objects.get(pk=second.pk)
    team_actions.change_role(
        access=JurisdictionAccess.of_member(alpha.membership(alpha.manager)),
        member=second,
        role=Role.EDITOR,
    )

    with pytest.raises(PermissionDenied):
        team_actions.remove_member(
            access=JurisdictionAccess.of_member(stale), member=alpha.membership(alpha.viewer)
        )
    assert Membership.objects.filter(user=alpha.viewer, jurisdiction=alpha.jurisdiction).exists()
    assert AuditEvent.objects.filter(kind=AuditKind.PERMISSION_DENIED, user=second.user).exists()


def test_changing_a_member_who_just_left_is_a_clear_refusal(alpha):
    viewer = alpha.membership(alpha.viewer)
    me = alpha.membership(alpha.manager)
    team_actions.remove_member(
        access=JurisdictionAccess.of_member(me), member=Membership.objects.get(pk=viewer.pk)
    )

    with pytest.raises(team_actions.TeamRuleBroken, match="alpha-viewer is no longer on this team"):
        team_actions.change_role(
            access=JurisdictionAccess.of_member(me), member=viewer, role=Role.EDITOR
        )
    with pytest.raises(team_actions.TeamRuleBroken, match="no longer on this team"):
        team_actions.remove_member(access=JurisdictionAccess.of_member(me), member=viewer)


def test_a_stale_invitation_cannot_create_a_second_account(client, alpha, mailoutbox):
    """The same invitation accepted twice in a row: the second is told the link was used."""
    invite(client, alpha)
    invitation = Invitation.objects.get()
    team_actions.create_account_and_accept(invitation=invitation, password=PASSWORD)

    with pytest.raises(team_actions.TeamRuleBroken, match="already been used"):
        team_actions.create_account_and_accept(invitation=invitation, password=PASSWORD)
    assert get_user_model().objects.filter(email="new.person@example.gov").count() == 1
    assert AuditEvent.objects.filter(kind=AuditKind.MEMBER_JOINED).count() == 1


def test_the_team_page_explains_each_role_next_to_the_picker(client, alpha):
    client.force_login(alpha.manager)
    body = client.get(reverse("workbook:team", args=["alpha"])).content.decode()
    assert "exports draft documents" in body and "assigns and approves sections" in body
    assert 'aria-describedby="roles"' in body
