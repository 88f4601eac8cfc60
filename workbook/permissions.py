"""The one place that decides who may do what to a jurisdiction's workbook."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Jurisdiction, Membership, Role

EDIT_ROLES = {Role.EDITOR, Role.MANAGER}


def get_membership(user, jurisdiction_slug: str) -> Membership:
    """The user's membership of that jurisdiction, or 404 (never 403: ids leak nothing)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Membership.objects.select_related("jurisdiction", "jurisdiction__workbook"),
        user=user,
        jurisdiction__slug=jurisdiction_slug,
    )


def scoped_jurisdictions(user):
    """Jurisdictions whose workbook this user may open as a member."""
    return Jurisdiction.objects.for_user(user)


def can_edit_answers(membership: Membership) -> bool:
    return membership.role in EDIT_ROLES


def can_manage(membership: Membership) -> bool:
    """Assign and approve sections, invite members, export final documents."""
    return membership.role == Role.MANAGER
