"""Rendered documents, cached by the content they were rendered from."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from workbook.models import Jurisdiction, UseCase


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", "AI Strategy"
    SOP = "sop", "Standard operating procedure"
    STAFF_REPORT = "staff-report", "Staff report"
    RESOLUTION = "resolution", "Adoption resolution or directive"
    RESIDENT_SUMMARY = "resident-summary", "Resident summary"
    # Every document as a PDF, the public register as CSV and a manifest, in one ZIP.
    PACKET = "packet", "Council packet"


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    ZIP = "zip", "ZIP"


FILE_STEMS = {
    DocumentKind.STRATEGY: "ai-strategy",
    DocumentKind.SOP: "ai-sop",
    DocumentKind.STAFF_REPORT: "ai-staff-report",
    DocumentKind.RESOLUTION: "ai-adoption",
    DocumentKind.RESIDENT_SUMMARY: "ai-resident-summary",
    DocumentKind.PACKET: "ai-council-packet",
}


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Rendering"
    DONE = "done", "Ready"
    FAILED = "failed", "Export failed"


class Export(models.Model):
    """One rendered file. `cache_key` hashes everything the file depends on, so the same
    answers are served from here instead of being rendered again."""

    Kind = DocumentKind
    Format = ExportFormat
    Status = ExportStatus

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=20, choices=DocumentKind)
    format = models.CharField(max_length=10, choices=ExportFormat)
    cache_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=ExportStatus, default=ExportStatus.PENDING)
    # Decided when the document is composed, from the approvals at that moment (None until
    # then): the file's stamp, its name and who may download it all follow this one decision.
    draft = models.BooleanField(null=True, blank=True, default=None)
    # In the database, not on local disk, so any app server can serve any export.
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # While RUNNING, the worker renews the lease as the child renders; past it the worker is
    # taken for dead and the export is queued again. The token names the run holding the lease.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["jurisdiction", "kind", "format", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="export_kind"),
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values), name="export_format"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.kind}.{self.format} ({self.status})"

    @property
    def final(self) -> bool:
        """Composed as the final document; until it is composed nothing final exists yet."""
        return self.draft is False

    @property
    def filename(self) -> str:
        stem = FILE_STEMS[DocumentKind(self.kind)]
        suffix = "" if self.final else "-draft"
        return f"{self.jurisdiction.slug}-{stem}{suffix}.{self.format}"

    @property
    def content_type(self) -> str:
        if self.format == ExportFormat.PDF:
            return "application/pdf"
        if self.format == ExportFormat.ZIP:
            return "application/zip"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    WITH_CONDITIONS = "approved-with-conditions", "Approved with conditions"
    REFUSED = "refused", "Refused"


class UseCaseApproval(models.Model):
    """A decision on one register entry by the approver of its risk tier. Records are kept, never
    edited: a new decision (a review, a changed tier) is a new record."""

    Decision = ApprovalDecision

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="approvals")
    # The tier and its approver when the decision was made: a later screening that changes the
    # tier leaves this decision standing for the old tier only.
    tier = models.CharField(max_length=20)
    approver = models.CharField(max_length=200)
    decision = models.CharField(max_length=30, choices=ApprovalDecision)
    decided_on = models.DateField()
    conditions = models.TextField(blank=True)
    next_review = models.DateField(null=True, blank=True)
    # Why a high-impact use may decide without a person's review, under the exception process.
    exception = models.TextField("exception to human review", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=ApprovalDecision.values), name="approval_decision"
            ),
            models.CheckConstraint(
                condition=~Q(decision=ApprovalDecision.WITH_CONDITIONS) | ~Q(conditions=""),
                name="approval_conditions_given",
            ),
            models.CheckConstraint(
                condition=Q(next_review__isnull=True) | Q(next_review__gt=models.F("decided_on")),
                name="approval_review_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.use_case} (tier {self.tier})"

    @property
    def grants(self) -> bool:
        return self.decision != ApprovalDecision.REFUSED


class PublishedRegister(models.Model):
    """A jurisdiction's register is public while this row exists: a manager publishes it and
    unpublishing deletes the row (both in the audit log)."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, on_delete=models.CASCADE, related_name="published_register"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.jurisdiction}: register published"


class EvidenceStatus(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not-met", "Not met"


class ObligationEvidence(models.Model):
    """What a member found about one obligation of an entry's tier (fixtures/tier-obligations.yaml).

    Kept, never edited, like approvals: a later record on the same obligation is the one the
    checklist shows, and the earlier ones stay as the history a reviewer may ask for."""

    Status = EvidenceStatus

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="evidence")
    # The obligation's key in the content file, and the tier it was recorded at: evidence at
    # another tier answers a different text and does not count after the tier changes.
    obligation = models.CharField(max_length=60)
    tier = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=EvidenceStatus)
    note = models.TextField(blank=True)
    evidenced_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "obligation evidence"
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EvidenceStatus.values), name="evidence_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.use_case}: {self.obligation} {self.get_status_display().lower()}"

    @property
    def met(self) -> bool:
        return self.status == EvidenceStatus.MET


class WorkbookChange(models.Model):
    """When a jurisdiction's workbook last changed, as announced after each change, and when the
    render of its drafts queued to wait for quiet is due (strategy/exports/prerender.py)."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    # Null when no render is queued.
    render_due_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.jurisdiction}: changed {self.changed_at:%Y-%m-%d %H:%M:%S}"
