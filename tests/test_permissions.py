"""The access policy: a table of role → actions; facilitators scoped to their jurisdictions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from workbook.models import AuditEvent, AuditKind, Comment, Membership, Role
from workbook.security.access import Action, JurisdictionAccess, facilitated_jurisdictions

pytestmark = pytest.mark.django_db

EXPECTED = {
    Role.VIEWER: {Action.VIEW, Action.EXPORT_DRAFT},
    Role.EDITOR: {
        Action.VIEW,
        Action.EXPORT_DRAFT,
        Action.EDIT_ANSWERS,
        Action.REOPEN_SECTION,
        Action.REPLY_TO_COMMENT,
        Action.RESOLVE_COMMENT,
    },
    Role.MANAGER: set(Action) - {Action.EXPORT_ANSWERS_CSV},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_table(alpha, role, action):
    membership = alpha.membership(alpha.editor)
    membership.role = role
    access = JurisdictionAccess.of_member(membership)
    assert access.can(action) is (action in EXPECTED[role])
    assert access.permissions[action.value] is (action in EXPECTED[role])


def test_open_is_404_outside_the_team_and_answers_for_the_member(alpha, beta):
    access = JurisdictionAccess.open(alpha.editor, "alpha")
    assert access.membership.role == Role.EDITOR
    assert access.jurisdiction == alpha.jurisdiction
    with pytest.raises(Http404):
        JurisdictionAccess.open(alpha.editor, "beta")


def test_building_and_asking_it_write_nothing(alpha, facilitator, django_assert_num_queries):
    JurisdictionAccess.open(facilitator, "alpha")
    access = JurisdictionAccess.of(alpha.viewer, alpha.jurisdiction)
    with django_assert_num_queries(0):
        assert not access.can(Action.EDIT_ANSWERS)
        assert access.permissions["view"]
    assert not AuditEvent.objects.exists()


def test_rows_come_from_the_jurisdiction_only(alpha, beta):
    section = alpha.jurisdiction.workbook.sections.first()
    mine = Comment.objects.create(
        jurisdiction=alpha.jurisdiction, section=section, author=alpha.manager, body="a"
    )
    theirs = Comment.objects.create(
        jurisdiction=beta.jurisdiction, section=section, author=beta.manager, body="b"
    )
    access = JurisdictionAccess.of(alpha.editor, alpha.jurisdiction)
    assert list(access.queryset(Comment)) == [mine]
    assert access.get_or_404(Comment, pk=mine.pk) == mine
    with pytest.raises(Http404):
        access.get_or_404(Comment, pk=theirs.pk)
    outsider = JurisdictionAccess.of(beta.editor, alpha.jurisdiction)
    assert not outsider.queryset(Membership).exists()


def test_facilitators_may_read_and_comment_only_where_assigned(alpha, beta, facilitator):
    coached = JurisdictionAccess.open(facilitator, "alpha")
    assert coached.coaches and coached.membership is None
    for action in (Action.VIEW, Action.START_COMMENT, Action.EXPORT_ANSWERS_CSV):
        assert coached.can(action)
    assert not coached.can(Action.EDIT_ANSWERS)
    assert not coached.can(Action.APPROVE_SECTION)
    with pytest.raises(Http404):
        JurisdictionAccess.open(facilitator, "alpha", members_only=True)
    with pytest.raises(Http404):
        JurisdictionAccess.open(facilitator, "beta")
    other = JurisdictionAccess.of(facilitator, beta.jurisdiction)
    assert not any(other.can(action) for action in Action)
    assert list(facilitated_jurisdictions(facilitator)) == [alpha.jurisdiction]


def test_a_staff_user_with_no_assignment_facilitates_nothing(alpha):
    from tests.team_fixtures import make_facilitator

    idle = make_facilitator("idle")
    assert not facilitated_jurisdictions(idle).exists()
    assert not JurisdictionAccess.of(idle, alpha.jurisdiction).can(Action.VIEW)


def test_inactive_users_may_nothing(alpha):
    alpha.manager.is_active = False
    alpha.manager.save()
    assert not JurisdictionAccess.of(alpha.manager, alpha.jurisdiction).can(Action.VIEW)


def test_refusals_are_recorded(alpha):
    with pytest.raises(PermissionDenied):
        JurisdictionAccess.of(alpha.viewer, alpha.jurisdiction).require(Action.EDIT_ANSWERS)
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    assert (event.user, event.jurisdiction) == (alpha.viewer, alpha.jurisdiction)
    assert event.detail == {"action": "edit_answers"}


def test_asking_for_another_jurisdiction_is_recorded(alpha, beta):
    with pytest.raises(Http404):
        JurisdictionAccess.open(alpha.editor, "beta")
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    # Not under Beta: Beta's facilitators do not read an outsider's username.
    assert (event.user, event.jurisdiction) == (alpha.editor, None)
    assert event.detail == {"action": "open_jurisdiction", "slug": "beta"}
