"""Changes to a jurisdiction's team: invitations, roles and removals.

Each function checks permission first (a refusal is recorded even though nothing else is), then
changes state in one transaction and writes an audit event. Team changes lock the jurisdiction row
so two managers demoting each other at once cannot leave it without a manager, and read the
actor's own membership again under that lock: a manager removed or demoted a moment ago by
someone else can no longer change the team.
"""

import hashlib
import secrets
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from workbook.audit.record import record
from workbook.models import AuditKind, Invitation, Jurisdiction, Membership, Role, SectionProgress
from workbook.notifications import notify
from workbook.security.access import ASSIGNABLE_ROLES, Action, JurisdictionAccess, role_allows

ACCOUNT_EXISTS = "An account with this email already exists; sign in to accept."


class TeamRuleBroken(Exception):
    """The change would break a rule of the team (e.g. leave it without a manager)."""


class _ActorNoLongerManages(Exception):
    """Raised under the team lock; refused (and recorded) once the transaction is rolled back."""


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
    access: JurisdictionAccess,
    email: str,
    role: Role,
    link_for: Callable[[str], str],
    request=None,
) -> Invitation:
    """Email a single-use link inviting `email` to join with `role`; replaces earlier pending ones.

    `link_for(token)` turns the token into the absolute URL sent in the email; the token itself is
    never stored.
    """
    access.require(Action.MANAGE_TEAM)
    email = email.strip()
    jurisdiction = access.jurisdiction
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with _refused_unless_still_managing(access), transaction.atomic():
        _lock_team(access)
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
            invited_by=access.user,
            expires_at=now + settings.INVITATION_VALID_FOR,
        )
        record(
            AuditKind.MEMBER_INVITED,
            user=access.user,
            jurisdiction=jurisdiction,
            request=request,
            email=email,
            role=str(role),
            invitation=invitation.pk,
        )
    # Sent once the invitation is committed, so the link never points at a rolled-back row.
    _send_invitation(invitation, link_for(token), access)
    return invitation


def _send_invitation(invitation: Invitation, link: str, access: JurisdictionAccess) -> None:
    context = {
        "invitation": invitation,
        "jurisdiction": invitation.jurisdiction,
        "link": link,
        "inviter": access.user,
        "valid_days": settings.INVITATION_VALID_FOR.days,
    }
    send_mail(
        subject=f"You are invited to the {invitation.jurisdiction.name} AI strategy workbook",
        message=render_to_string("workbook/invitation_email.txt", context),
        from_email=notify.sender(),
        recipient_list=[invitation.email],
    )


def revoke_invitation(*, access: JurisdictionAccess, invitation: Invitation, request=None) -> None:
    access.require(Action.MANAGE_TEAM)
    with transaction.atomic():
        changed = Invitation.objects.filter(
            pk=invitation.pk,
            jurisdiction=access.jurisdiction,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        if changed:
            record(
                AuditKind.INVITATION_REVOKED,
                user=access.user,
                jurisdiction=access.jurisdiction,
                request=request,
                email=invitation.email,
                invitation=invitation.pk,
            )


def accept_invitation(*, invitation: Invitation, user, request=None) -> Membership:
    """Join the jurisdiction as `user` (whose email must be the invited one); single use."""
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise TeamRuleBroken("This invitation was sent to a different email address.")
    with transaction.atomic():
        locked = _lock_pending_invitation(invitation)
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
        # Two submits of the same link wait for each other here; the second finds it used.
        _lock_pending_invitation(invitation)
        taken = Q(email__iexact=invitation.email) | Q(username__iexact=invitation.email)
        if User.objects.filter(taken).exists():
            raise TeamRuleBroken(ACCOUNT_EXISTS)
        first, _, last = full_name.strip().partition(" ")
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=invitation.email.lower(),
                    email=invitation.email.lower(),
                    password=password,
                    first_name=first[:150],
                    last_name=last[:150],
                )
        except IntegrityError:
            # The username was taken after the check above, e.g. through another team's
            # invitation to the same email submitted at the same moment.
            raise TeamRuleBroken(ACCOUNT_EXISTS) from None
        return accept_invitation(invitation=invitation, user=user, request=request)


