"""The one access policy: for one user and one jurisdiction, what they may do and see.

Members act through their role (viewer < editor < manager); facilitators are staff users assigned
to a jurisdiction in the admin and may read and comment, never edit answers. A request builds one
`JurisdictionAccess` and everything asks it: `can(Action.X)` to decide what to show,
`require(Action.X)` to refuse, `queryset(Model)` and `get_or_404(Model, ...)` for the rows of the
jurisdiction. Actions take it and call `require` themselves, so a view never checks a permission
that its action checks again (docs/code-style.md).

Tenant isolation: a jurisdiction the user does not belong to answers 404, never 403, so slugs and
ids leak nothing. A member asking for something their role does not allow gets 403 (they already
know the jurisdiction exists). Building or asking the object has no side effect; a refusal is
recorded in the audit log where a request is actually refused (`open` and `require`).
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.http import Http404

from workbook import sql
from workbook.models import Jurisdiction, Membership, Role, Workbook


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
    REOPEN_SECTION = "reopen_section"
    EXPORT_FINAL = "export_final"
    EXPORT_ANSWERS_CSV = "export_answers_csv"


_VIEWER = frozenset({Action.VIEW, Action.EXPORT_DRAFT})
_EDITOR = _VIEWER | {
    Action.EDIT_ANSWERS,
    Action.REOPEN_SECTION,
    Action.REPLY_TO_COMMENT,
    Action.RESOLVE_COMMENT,
}
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
M = TypeVar("M", bound=models.Model)

ASSIGNABLE_ROLES = {
    role for role, actions in ROLE_ACTIONS.items() if Action.EDIT_ANSWERS in actions
}


def role_allows(role: str | None, action: Action) -> bool:
    """May a member with this role do `action` (the role table, for rules about other members)?"""
    return action in ROLE_ACTIONS.get(role or "", frozenset())


@dataclass(frozen=True)
class JurisdictionAccess:
    """What one user may do in one jurisdiction: as its member, its facilitator, or neither."""

    user: Any  # a User, or AnonymousUser (who may do nothing)
    jurisdiction: Jurisdiction
    membership: Membership | None
    coaches: bool = False
    allowed: frozenset[Action] = field(init=False)

    def __post_init__(self) -> None:
        active = getattr(self.user, "is_authenticated", False) and self.user.is_active
        allowed: frozenset[Action] = frozenset()
        if active and self.membership is not None:
            allowed = ROLE_ACTIONS.get(self.membership.role, frozenset())
        if active and self.coaches:
            allowed = allowed | FACILITATOR_ACTIONS
        if active and self.user.is_superuser and self.membership is None:
            # Site administrators act from the admin (team changes, comments); they never fill
            # in a workbook, since its pages are for members only (`open(members_only=True)`).
            allowed = frozenset(Action) - {Action.EDIT_ANSWERS}
        object.__setattr__(self, "allowed", allowed)

    # -- building one ------------------------------------------------------------------------

    @classmethod
    def of(cls, user, jurisdiction: Jurisdiction) -> "JurisdictionAccess":
        """The user's access to a jurisdiction already in hand (actions, commands, the admin)."""
        membership = None
        if getattr(user, "is_authenticated", False):
            membership = Membership.objects.filter(user=user, jurisdiction=jurisdiction).first()
            if membership is not None:
                membership.user = user  # the caller's: no join to read it again
        coaches = (
            Jurisdiction.objects.for_facilitator(user).filter(pk=jurisdiction.pk).exists()
            if membership is None
            else False
        )
        return cls(user, jurisdiction, membership, coaches)

    @classmethod
    def of_member(cls, membership: Membership) -> "JurisdictionAccess":
        return cls(membership.user, membership.jurisdiction, membership)

    @classmethod
    def open(
        cls, user, jurisdiction_slug: str, *, members_only: bool = False
    ) -> "JurisdictionAccess":
        """The access of a request to a jurisdiction's pages, or 404 (never 403).

        Facilitators of the jurisdiction may read its pages unless `members_only` (the pages
        where people fill in and run the workbook). Anyone else asked for a jurisdiction that is
        not theirs: the refusal is recorded, filed under no jurisdiction (see audit.record).
        """
        if not getattr(user, "is_authenticated", False):
            raise Http404
        with connection.cursor() as cursor:
            cursor.execute(_membership_sql(True), {"user": user.pk, "slug": jurisdiction_slug})
            row = cursor.fetchone()
        if row is not None:
            membership = _membership(row, user)
            return cls(user, membership.jurisdiction, membership)
        coached = (
            Jurisdiction.objects.for_facilitator(user)
            .select_related("workbook")
            .filter(slug=jurisdiction_slug)
            .first()
        )
        if coached is not None and not members_only:
            return cls(user, coached, None, coaches=True)
        if coached is None:
            from workbook.audit.record import record
            from workbook.models import AuditKind

            record(
                AuditKind.PERMISSION_DENIED,
                user=user,
                action="open_jurisdiction",
                slug=jurisdiction_slug[:100],
            )
        raise Http404

    # -- asking it ---------------------------------------------------------------------------

    def can(self, action: Action) -> bool:
        return action in self.allowed

    def require(self, action: Action) -> None:
        """Raise PermissionDenied, and record the refusal, unless the user may do `action`."""
        if not self.can(action):
            from workbook.audit.record import record
            from workbook.models import AuditKind

            record(
                AuditKind.PERMISSION_DENIED,
                user=self.user if getattr(self.user, "is_authenticated", False) else None,
                jurisdiction=self.jurisdiction,
                action=str(action),
            )
            raise PermissionDenied(f"Your role does not allow this ({action}).")

    @cached_property
    def permissions(self) -> dict[str, bool]:
        """Every action by name, for templates: `{% if access.permissions.manage_team %}`."""
        return {action.value: action in self.allowed for action in Action}

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    def queryset(self, model: type[M]) -> models.QuerySet[M]:
        """The rows of `model` that belong to this jurisdiction (every tenant model has the key)."""
        if not self.can(Action.VIEW):
            return model._default_manager.none()
        return model._default_manager.filter(jurisdiction=self.jurisdiction)

    def get_or_404(self, model: type[M], **lookup: Any) -> M:
        """One of this jurisdiction's rows, or 404 (another jurisdiction's ids leak nothing)."""
        found = self.queryset(model).filter(**lookup).first()
        if found is None:
            raise Http404
        return found


