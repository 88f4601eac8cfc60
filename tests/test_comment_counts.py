"""Open-comment counts on the dashboard, the overview and the step list; "new since your last
visit" for comments others wrote after this person's previous sign-in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.team_fixtures import first_section
from workbook.comments.actions import add_comment, resolve_comment
from workbook.comments.counts import comment_counts
from workbook.models import AuditEvent, AuditKind
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


def comment(team, user, section, body="Please check this.", parent=None):
    return add_comment(
        access=JurisdictionAccess.of(user, team.jurisdiction),
        section=section,
        body=body,
        parent=parent,
    )


def signed_in(user, minutes_ago: int):
    event = AuditEvent.objects.create(kind=AuditKind.SIGNED_IN, user=user, username=user.username)
    AuditEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_counts_open_threads_and_new_comments_by_others(alpha, beta, workbook):
    section = first_section(workbook)
    signed_in(alpha.editor, 60)  # the previous visit
    old = comment(alpha, alpha.manager, section, "Before the visit")
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=90)
    )
    signed_in(alpha.editor, 1)  # this visit
    thread = comment(alpha, alpha.manager, section, "After the visit")
    comment(alpha, alpha.editor, section, "My own reply", parent=thread)
    done = comment(alpha, alpha.manager, section, "Resolved one")
    resolve_comment(access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), comment=done)
    comment(beta, beta.manager, section, "Another jurisdiction's")

    counts = comment_counts(alpha.editor, [alpha.jurisdiction.pk])[alpha.jurisdiction.pk]
    assert counts.open == 2  # "Before" and "After"; the resolved thread is not open
    assert counts.new == 2  # "After" and "Resolved one"; not my own reply, not beta's
    assert counts.by_section[section.pk].open == 2


def test_a_first_visit_marks_nothing_new(alpha, workbook):
    comment(alpha, alpha.manager, first_section(workbook))
    signed_in(alpha.editor, 1)
    counts = comment_counts(alpha.editor, [alpha.jurisdiction.pk])[alpha.jurisdiction.pk]
    assert (counts.open, counts.new) == (1, 0)


def test_several_jurisdictions_in_one_query_and_a_deleted_authors_comment_is_new(
    alpha, beta, workbook, django_user_model, django_assert_num_queries
):
    section = first_section(workbook)
    signed_in(alpha.editor, 60)
    signed_in(beta.manager, 30)  # someone else's sign-in is not this person's visit
    signed_in(alpha.editor, 1)
    gone = django_user_model.objects.create(username="gone")
    thread = comment(alpha, alpha.manager, section, "From a member who left")
    type(thread).objects.filter(pk=thread.pk).update(
        author=gone, created_at=timezone.now() - datetime.timedelta(minutes=45)
    )
    gone.delete()
    comment(beta, beta.manager, section, "Beta's own")

    with django_assert_num_queries(1):
        counts = comment_counts(alpha.editor, [alpha.jurisdiction.pk, beta.jurisdiction.pk])
    assert (counts[alpha.jurisdiction.pk].open, counts[alpha.jurisdiction.pk].new) == (1, 1)
    assert (counts[beta.jurisdiction.pk].open, counts[beta.jurisdiction.pk].new) == (1, 1)
    with django_assert_num_queries(0):
        assert comment_counts(alpha.editor, []) == {}


def test_the_pages_show_the_counts(client, alpha, workbook):
    section = first_section(workbook)
    signed_in(alpha.editor, 60)
    signed_in(alpha.editor, 1)
    comment(alpha, alpha.manager, section)
    client.force_login(alpha.editor)
    pages = {
        "dashboard": reverse("dashboard"),
        "overview": reverse("workbook:overview", args=["alpha"]),
        "step list": reverse("workbook:section", args=["alpha", section.slug]),
    }
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert "1 open comment" in body, name
        assert '1 new<span class="usa-sr-only"> since your last visit</span>' in body, name
