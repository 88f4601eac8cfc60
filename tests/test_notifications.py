"""Notification emails: who is told what, each person's choice (right away, daily, never), the
send_notifications command (digests, due-date reminders, idempotent), and what is skipped."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.team_fixtures import complete_section, first_section
from workbook.comments.actions import add_comment
from workbook.models import Comment, Frequency, Notification, NotificationSetting
from workbook.notifications import notify
from workbook.security.access import JurisdictionAccess
from workbook.teams import actions as team_actions
from workbook.workflow import actions as workflow_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediately(django_capture_on_commit_callbacks):
    """Run the after-commit side effects of the actions called inside, as a request would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def choose(user, frequency):
    NotificationSetting.objects.update_or_create(user=user, defaults={"frequency": frequency})


def assign(team, section, due_date=None):
    return workflow_actions.assign_section(
        access=JurisdictionAccess.of(team.manager, team.jurisdiction),
        section=section,
        assignee=team.membership(team.editor),
        due_date=due_date,
    )


def send_notifications() -> str:
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


def test_an_assignment_names_the_actor_the_jurisdiction_the_due_date_and_links(
    alpha, beta, workbook, immediately
):
    named(alpha.manager, "Mara", "Diaz")
    section = first_section(workbook)
    immediately(assign, alpha, section, datetime.date(2027, 1, 4))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alpha.editor.email]
    assert message.from_email == "AI Strategy Workbook <workbook@localhost>"
    assert "Alpha City" in message.subject
    assert "Mara Diaz assigned" in message.body and "by January 4, 2027" in message.body
    assert "http://127.0.0.1:8000" + reverse("workbook:section", args=["alpha", section.slug]) in (
        message.body
    )
    # Nothing of another jurisdiction's people: no address in the text.
    assert "@" not in message.body


def test_a_comment_tells_the_sections_editors_and_a_reply_tells_the_commenter(
    alpha, workbook, immediately
):
    section = first_section(workbook)
    complete_section(alpha, section)  # saved by the editor
    thread = immediately(
        add_comment,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="Name the records officer.",
    )
    assert [m.to for m in mail.outbox] == [[alpha.editor.email]]
    assert "Name the records officer." in mail.outbox[0].body
    mail.outbox.clear()
    immediately(
        add_comment,
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=section,
        body="Done.",
        parent=thread,
    )
    assert [m.to for m in mail.outbox] == [[alpha.manager.email]]
    assert "replied to your comment" in mail.outbox[0].subject


def test_an_approval_tells_who_edited_the_section(alpha, workbook, immediately):
    section = first_section(workbook)
    complete_section(alpha, section)
    immediately(
        workflow_actions.approve_section,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
    )
    assert [m.to for m in mail.outbox] == [[alpha.editor.email]]
    assert "is approved" in mail.outbox[0].subject


def test_never_means_no_email_and_daily_means_one_digest(alpha, workbook, immediately):
    section = first_section(workbook)
    choose(alpha.editor, Frequency.NONE)
    immediately(assign, alpha, section)
    assert mail.outbox == [] and not Notification.objects.exists()

    choose(alpha.editor, Frequency.DAILY)
    immediately(assign, alpha, section)
    complete_section(alpha, section)
    immediately(
        add_comment,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="One more thing.",
    )
    assert mail.outbox == []  # kept for the digest
    send_notifications()
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [alpha.editor.email]
    assert "2 updates" in digest.subject
    assert "is assigned to you" in digest.body and "One more thing." in digest.body
    send_notifications()
    assert len(mail.outbox) == 1  # run twice, mailed once


@pytest.mark.parametrize(
    ("days", "wording"), [(3, "is due on"), (-1, "was due on"), (2, None), (0, None)]
)
def test_reminders_three_days_before_and_once_overdue(alpha, workbook, immediately, days, wording):
    due = timezone.localdate() + datetime.timedelta(days=days)
    immediately(assign, alpha, first_section(workbook), due)
    mail.outbox.clear()
    send_notifications()
    send_notifications()
    if wording is None:
        assert mail.outbox == []
        return
    assert len(mail.outbox) == 1
    assert wording in mail.outbox[0].subject
    assert f"{due:%B} {due.day}, {due.year}" in mail.outbox[0].subject


def test_a_deleted_comment_and_a_removed_member_are_skipped(alpha, workbook, immediately):
    section = first_section(workbook)
    complete_section(alpha, section)
    choose(alpha.editor, Frequency.DAILY)
    comment = immediately(
        add_comment,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="Soon deleted.",
    )
    Comment.objects.filter(pk=comment.pk).delete()
    send_notifications()
    assert mail.outbox == []
    assert Notification.objects.get().skipped_at is not None

    immediately(assign, alpha, section)
    immediately(
        team_actions.remove_member,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        member=alpha.membership(alpha.editor),
    )
    send_notifications()
    assert mail.outbox == []


def test_a_reopening_tells_the_other_managers(alpha, workbook, immediately):
    section = first_section(workbook)
    complete_section(alpha, section)
    workflow_actions.approve_section(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section
    )
    immediately(
        workflow_actions.reopen_section,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        reason="Budget moved.",
    )
    assert mail.outbox == []  # the only manager reopened it: nobody else to tell
    immediately(
        workflow_actions.approve_section,
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
    )
    mail.outbox.clear()
    immediately(
        workflow_actions.reopen_section,
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=section,
        reason="Budget moved again.",
    )
    assert [m.to for m in mail.outbox] == [[alpha.manager.email]]


def test_the_email_settings_page(client, alpha):
    client.force_login(alpha.viewer)
    url = reverse("notification_settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"frequency": "hourly"}).status_code == 400
    assert not NotificationSetting.objects.exists()
    assert client.post(url, {"frequency": "daily"}).status_code == 302
    assert notify.frequency_of(alpha.viewer) == Frequency.DAILY


def test_the_demo_seed_emails_nobody(workbook, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", password="demo-pass-123", stdout=io.StringIO())
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_task_sends_what_the_command_sends(alpha, workbook, immediately):
    from workbook.notifications.tasks import send_notifications as task

    choose(alpha.editor, Frequency.DAILY)
    immediately(assign, alpha, first_section(workbook))
    task.call()
    task.call()
    assert len(mail.outbox) == 1
