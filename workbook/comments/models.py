"""Comments on a section or one of its answers, in threads."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from workbook.content.models import Question, Section
from workbook.teams.models import Jurisdiction


class Comment(models.Model):
    """A remark on a section or on one answer; replies hang off a top-level comment (a thread)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Its limits (length, characters) are kept by workbook/comment_actions.py for every caller.
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["jurisdiction", "section"],
                condition=Q(parent__isnull=True, resolved_at__isnull=True),
                name="comment_open_threads",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.section.slug}: {self.body[:40]}"
