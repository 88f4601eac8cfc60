"""Team changes and invitation links used at the same moment, by real concurrent transactions.

Each test runs its calls in threads (one database connection each) released together by a
barrier, and commits for real (transactional tests), so row locks are what keeps them apart.
"""

import re
import threading
import time
from datetime import timedelta
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.team_fixtures import PASSWORD, make_user
from workbook.models import AuditEvent, AuditKind, Invitation, Membership, Role
from workbook.security.access import JurisdictionAccess
from workbook.teams import actions as team_actions

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 12
LINK = re.compile(r"http://testserver(/invitations/[^/\s]+/)")
ACCOUNT_FORM = {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD}


def run_together(*calls):
    """Run each call in its own thread, all released at once; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome under test, asserted by the caller
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def invite(team, email: str, mailoutbox) -> tuple[Invitation, str]:
    """Invite `email` to the team; the invitation and the path of its emailed link."""
    team_actions.invite_member(
        access=JurisdictionAccess.of_member(team.membership(team.manager)),
        email=email,
        role=Role.EDITOR,
        link_for=lambda token: f"http://testserver{reverse('invitation', args=[token])}",
    )
    return Invitation.objects.get(email=email, jurisdiction=team.jurisdiction), LINK.search(
        mailoutbox[-1].body
    ).group(1)


def new_manager(team, username: str) -> Membership:
    return Membership.objects.create(
        user=make_user(username), jurisdiction=team.jurisdiction, role=Role.MANAGER
    )


def stale(membership: Membership) -> Membership:
    """The membership as a request loads it before acting (its role already checked)."""
    return Membership.objects.select_related("user", "jurisdiction").get(pk=membership.pk)


# One invitation link submitted twice ---------------------------------------------------------


def test_two_submits_of_a_fresh_link_make_one_account(alpha, mailoutbox):
    for n in range(ROUNDS):
        email = f"double.submit.{n}@example.gov"
        invitation, path = invite(alpha, email, mailoutbox)

        # Errors come back as 500 pages, as a browser would see them.
        browsers = [Client(raise_request_exception=False) for _ in range(2)]
        responses = run_together(*(partial(b.post, path, ACCOUNT_FORM) for b in browsers))

        statuses = [r.status_code for r in responses]
        joined = [r for r in responses if r.status_code == 302]
        assert len(joined) == 1 and 500 not in statuses, f"round {n}: {statuses}"
        (second,) = (r for r in responses if r is not joined[0])
        # The link was used a moment ago: a refusal on the form, the sign-in offer or the
        # page for used links, depending on how far the second request got first.
        assert second.status_code in (400, 200, 404), f"round {n}"
        if second.status_code == 400:
            assert "already been used" in second.content.decode()
        assert Membership.objects.filter(user__email=email).count() == 1
        invitation.refresh_from_db()
        assert invitation.accepted_by.email == email
        assert AuditEvent.objects.filter(kind=AuditKind.MEMBER_JOINED, username=email).count() == 1


def test_two_accepts_of_one_invitation_create_one_account(alpha, mailoutbox):
    for n in range(ROUNDS):
        email = f"same.moment.{n}@example.gov"
        invitation, _ = invite(alpha, email, mailoutbox)

        accept = partial(
            team_actions.create_account_and_accept, invitation=invitation, password=PASSWORD
        )
        outcomes = run_together(accept, accept)

        joined = [o for o in outcomes if isinstance(o, Membership)]
        refused = [o for o in outcomes if isinstance(o, team_actions.TeamRuleBroken)]
        assert (len(joined), len(refused)) == (1, 1), f"round {n}: {outcomes!r}"
        assert "already been used" in str(refused[0])
        assert Membership.objects.filter(user__email=email).count() == 1


def test_an_account_created_meanwhile_for_the_email_is_a_clear_refusal(alpha, beta):
    """Another team's link for the same email creates the account while this one is mid-way."""
    email = "two.teams@example.gov"
    invitation = Invitation.objects.create(
        jurisdiction=alpha.jurisdiction,
        email=email,
        role=Role.EDITOR,
        token_hash=team_actions.hash_token("alpha-link"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    created, release = threading.Event(), threading.Event()

    def other_team_creates_the_account():
        try:
            with transaction.atomic():
                make_user(email, email=email)
                created.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    outcome = []

    def this_link_creates_it_too():
        try:
            outcome.append(
                team_actions.create_account_and_accept(invitation=invitation, password=PASSWORD)
            )
        except Exception as error:  # noqa: BLE001 - asserted below
            outcome.append(error)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_team_creates_the_account)
    other.start()
    assert created.wait(timeout=10)
    this = threading.Thread(target=this_link_creates_it_too)
    this.start()
    wait_until_a_query_waits_for_a_lock()
    release.set()
    other.join(timeout=10)
    this.join(timeout=10)

    assert len(outcome) == 1
    assert isinstance(outcome[0], team_actions.TeamRuleBroken), outcome
    assert str(outcome[0]) == team_actions.ACCOUNT_EXISTS
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user__email=email).exists()


