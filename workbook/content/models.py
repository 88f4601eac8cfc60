"""The workbook's content as loaded from fixtures/: editions, sections and questions."""

from django.db import models
from django.db.models import Q


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
    # Not stored: the number in the team's step list, set on the copies workbook.content.cache
    # hands out.
    number: int

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