def _lock_pending_invitation(invitation: Invitation) -> Invitation:
    """The invitation's row, locked until the transaction ends; refused unless still pending."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending():
        raise TeamRuleBroken("This invitation has already been used or has expired.")
    return locked


def add_member(*, access: JurisdictionAccess, user, role: Role, request=None) -> Membership:
    """Put an existing account on the team directly (the admin); invitations are the usual way."""
    access.require(Action.MANAGE_TEAM)
    with _refused_unless_still_managing(access), transaction.atomic():
        _lock_team(access)
        membership, created = Membership.objects.get_or_create(
            user=user, jurisdiction=access.jurisdiction, defaults={"role": role}
        )
        if not created:
            raise TeamRuleBroken(f"{user.get_username()} is already on this team.")
        record(
            AuditKind.MEMBER_JOINED,
            user=access.user,
            jurisdiction=access.jurisdiction,
            request=request,
            member=user.get_username(),
            role=str(role),
        )
    return membership


def change_role(
    *, access: JurisdictionAccess, member: Membership, role: Role, request=None
) -> Membership:
    """Give a member another role; the team always keeps at least one manager."""
    access.require(Action.MANAGE_TEAM)
    with _refused_unless_still_managing(access), transaction.atomic():
        member = _lock_team_member(access, member)
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
            user=access.user,
            jurisdiction=access.jurisdiction,
            request=request,
            member=member.user.get_username(),
            old_role=old_role,
            new_role=str(role),
        )
    return member


def remove_member(*, access: JurisdictionAccess, member: Membership, request=None) -> None:
    """Take a member off the team (their answers stay); never the last manager."""
    access.require(Action.MANAGE_TEAM)
    with _refused_unless_still_managing(access), transaction.atomic():
        member = _lock_team_member(access, member)
        if member.role == Role.MANAGER:
            _keep_a_manager(member, "remove")
        unassign(member)
        username, role = member.user.get_username(), member.role
        member.delete()
        record(
            AuditKind.MEMBER_REMOVED,
            user=access.user,
            jurisdiction=access.jurisdiction,
            request=request,
            member=username,
            old_role=role,
        )


@contextmanager
def _refused_unless_still_managing(access: JurisdictionAccess):
    """Turn an actor found under the team lock no longer managing into a recorded refusal.

    Placed outside the transaction: the refusal is recorded after the rollback, so it stays in
    the audit log as every other refusal does.
    """
    try:
        yield
    except _ActorNoLongerManages:
        stale = JurisdictionAccess(access.user, access.jurisdiction, membership=None)
        stale.require(Action.MANAGE_TEAM)  # refuses, and records it


def _lock_team(access: JurisdictionAccess) -> None:
    """Serialise team changes per jurisdiction, then check the actor still manages the team.

    The access object read the actor's role before this lock was taken; a change committed since
    (the actor removed or demoted by another manager) counts, so their membership is read again.
    """
    Jurisdiction.objects.select_for_update().filter(pk=access.jurisdiction.pk).first()
    if access.membership is None:
        return  # a site administrator in the admin: their right does not come from the team
    current = Membership.objects.filter(
        pk=access.membership.pk, jurisdiction=access.jurisdiction.pk
    ).first()
    if current is None or not role_allows(current.role, Action.MANAGE_TEAM):
        raise _ActorNoLongerManages


def _lock_team_member(access: JurisdictionAccess, member: Membership) -> Membership:
    # The "last manager" rule reads other rows: every team change holds the team lock.
    _lock_team(access)
    current = (
        Membership.objects.select_related("user")
        .filter(pk=member.pk, jurisdiction=access.jurisdiction.pk)
        .first()
    )
    if current is None:
        raise TeamRuleBroken(f"{member.user.get_username()} is no longer on this team.")
    return current


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