def wait_until_a_query_waits_for_a_lock():
    """Until another connection is blocked on a row or index entry another transaction holds."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    pytest.fail("no query ever waited for the other transaction")


# A manager removed or demoted while they change the team -------------------------------------


def test_a_manager_removed_meanwhile_cannot_demote_anyone(alpha):
    first = stale(alpha.membership(alpha.manager))
    for n in range(ROUNDS):
        second, third = new_manager(alpha, f"second-{n}"), new_manager(alpha, f"third-{n}")
        removing, demoting = stale(second), stale(second)

        removal, change = run_together(
            partial(
                team_actions.remove_member,
                access=JurisdictionAccess.of_member(first),
                member=removing,
            ),
            partial(
                team_actions.change_role,
                access=JurisdictionAccess.of_member(demoting),
                member=third,
                role=Role.EDITOR,
            ),
        )

        assert removal is None, f"round {n}: {removal!r}"
        removed = AuditEvent.objects.get(
            kind=AuditKind.MEMBER_REMOVED, detail__member=second.user.username
        )
        third.refresh_from_db()
        if isinstance(change, PermissionDenied):
            assert third.role == Role.MANAGER
            assert AuditEvent.objects.filter(
                kind=AuditKind.PERMISSION_DENIED, user=second.user
            ).exists()
        else:
            assert isinstance(change, Membership), f"round {n}: {change!r}"
            demoted = AuditEvent.objects.get(kind=AuditKind.ROLE_CHANGED, user=second.user)
            assert demoted.pk < removed.pk, f"round {n}: the change landed after the removal"


def test_a_manager_demoted_meanwhile_cannot_remove_anyone(alpha):
    first = stale(alpha.membership(alpha.manager))
    for n in range(ROUNDS):
        second, third = new_manager(alpha, f"second-{n}"), new_manager(alpha, f"third-{n}")
        demoting, removing = stale(second), stale(second)

        change, removal = run_together(
            partial(
                team_actions.change_role,
                access=JurisdictionAccess.of_member(first),
                member=demoting,
                role=Role.VIEWER,
            ),
            partial(
                team_actions.remove_member,
                access=JurisdictionAccess.of_member(removing),
                member=third,
            ),
        )

        assert isinstance(change, Membership), f"round {n}: {change!r}"
        demoted = AuditEvent.objects.get(
            kind=AuditKind.ROLE_CHANGED, detail__member=second.user.username
        )
        if isinstance(removal, PermissionDenied):
            assert Membership.objects.filter(pk=third.pk).exists()
            assert AuditEvent.objects.filter(
                kind=AuditKind.PERMISSION_DENIED, user=second.user
            ).exists()
        else:
            assert removal is None, f"round {n}: {removal!r}"
            removed = AuditEvent.objects.get(kind=AuditKind.MEMBER_REMOVED, user=second.user)
            assert removed.pk < demoted.pk, f"round {n}: the removal landed after the demotion"
