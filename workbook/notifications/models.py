"""Who wants which emails, and each email owed to someone (sent at once or in a daily digest)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from workbook.comments.models import Comment
from workbook.teams.models import Jurisdiction


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Right away, one email for each"
    DAILY = "daily", "Once a day, in a digest"
    NONE = "none", "Never"


class NotificationSetting(models.Model):
    """A person's choice of how often to be emailed; without a row, right away."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.IMMEDIATE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="notification_frequency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_frequency_display()}"


class Notification(models.Model):
    """One thing to tell one person, kept until it is emailed (or skipped).

    `key` makes every event owed once per person: writing it twice (a command run twice, a
    retried request) finds the first row.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # Set for a comment or reply: deleted since, the notification is skipped.
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_comment = models.BooleanField(default=False)
    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(sent_at__isnull=True, skipped_at__isnull=True),
                name="notification_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"
