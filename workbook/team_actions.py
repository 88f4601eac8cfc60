"""Changes to a jurisdiction's team: invitations, roles and removals.

Each function checks permission first (a refusal is recorded even though nothing else is), then
changes state in one transaction and writes an audit event. Team changes lock the jurisdiction row
so two managers demoting each other at once cannot leave it without a manager.
"""

import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .audit import record
from .models import AuditKind, Invitation, Jurisdiction, Membership, Role, SectionProgress
from .permissions import ASSIGNABLE_ROLES, Action, require


class TeamRuleBroken(Exception):
    """The change would break a rule of the team (e.g. leave it without a manager)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The pending invitation this link's token belongs to, if any."""
    invitation = (
        Invitation.objects.select_related("jurisdiction")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_pending():
        return None
    return invitation


def invite_member(
    *,
    actor: Membership,
    email: str,
    role: Role,
    link_for: Callable[[str], str],
    request=None,
) -> Invitation:
    """Email a single-use link inviting `email` to join with `role`; replaces earlier pending ones.

    `link_for(token)` turns the token into the absolute URL sent in the email; the token itself is
    never stored.
    """
    require(actor, Action.MANAGE_TEAM)
    email = email.strip()
    jurisdiction = actor.jurisdiction
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).first()
        if Membership.objects.filter(jurisdiction=jurisdiction, user__email__iexact=email).exists():
            raise TeamRuleBroken(f"{email} is already a member of this team.")
        Invitation.objects.filter(
            jurisdiction=jurisdiction,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            jurisdiction=jurisdiction,
            email=email,
            role=role,
            token_hash=hash_token(token),
            invited_by=actor.user,
            expires_at=now + settings.INVITATION_VALID_FOR,
        )
        record(
            AuditKind.MEMBER_INVITED,
            user=actor.user,
            jurisdiction=jurisdiction,
            request=request,
            email=email,
            role=str(role),
            invitation=invitation.pk,
        )
    # Sent once the invitation is committed, so the link never points at a rolled-back row.
    _send_invitation(invitation, link_for(token), actor)
    return invitation


def _send_invitation(invitation: Invitation, link: str, actor: Membership) -> None:
    context = {
        "invitation": invitation,
        "jurisdiction": invitation.jurisdiction,
        "link": link,
        "inviter": actor.user,
        "valid_days": settings.INVITATION_VALID_FOR.days,
    }
    send_mail(
        subject=f"You are invited to the {invitation.jurisdiction.name} AI strategy workbook",
        message=render_to_string("workbook/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def revoke_invitation(*, actor: Membership, invitation: Invitation, request=None) -> None:
    require(actor, Action.MANAGE_TEAM)
    with transaction.atomic():
        changed = Invitation.objects.filter(
            pk=invitation.pk,
            jurisdiction=actor.jurisdiction,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        if changed:
            record(
                AuditKind.INVITATION_REVOKED,
                user=actor.user,
                jurisdiction=actor.jurisdiction,
                request=request,
                email=invitation.email,
                invitation=invitation.pk,
            )


def accept_invitation(*, invitation: Invitation, user, request=None) -> Membership:
    """Join the jurisdiction as `user` (whose email must be the invited one); single use."""
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise TeamRuleBroken("This invitation was sent to a different email address.")
    with transaction.atomic():
        # Lock the invitation so two clicks on the same link cannot both use it.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending():
            raise TeamRuleBroken("This invitation has already been used or has expired.")
        membership, created = Membership.objects.get_or_create(
            user=user, jurisdiction=locked.jurisdiction, defaults={"role": locked.role}
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        if created:
            record(
                AuditKind.MEMBER_JOINED,
                user=user,
                jurisdiction=locked.jurisdiction,
                request=request,
                role=membership.role,
                invitation=locked.pk,
            )
    return membership


def create_account_and_accept(
    *, invitation: Invitation, password: str, full_name: str = "", request=None
) -> Membership:
    """Create an account for the invited email (its username) and join with it."""
    User = get_user_model()
    with transaction.atomic():
        taken = Q(email__iexact=invitation.email) | Q(username__iexact=invitation.email)
        if User.objects.filter(taken).exists():
            raise TeamRuleBroken("An account with this email already exists; sign in to accept.")
        first, _, last = full_name.strip().partition(" ")
        user = User.objects.create_user(
            username=invitation.email.lower(),
            email=invitation.email.lower(),
            password=password,
            first_name=first[:150],
            last_name=last[:150],
        )
        return accept_invitation(invitation=invitation, user=user, request=request)


def change_role(*, actor: Membership, member: Membership, role: Role, request=None) -> Membership:
    """Give a member another role; the team always keeps at least one manager."""
    require(actor, Action.MANAGE_TEAM)
    with transaction.atomic():
        member = _lock_team_member(actor, member)
        old_role = member.role
        if old_role == role:
            return member
        if old_role == Role.MANAGER:
            _keep_a_manager(member, "demote")
        member.role = role
        member.save(update_fields=["role"])
        if role not in ASSIGNABLE_ROLES:
            unassign(member)
        record(
            AuditKind.ROLE_CHANGED,
            user=actor.user,
            jurisdiction=actor.jurisdiction,
            request=request,
            member=member.user.get_username(),
            old_role=old_role,
            new_role=str(role),
        )
    return member


def remove_member(*, actor: Membership, member: Membership, request=None) -> None:
    """Take a member off the team (their answers stay); never the last manager."""
    require(actor, Action.MANAGE_TEAM)
    with transaction.atomic():
        member = _lock_team_member(actor, member)
        if member.role == Role.MANAGER:
            _keep_a_manager(member, "remove")
        unassign(member)
        username, role = member.user.get_username(), member.role
        member.delete()
        record(
            AuditKind.MEMBER_REMOVED,
            user=actor.user,
            jurisdiction=actor.jurisdiction,
            request=request,
            member=username,
            old_role=role,
        )


def _lock_team_member(actor: Membership, member: Membership) -> Membership:
    # Serialises team changes per jurisdiction (the "last manager" rule reads other rows).
    Jurisdiction.objects.select_for_update().filter(pk=actor.jurisdiction_id).first()
    return Membership.objects.select_related("user").get(
        pk=member.pk, jurisdiction=actor.jurisdiction_id
    )


def _keep_a_manager(member: Membership, verb: str) -> None:
    others = (
        Membership.objects.filter(jurisdiction=member.jurisdiction_id, role=Role.MANAGER)
        .exclude(pk=member.pk)
        .exists()
    )
    if not others:
        raise TeamRuleBroken(
            f"You cannot {verb} the last manager. Make someone else a manager first."
        )


def unassign(member: Membership) -> None:
    """Clear the member's section assignments (they left, or can no longer fill sections)."""
    SectionProgress.objects.filter(
        jurisdiction=member.jurisdiction_id, assignee=member.user_id
    ).update(assignee=None, due_date=None)
