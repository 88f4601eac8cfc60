"""The permission policy: a table of role → actions; facilitators scoped to their jurisdictions."""

import pytest

from workbook.models import AuditEvent, AuditKind, Membership, Role
from workbook.security import access as permissions
from workbook.security.access import Action, allows, may

pytestmark = pytest.mark.django_db

EXPECTED = {
    Role.VIEWER: {Action.VIEW, Action.EXPORT_DRAFT},
    Role.EDITOR: {
        Action.VIEW,
        Action.EXPORT_DRAFT,
        Action.EDIT_ANSWERS,
        Action.REPLY_TO_COMMENT,
        Action.RESOLVE_COMMENT,
    },
    Role.MANAGER: set(Action) - {Action.EXPORT_ANSWERS_CSV},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_table(role, action):
    membership = Membership(role=role)
    assert allows(membership, action) is (action in EXPECTED[role])


def test_named_helpers_follow_the_table():
    viewer, editor, manager = (Membership(role=r) for r in (Role.VIEWER, Role.EDITOR, Role.MANAGER))
    assert [permissions.can_edit_answers(m) for m in (viewer, editor, manager)] == [
        False,
        True,
        True,
    ]
    assert [permissions.can_manage(m) for m in (viewer, editor, manager)] == [False, False, True]
    assert [permissions.can_comment(m) for m in (viewer, editor, manager)] == [False, False, True]
    assert [permissions.can_export_final(m) for m in (viewer, editor, manager)] == [
        False,
        False,
        True,
    ]
    assert all(permissions.can_view(m) for m in (viewer, editor, manager))
    assert not permissions.can_view(None)


def test_get_membership_is_404_outside_the_team(alpha, beta):
    from django.http import Http404

    assert permissions.get_membership(alpha.editor, "alpha").role == Role.EDITOR
    with pytest.raises(Http404):
        permissions.get_membership(alpha.editor, "beta")
    assert list(permissions.scoped_jurisdictions(alpha.editor)) == [alpha.jurisdiction]


def test_facilitators_may_read_and_comment_only_where_assigned(alpha, beta, facilitator):
    assert may(facilitator, alpha.jurisdiction, Action.VIEW)
    assert may(facilitator, alpha.jurisdiction, Action.START_COMMENT)
    assert may(facilitator, alpha.jurisdiction, Action.EXPORT_ANSWERS_CSV)
    assert not may(facilitator, alpha.jurisdiction, Action.EDIT_ANSWERS)
    assert not may(facilitator, alpha.jurisdiction, Action.APPROVE_SECTION)
    for action in Action:
        assert not may(facilitator, beta.jurisdiction, action)
    assert list(permissions.facilitated_jurisdictions(facilitator)) == [alpha.jurisdiction]


def test_a_staff_user_with_no_assignment_facilitates_nothing(alpha):
    from tests.team_fixtures import make_facilitator

    idle = make_facilitator("idle")
    assert not permissions.facilitated_jurisdictions(idle).exists()
    assert not may(idle, alpha.jurisdiction, Action.VIEW)


def test_inactive_users_may_nothing(alpha):
    alpha.manager.is_active = False
    alpha.manager.save()
    assert not may(alpha.manager, alpha.jurisdiction, Action.VIEW)


def test_refusals_are_recorded(alpha):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        permissions.require(alpha.membership(alpha.viewer), Action.EDIT_ANSWERS)
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    assert (event.user, event.jurisdiction) == (alpha.viewer, alpha.jurisdiction)
    assert event.detail == {"action": "edit_answers"}


def test_asking_for_another_jurisdiction_is_recorded(alpha, beta):
    from django.http import Http404

    with pytest.raises(Http404):
        permissions.get_membership(alpha.editor, "beta")
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    # Not under Beta: Beta's facilitators do not read an outsider's username.
    assert (event.user, event.jurisdiction) == (alpha.editor, None)
    assert event.detail == {"action": "open_jurisdiction", "slug": "beta"}