def facilitated_jurisdictions(user) -> models.QuerySet:
    """Jurisdictions this staff user coaches in the admin (none for anyone else)."""
    return Jurisdiction.objects.for_facilitator(user)


def jurisdictions_facilitator_may(user, action: Action) -> models.QuerySet:
    """The jurisdictions where this staff user may do `action` as a facilitator (one query)."""
    if action not in FACILITATOR_ACTIONS or not user.is_active:
        return Jurisdiction.objects.none()
    return facilitated_jurisdictions(user)


def membership_rows(user) -> tuple[tuple, ...]:
    """The user's memberships with their jurisdictions and workbooks as read, by jurisdiction
    name (a page kept by what it is made from is looked up by them: workbook.kept)."""
    with connection.cursor() as cursor:
        cursor.execute(_membership_sql(False), {"user": user.pk})
        return tuple(cursor.fetchall())


def memberships_of(user, rows: tuple[tuple, ...] | None = None) -> list[Membership]:
    """The user's memberships with their jurisdictions and workbooks, by jurisdiction name
    (made from their `membership_rows` when the caller has read them)."""
    return [_membership(row, user) for row in (membership_rows(user) if rows is None else rows)]


_MEMBERSHIP_ROW = (Membership, Jurisdiction, Workbook)


def _membership(row, user) -> Membership:
    membership, jurisdiction, workbook = sql.instances(row, _MEMBERSHIP_ROW)
    jurisdiction.workbook = workbook
    membership.jurisdiction = jurisdiction
    membership.user = user  # the caller's, read already: no join to read it again
    return membership


@cache
def _membership_sql(by_slug: bool) -> str:
    """The user's memberships (of the jurisdiction with this slug, or all by name), with each
    jurisdiction and its workbook: the read of every page of a workbook and of the dashboard,
    written once per process (the ORM took about a quarter of a document page's time to build
    it)."""
    m, j, w = "m", "j", "w"
    selected = ", ".join(map(sql.select_list, _MEMBERSHIP_ROW, (m, j, w)))
    which = (
        f" AND {sql.column(Jurisdiction, 'slug', j)} = %(slug)s"
        if by_slug
        else f" ORDER BY {sql.column(Jurisdiction, 'name', j)}, {sql.column(Jurisdiction, 'id', j)}"
    )
    return (
        f"SELECT {selected}"  # noqa: S608 - names are the models', values parameters
        f" FROM {sql.table(Membership)} AS {m}"
        f"{sql.join(Jurisdiction, j, Membership, 'jurisdiction', m)}"
        f"{sql.join(Workbook, w, Jurisdiction, 'workbook', j)}"
        f" WHERE {sql.column(Membership, 'user', m)} = %(user)s{which}"
    )
