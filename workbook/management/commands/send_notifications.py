"""Send the notification emails owed: due-date reminders, then every daily digest and anything
not yet sent. Run it from cron (say, every morning) or as a task; running it twice sends
nothing twice. The same run as a task: workbook.notifications.tasks.send_notifications."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from workbook.notifications import notify


class Command(BaseCommand):
    help = "Send due-date reminders and daily digests of notifications (idempotent)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        reminders = notify.due_date_reminders(today)
        sent = notify.send_pending()
        self.stdout.write(f"Reminders owed: {reminders}. Emails sent: {sent}.")
