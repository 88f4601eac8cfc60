"""The one place that decides who may do what to a jurisdiction's workbook.

Members act through their role (viewer < editor < manager); facilitators are staff users assigned
to a jurisdiction in the admin and may read and comment, never edit answers. Every view, the admin
and the actions ask here: `allows(membership, Action.X)` for members, `may(user, jurisdiction,
Action.X)` when the actor may be a member or a facilitator.

Tenant isolation: a jurisdiction the user does not belong to answers 404, never 403, so slugs and
ids leak nothing. A member asking for something their role does not allow gets 403 (they already
know the jurisdiction exists), and the refusal is recorded in the audit log.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from workbook.models import Jurisdiction, Membership, Role


class Action(StrEnum):
    VIEW = "view"
    EXPORT_DRAFT = "export_draft"
    EDIT_ANSWERS = "edit_answers"
    REPLY_TO_COMMENT = "reply_to_comment"
    RESOLVE_COMMENT = "resolve_comment"
    START_COMMENT = "start_comment"
    MANAGE_TEAM = "manage_team"
    ASSIGN_SECTION = "assign_section"
    APPROVE_SECTION = "approve_section"
    EXPORT_FINAL = "export_final"
    EXPORT_ANSWERS_CSV = "export_answers_csv"


_VIEWER = frozenset({Action.VIEW, Action.EXPORT_DRAFT})
_EDITOR = _VIEWER | {Action.EDIT_ANSWERS, Action.REPLY_TO_COMMENT, Action.RESOLVE_COMMENT}
_MANAGER = _EDITOR | {
    Action.START_COMMENT,
    Action.MANAGE_TEAM,
    Action.ASSIGN_SECTION,
    Action.APPROVE_SECTION,
    Action.EXPORT_FINAL,
}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: _VIEWER,
    Role.EDITOR: _EDITOR,
    Role.MANAGER: _MANAGER,
}
# Facilitators coach from the admin: they read, comment and export answers; they never edit them.
FACILITATOR_ACTIONS = frozenset(
    {
        Action.VIEW,
        Action.START_COMMENT,
        Action.REPLY_TO_COMMENT,
        Action.RESOLVE_COMMENT,
        Action.EXPORT_ANSWERS_CSV,
        Action.EXPORT_DRAFT,
    }
)

# Roles a section can be assigned to: people who can fill it in.
ASSIGNABLE_ROLES = {
    role for role, actions in ROLE_ACTIONS.items() if Action.EDIT_ANSWERS in actions
}


def get_membership(user, jurisdiction_slug: str) -> Membership:
    """The user's membership of that jurisdiction, or 404 (never 403: ids leak nothing)."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("jurisdiction", "jurisdiction__workbook")
        .filter(user=user, jurisdiction__slug=jurisdiction_slug)
        .first()
    )
    if membership is None:
        # A facilitator of the jurisdiction is not refused here: the pages that serve readers
        # catch this 404 and let them in (strategy/access.py), and the member-only pages refuse
        # someone who may read all of it anyway. Anyone else asked for a jurisdiction that is
        # not theirs: a refusal worth keeping, filed under no jurisdiction (see audit.record).
        if not facilitated_jurisdictions(user).filter(slug=jurisdiction_slug).exists():
            from workbook.audit.record import record
            from workbook.models import AuditKind

            record(
                AuditKind.PERMISSION_DENIED,
                user=user,
                action="open_jurisdiction",
                slug=jurisdiction_slug[:100],
            )
        raise Http404
    return membership


def scoped_jurisdictions(user):
    """Jurisdictions whose workbook this user may open as a member."""
    return Jurisdiction.objects.for_user(user)


def facilitated_jurisdictions(user):
    """Jurisdictions this staff user coaches in the admin (none for anyone else)."""
    return Jurisdiction.objects.for_facilitator(user)


def facilitates(user, jurisdiction: Jurisdiction) -> bool:
    return facilitated_jurisdictions(user).filter(pk=jurisdiction.pk).exists()


def allows(membership: Membership | None, action: Action) -> bool:
    """May this member do `action` in their jurisdiction?"""
    # Inactive users cannot be signed in (Django's backend refuses them), so no check here.
    if membership is None:
        return False
    return action in ROLE_ACTIONS.get(membership.role, frozenset())


def may(user, jurisdiction: Jurisdiction, action: Action) -> bool:
    """May this user, as a member or as its facilitator, do `action` in the jurisdiction?"""
    if not (user.is_authenticated and user.is_active):
        return False
    membership = Membership.objects.filter(user=user, jurisdiction=jurisdiction).first()
    if membership is not None and allows(membership, action):
        return True
    return action in FACILITATOR_ACTIONS and facilitates(user, jurisdiction)


def require(membership: Membership, action: Action) -> None:
    """Raise PermissionDenied (and record it) unless the member may do `action`."""
    if not allows(membership, action):
        deny(membership.user, membership.jurisdiction, action)


def require_may(user, jurisdiction: Jurisdiction, action: Action) -> None:
    if not may(user, jurisdiction, action):
        deny(user, jurisdiction, action)


def deny(user, jurisdiction: Jurisdiction | None, action: Action):
    """Record a refused action and refuse it."""
    from workbook.audit.record import record
    from workbook.models import AuditKind

    record(AuditKind.PERMISSION_DENIED, user=user, jurisdiction=jurisdiction, action=str(action))
    raise PermissionDenied(f"Your role does not allow this ({action}).")


def can_view(membership: Membership | None) -> bool:
    return allows(membership, Action.VIEW)


def can_edit_answers(membership: Membership | None) -> bool:
    return allows(membership, Action.EDIT_ANSWERS)


def can_manage(membership: Membership | None) -> bool:
    """Assign and approve sections, invite members, export final documents."""
    return allows(membership, Action.MANAGE_TEAM)


def can_comment(membership: Membership | None) -> bool:
    """Start a new comment thread (managers in the app; facilitators use `may`)."""
    return allows(membership, Action.START_COMMENT)


def can_reply(membership: Membership | None) -> bool:
    return allows(membership, Action.REPLY_TO_COMMENT)


def can_resolve_comments(membership: Membership | None) -> bool:
    return allows(membership, Action.RESOLVE_COMMENT)


def can_export_final(membership: Membership | None) -> bool:
    return allows(membership, Action.EXPORT_FINAL)


def comment_permissions(membership: Membership | None) -> dict[str, bool]:
    """What the comment templates may offer this member: start, reply, resolve/reopen."""
    return {
        "start": can_comment(membership),
        "reply": can_reply(membership),
        "resolve": can_resolve_comments(membership),
    }


def jurisdictions_facilitator_may(user, action: Action):
    """The jurisdictions where this staff user may do `action` as a facilitator (one query)."""
    if action not in FACILITATOR_ACTIONS or not user.is_active:
        return Jurisdiction.objects.none()
    return facilitated_jurisdictions(user)
