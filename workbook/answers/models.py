"""The answers a jurisdiction gives: per section (with its progress) and per AI use case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from workbook.content.models import Question, Section
from workbook.teams.models import Jurisdiction


class AIType(models.TextChoices):
    GENERATIVE = "generative", "Generative AI"
    PREDICTIVE = "predictive", "Predictive machine learning"
    LANGUAGE = "language", "Language processing"
    VISION = "vision", "Computer vision"
    AUTOMATION = "automation", "Automation"
    AGENTIC = "agentic", "Agentic AI"


class UseCaseStage(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PILOT = "pilot", "Pilot or trial"
    DEPLOYED = "deployed", "In regular use"
    RETIRED = "retired", "Retired"


class UseCase(models.Model):
    """An AI use (existing or planned): the one entry of the jurisdiction's register of AI uses."""

    AIType = AIType
    Stage = UseCaseStage

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="use_cases"
    )
    name = models.CharField(max_length=200)
    department = models.CharField(max_length=200, blank=True)
    tool = models.CharField("tool or vendor", max_length=200, blank=True)
    # Blank only for uses moved from the old inventory table, where the kind was optional.
    ai_type = models.CharField("AI type", max_length=20, choices=AIType, blank=True)
    stage = models.CharField(max_length=20, choices=UseCaseStage, default=UseCaseStage.PROPOSED)
    purpose = models.TextField(blank=True)
    outputs = models.CharField("what it produces", max_length=200, blank=True)
    resident_facing = models.BooleanField(default=False)
    data_used = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    in_use_since = models.DateField(null=True, blank=True)
    # Internal only: what the move from the inventory table could not put in a field.
    notes = models.TextField("internal notes", blank=True)
    # Optimistic locking for the screening answers, like SectionProgress.version.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ai_type__in=[*AIType.values, ""]), name="usecase_ai_type"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=UseCaseStage.values), name="usecase_stage"
            ),
            # Each use exists once: two entries differing only in case are the same use.
            models.UniqueConstraint(Lower("name"), "jurisdiction", name="usecase_unique_name"),
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
    # The last time an approval was withdrawn to change the section, and why: the team sees it
    # until the section is approved again.
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)
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
