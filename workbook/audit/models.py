"""The audit log's table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from workbook.teams.models import Jurisdiction


class AuditKind(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    SIGNED_OUT = "signed_out", "Signed out"
    PERMISSION_DENIED = "permission_denied", "Permission denied"
    MEMBER_INVITED = "member_invited", "Member invited"
    INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
    MEMBER_JOINED = "member_joined", "Member joined"
    ROLE_CHANGED = "role_changed", "Role changed"
    MEMBER_REMOVED = "member_removed", "Member removed"
    SECTION_ASSIGNED = "section_assigned", "Section assigned"
    SECTION_APPROVED = "section_approved", "Section approved"
    SECTION_REOPENED = "section_reopened", "Section reopened"
    NOTIFICATIONS_CHANGED = "notifications_changed", "Notification emails chosen"
    ANSWERS_EXPORTED = "answers_exported", "Answers exported"
    DOCUMENT_EXPORTED = "document_exported", "Document exported"
    ACTION_PLAN_EXPORTED = "action_plan_exported", "Action plan exported"
    COMMENT_ADDED = "comment_added", "Comment added"
    COMMENT_RESOLVED = "comment_resolved", "Comment resolved"
    COMMENT_REOPENED = "comment_reopened", "Comment reopened"
    USER_DEACTIVATED = "user_deactivated", "User deactivated"
    USE_CASE_DECIDED = "use_case_decided", "AI use approved or refused"
    REGISTER_PUBLISHED = "register_published", "AI register published"
    REGISTER_UNPUBLISHED = "register_unpublished", "AI register unpublished"
    EVIDENCE_RECORDED = "evidence_recorded", "Obligation evidence recorded"


class AuditEvent(models.Model):
    """Who did what, to which jurisdiction, when (UTC). Written by workbook/audit.py `record`.

    Never edited, except that a repeat within a minute of the first counts up `count` and moves
    `last_at` instead of writing another row.
    """

    Kind = AuditKind

    kind = models.CharField(max_length=30, choices=AuditKind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too: failed sign-ins name no user, and users may be deleted later.
    username = models.CharField(max_length=150, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The first occurrence; `last_at` is the latest repeat (the same instant when there is none).
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    last_at = models.DateTimeField(default=timezone.now, editable=False)
    count = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AuditKind.values), name="audit_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
