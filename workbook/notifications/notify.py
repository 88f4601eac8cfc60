"""Emails that tell people what others did in their workbook, at once or in a daily digest.

The actions call these through `after_commit`, once their change has committed, so a
rolled-back change sends nothing. Each event becomes one Notification per recipient, keyed so
that it is owed once; a person who chose "right away" is emailed at once, "once a day" by the
digest of `manage.py send_notifications`, "never" not at all. An email names the person who
acted by their full name and the jurisdiction, and links straight to the page. Recipients are
members of that jurisdiction only, each emailed alone, so an address never reaches another
jurisdiction; a notification whose comment was deleted, or whose recipient has left the
team since, is skipped when its turn comes.
"""

import contextlib
import datetime
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from email.utils import formataddr

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from workbook.models import (
    Answer,
    Comment,
    Frequency,
    Jurisdiction,
    Membership,
    Notification,
    NotificationSetting,
    Role,
    SectionProgress,
    SectionStatus,
)

REMINDER_DAYS_BEFORE = 3

_quiet = threading.local()


@contextlib.contextmanager
def quietly():
    """Owe nothing for changes made inside (the demo seed's approvals are no news to anyone)."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def after_commit(event: Callable[..., object], *args) -> None:
    """Tell people about a change once it has committed: a rolled-back change tells no one."""
    if not getattr(_quiet, "on", False):
        transaction.on_commit(lambda: event(*args))


def person(user) -> str:
    """How an email names someone: their full name, else their username."""
    if user is None:
        return "A former member"
    return user.get_full_name() or user.get_username()


def us_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def sender() -> str:
    return formataddr((settings.NOTIFICATION_FROM_NAME, settings.NOTIFICATION_FROM_EMAIL))


def link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def frequency_of(user) -> str:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting.frequency if setting else Frequency.IMMEDIATE


def _members(jurisdiction: Jurisdiction, users: Iterable, *, actor=None) -> list:
    """The users who are members of the jurisdiction (never anyone else), minus the actor."""
    ids = {u.pk for u in users if u is not None} - {getattr(actor, "pk", None)}
    return [
        m.user
        for m in Membership.objects.filter(jurisdiction=jurisdiction, user__in=ids)
        .select_related("user")
        .order_by("user__username")
    ]


def owe(
    *, key: str, recipient, jurisdiction: Jurisdiction, subject: str, body: str, comment=None
) -> Notification | None:
    """Record one thing to tell one person (once per key), emailed now if they want it now."""
    frequency = frequency_of(recipient)
    if frequency == Frequency.NONE:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key[:200],
        defaults={
            "recipient": recipient,
            "jurisdiction": jurisdiction,
            "subject": subject,
            "body": body,
            "comment": comment,
            "about_comment": comment is not None,
            "digest": frequency == Frequency.DAILY,
        },
    )
    if created and not notification.digest:
        deliver(notification)
    return notification


def _still_owed(notification: Notification) -> bool:
    if notification.about_comment and notification.comment_id is None:
        return False  # the comment was deleted
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return False
    return Membership.objects.filter(
        user=recipient, jurisdiction=notification.jurisdiction_id
    ).exists()


def _claim(notifications: list[Notification]) -> list[Notification]:
    """Mark these as sent, atomically: a second run (or a concurrent one) finds none to send."""
    now = timezone.now()
    return [
        notification
        for notification in notifications
        if Notification.objects.filter(
            pk=notification.pk, sent_at__isnull=True, skipped_at__isnull=True
        ).update(sent_at=now)
    ]


def _skip_gone(notifications: Iterable[Notification]) -> list[Notification]:
    kept: list[Notification] = []
    gone: list[Notification] = []
    for notification in notifications:
        (kept if _still_owed(notification) else gone).append(notification)
    Notification.objects.filter(pk__in=[n.pk for n in gone]).update(skipped_at=timezone.now())
    return kept


def deliver(notification: Notification) -> int:
    """Email one notification now, unless it is no longer owed or was already sent."""
    kept = _skip_gone([notification])
    if not kept or not _claim(kept):
        return 0
    return _mail(notification.recipient, notification.subject, notification.body, kept)


def _mail(recipient, subject: str, body: str, claimed: list[Notification]) -> int:
    try:
        return send_mail(subject, body, sender(), [recipient.email])
    except Exception:
        # Not sent after all: the next run of send_notifications tries again.
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(sent_at=None)
        raise


def send_pending() -> int:
    """Everything owed and unsent: each "right away" notification alone, and one digest per
    person who chose "once a day". Returns the number of emails sent."""
    pending = list(
        Notification.objects.filter(sent_at__isnull=True, skipped_at__isnull=True)
        .select_related("recipient", "jurisdiction")
        .order_by("created_at", "pk")
    )
    sent = 0
    digests: dict[int, list[Notification]] = defaultdict(list)
    for notification in _skip_gone(pending):
        if notification.digest:
            digests[notification.recipient_id].append(notification)
        elif _claim([notification]):
            sent += _mail(
                notification.recipient, notification.subject, notification.body, [notification]
            )
    for items in digests.values():
        claimed = _claim(items)
        if not claimed:
            continue
        recipient = claimed[0].recipient
        subject = (
            f"Your AI strategy workbook: {len(claimed)} update{'s' if len(claimed) != 1 else ''}"
        )
        body = "\n\n----\n\n".join(f"{n.subject}\n\n{n.body}" for n in claimed)
        sent += _mail(recipient, subject, body, claimed)
    return sent


# -- events -------------------------------------------------------------------------------------


def _section_path(progress: SectionProgress) -> str:
    return reverse("workbook:section", args=[progress.jurisdiction.slug, progress.section.slug])


def _editors_of(progress: SectionProgress) -> list:
    """Who saved an answer of the section, and its assignee."""
    users = {
        a.updated_by
        for a in Answer.objects.filter(
            jurisdiction=progress.jurisdiction, question__section=progress.section
        ).select_related("updated_by")
    }
    return [*users, progress.assignee]


def section_assigned(progress: SectionProgress, actor) -> None:
    if progress.assignee is None:
        return
    jurisdiction, section = progress.jurisdiction, progress.section
    due = f" by {us_date(progress.due_date)}" if progress.due_date else ""
    for user in _members(jurisdiction, [progress.assignee], actor=actor):
        owe(
            key=f"assigned:{progress.pk}:{user.pk}:{timezone.now().isoformat()}",
            recipient=user,
            jurisdiction=jurisdiction,
            subject=f"{jurisdiction.name}: “{section.title}” is assigned to you",
            body=(
                f"{person(actor)} assigned “{section.title}” of {jurisdiction.name}'s AI "
                f"strategy workbook to you{due}.\n\n{link(_section_path(progress))}\n"
            ),
        )


def comment_added(comment: Comment) -> None:
    """A comment on a section someone is assigned or edited; a reply to someone's comment."""
    jurisdiction, section = comment.jurisdiction, comment.section
    progress = SectionProgress.objects.filter(jurisdiction=jurisdiction, section=section).first()
    concerned = _editors_of(progress) if progress else []
    if comment.parent is not None:
        concerned.append(comment.parent.author)
    path = reverse("workbook:section_comments", args=[jurisdiction.slug, section.slug])
    for user in _members(jurisdiction, concerned, actor=comment.author):
        reply = comment.parent is not None and comment.parent.author_id == user.pk
        what = "replied to your comment on" if reply else "commented on"
        owe(
            key=f"comment:{comment.pk}:{user.pk}",
            recipient=user,
            jurisdiction=jurisdiction,
            comment=comment,
            subject=f"{jurisdiction.name}: {person(comment.author)} {what} “{section.title}”",
            body=(
                f"{person(comment.author)} {what} “{section.title}” in {jurisdiction.name}'s AI "
                f"strategy workbook:\n\n{comment.body}\n\n{link(path)}\n"
            ),
        )


