"""The notification run as a background task, for a scheduler that enqueues tasks rather than
running commands (`send_notifications.enqueue()`); the same work as `manage.py
send_notifications`, and as safe to run twice."""

from django.tasks import task
from django.utils import timezone

from workbook.notifications import notify


@task()
def send_notifications() -> int:
    """Owe the day's due-date reminders, then send every digest and unsent email."""
    notify.due_date_reminders(timezone.localdate())
    return notify.send_pending()
