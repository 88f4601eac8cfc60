"""Workbook content, jurisdictions and their teams, and the answers they give."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class FieldType(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    SCALE = "scale", "Scale 1–5"
    YES_NO = "yes_no", "Yes / no"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    TABLE = "table", "Table"


class Workbook(models.Model):
    """One edition of the workbook content, as loaded from fixtures/."""

    slug = models.SlugField(unique=True)
    edition = models.CharField(max_length=200)
    version = models.CharField(max_length=50)
    # Readiness dimensions: [{"slug": ..., "title": ...}], in display order.
    dimensions = models.JSONField(default=list)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.edition} {self.version}"


class ActiveManager(models.Manager):
    """Content still in the workbook file (retired rows are kept for their answers)."""

    def get_queryset(self):
        return super().get_queryset().filter(retired_at__isnull=True)


class Section(models.Model):
    class Scope(models.TextChoices):
        JURISDICTION = "jurisdiction", "Once per jurisdiction"
        USE_CASE = "use_case", "Once per AI use case"

    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    intro = models.TextField()
    position = models.PositiveIntegerField()
    scope = models.CharField(max_length=20, choices=Scope, default=Scope.JURISDICTION)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager()
    active = ActiveManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["workbook", "slug"], name="unique_section_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Question(models.Model):
    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(max_length=100)
    field_type = models.CharField(max_length=20, choices=FieldType)
    text = models.TextField()
    help_text = models.TextField()
    example = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField()
    # [{"value", "label", "weight"?}] for choice types.
    options = models.JSONField(default=list, blank=True)
    # Type-specific settings: points (scale), columns (table), min/max, max_length, allow_other.
    config = models.JSONField(default=dict, blank=True)
    # {"question": slug, "equals": value} or {"question": slug, "in": [values]}.
    show_if = models.JSONField(null=True, blank=True)
    # Read by strategy/ scoring, e.g. {"role": "readiness_item", "dimension": "data"}.
    scoring = models.JSONField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager()
    active = ActiveManager()

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["workbook", "slug"], name="unique_question_slug"),
            models.CheckConstraint(
                condition=Q(field_type__in=FieldType.values), name="question_valid_field_type"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class JurisdictionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jurisdictions this user is a member of: the one scoped path to tenant data."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def for_facilitator(self, user):
        """The jurisdictions a facilitator coaches (superusers see every one)."""
        if not (user.is_authenticated and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(facilitators=user)


class JurisdictionKind(models.TextChoices):
    CITY = "city", "City"
    COUNTY = "county", "County"
    TOWN = "town", "Town or village"
    SPECIAL_DISTRICT = "special_district", "Special district"
    REGIONAL_COUNCIL = "regional_council", "Regional council"


class PopulationBand(models.TextChoices):
    UNDER_5K = "under_5k", "Under 5,000"
    FROM_5K = "5k_25k", "5,000–25,000"
    FROM_25K = "25k_100k", "25,000–100,000"
    FROM_100K = "100k_500k", "100,000–500,000"
    OVER_500K = "over_500k", "Over 500,000"


class Jurisdiction(models.Model):
    Kind = JurisdictionKind
    PopulationBand = PopulationBand

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind)
    population_band = models.CharField(max_length=20, choices=PopulationBand)
    workbook = models.ForeignKey(Workbook, on_delete=models.PROTECT, related_name="jurisdictions")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_jurisdictions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=JurisdictionKind.values), name="jurisdiction_kind"
            ),
            models.CheckConstraint(
                condition=Q(population_band__in=PopulationBand.values),
                name="jurisdiction_population_band",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EDITOR = "editor", "Editor"
    MANAGER = "manager", "Manager"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["jurisdiction__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction"], name="one_membership"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.jurisdiction} ({self.get_role_display()})"


class AIType(models.TextChoices):
    GENERATIVE = "generative", "Generative AI"
    PREDICTIVE = "predictive", "Predictive machine learning"
    LANGUAGE = "language", "Language processing"
    VISION = "vision", "Computer vision"
    AUTOMATION = "automation", "Automation"
    AGENTIC = "agentic", "Agentic AI"


class UseCaseStage(models.TextChoices):
    IDEA = "idea", "Idea"
    PILOT = "pilot", "Pilot"
    DEPLOYED = "deployed", "Deployed"
    RETIRED = "retired", "Retired"


class UseCase(models.Model):
    """An AI use (existing or planned) in a jurisdiction's register, screened for risk."""

    AIType = AIType
    Stage = UseCaseStage

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="use_cases"
    )
    name = models.CharField(max_length=200)
    department = models.CharField(max_length=200, blank=True)
    tool = models.CharField("tool or vendor", max_length=200, blank=True)
    ai_type = models.CharField("AI type", max_length=20, choices=AIType)
    stage = models.CharField(max_length=20, choices=UseCaseStage, default=UseCaseStage.IDEA)
    purpose = models.TextField(blank=True)
    resident_facing = models.BooleanField(default=False)
    data_used = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    # Optimistic locking for the screening answers, like SectionProgress.version.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(ai_type__in=AIType.values), name="usecase_ai_type"),
            models.CheckConstraint(
                condition=Q(stage__in=UseCaseStage.values), name="usecase_stage"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """A jurisdiction's answer to one question (or, for screening, one use case's answer)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    use_case = models.ForeignKey(
        UseCase, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    value = models.JSONField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "question"],
                condition=Q(use_case__isnull=True),
                name="one_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["use_case", "question"],
                condition=Q(use_case__isnull=False),
                name="one_answer_per_use_case_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.question.slug}"


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    APPROVED = "approved", "Approved"


class SectionProgress(models.Model):
    """Where a jurisdiction stands on one section; `version` guards concurrent saves."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="progress"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        max_length=20, choices=SectionStatus, default=SectionStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "section progress"
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "section"], name="one_progress_per_section"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SectionStatus.values), name="progress_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.section.slug}: {self.get_status_display()}"


class Invitation(models.Model):
    """An emailed, single-use offer to join a jurisdiction's team with a role.

    Only a SHA-256 hash of the token is stored: the link in the email is the credential, and a
    leaked database row cannot be turned back into a working link.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.jurisdiction} ({self.get_role_display()})"

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


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
    ANSWERS_EXPORTED = "answers_exported", "Answers exported"
    USER_DEACTIVATED = "user_deactivated", "User deactivated"


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