def section_approved(progress: SectionProgress, actor) -> None:
    jurisdiction, section = progress.jurisdiction, progress.section
    for user in _members(jurisdiction, _editors_of(progress), actor=actor):
        owe(
            key=f"approved:{progress.pk}:{user.pk}:{progress.approved_at}",
            recipient=user,
            jurisdiction=jurisdiction,
            subject=f"{jurisdiction.name}: “{section.title}” is approved",
            body=(
                f"{person(actor)} approved “{section.title}” in {jurisdiction.name}'s AI "
                f"strategy workbook.\n\n{link(_section_path(progress))}\n"
            ),
        )


def section_reopened(progress: SectionProgress, actor, reason: str) -> None:
    """Tell the jurisdiction's other managers that an approval was withdrawn, and why."""
    jurisdiction, section = progress.jurisdiction, progress.section
    managers = [
        m.user
        for m in Membership.objects.filter(
            jurisdiction=jurisdiction, role=Role.MANAGER
        ).select_related("user")
    ]
    for user in _members(jurisdiction, managers, actor=actor):
        owe(
            key=f"reopened:{progress.pk}:{user.pk}:{progress.reopened_at}",
            recipient=user,
            jurisdiction=jurisdiction,
            subject=f"{jurisdiction.name}: “{section.title}” was reopened for changes",
            body=(
                f"{person(actor)} reopened “{section.title}” in {jurisdiction.name}'s AI "
                f"strategy workbook for changes. Its approval no longer stands.\n\n"
                f"Why: {reason}\n\n"
                f"Once the changes are made, approve the section again:\n"
                f"{link(_section_path(progress))}\n"
            ),
        )


def due_date_reminders(today: datetime.date) -> int:
    """Owe each assignee a reminder three days before the due date and one once it is past;
    keyed by section and due date, so a day's second run owes nothing new."""
    soon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    owed = 0
    rows = (
        SectionProgress.objects.filter(assignee__isnull=False, due_date__lte=soon)
        .exclude(status=SectionStatus.APPROVED)
        .select_related("jurisdiction", "section", "assignee")
    )
    for progress in rows:
        due = progress.due_date
        if due is None:  # excluded by the query; tells the type checker
            continue
        if due == soon:
            kind, subject = "due-soon", f"is due on {us_date(due)}"
        elif due < today:
            kind, subject = "overdue", f"was due on {us_date(due)}"
        else:
            continue
        jurisdiction, section = progress.jurisdiction, progress.section
        for user in _members(jurisdiction, [progress.assignee]):
            with transaction.atomic():
                if owe(
                    key=f"{kind}:{progress.pk}:{user.pk}:{due.isoformat()}",
                    recipient=user,
                    jurisdiction=jurisdiction,
                    subject=f"{jurisdiction.name}: “{section.title}” {subject}",
                    body=(
                        f"“{section.title}” of {jurisdiction.name}'s AI strategy workbook, "
                        f"assigned to you, {subject}. It is "
                        f"{progress.get_status_display().lower()}.\n\n"
                        f"{link(_section_path(progress))}\n"
                    ),
                ):
                    owed += 1
    return owed
