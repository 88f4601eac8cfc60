"""The facilitators' admin: Django's admin, scoped to the jurisdictions each facilitator coaches.

Every tenant model's admin filters its queryset through Jurisdiction.objects.for_facilitator, so a
facilitator with no assignment sees no rows and another jurisdiction's object answers 404.
Answers, progress, comments, invitations and memberships are read-only here: they change only
through the actions (workbook/*actions.py), which check permission and keep history.
"""

import csv
import json
from datetime import UTC

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, DateTimeField, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import formats, timezone

from workbook.admin.actions import export_answers
from workbook.admin.review import answers_for_review
from workbook.answers.presenter import answer_text, value_view
from workbook.answers.progress import annotate_progress, annotated_progress
from workbook.comments.actions import COMMENT_MAX_LENGTH, CommentRuleBroken, add_comment
from workbook.content.cache import workbook_content
from workbook.models import (
    Answer,
    AuditEvent,
    Comment,
    Invitation,
    Jurisdiction,
    Membership,
    Question,
    Role,
    Section,
    SectionProgress,
    UseCase,
    UseCaseStage,
    Workbook,
)
from workbook.security.access import Action, JurisdictionAccess
from workbook.security.spreadsheet import csv_cell
from workbook.teams import actions as team_actions

admin.site.site_header = "AI Strategy Workbook — facilitation"
admin.site.site_title = "AI Strategy Workbook admin"
admin.site.index_title = "Jurisdictions you coach"


@admin.register(Workbook)
class WorkbookAdmin(admin.ModelAdmin):
    list_display = ["edition", "version", "loaded_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["position", "title", "scope", "retired_at"]
    list_filter = ["workbook", "scope"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["slug", "section", "field_type", "required", "retired_at"]
    list_filter = ["section", "field_type", "required"]
    search_fields = ["slug", "text"]


class FacilitatorScopedAdmin(admin.ModelAdmin):
    """Rows of the jurisdictions this user facilitates (superusers: all)."""

    # Lookup path from the model to its Jurisdiction.
    jurisdiction_path = "jurisdiction"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        facilitated = Jurisdiction.objects.for_facilitator(request.user).values("pk")
        lookup = "pk__in" if self.jurisdiction_path == "" else f"{self.jurisdiction_path}__in"
        return queryset.filter(**{lookup: facilitated})

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The admin would redirect with "doesn't exist"; answer 404 like the rest of the app.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Jurisdiction and not request.user.is_superuser:
            kwargs["queryset"] = Jurisdiction.objects.for_facilitator(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnly:
    """Shown, never changed here: these rows change only through the actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, FacilitatorScopedAdmin):
    pass


# Jurisdictions ----------------------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) subquery (one per column, never one query per row)."""
    counted = queryset.order_by().values("jurisdiction").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest(queryset, field_name: str) -> Subquery:
    return Subquery(
        queryset.order_by(f"-{field_name}").values(field_name)[:1], output_field=DateTimeField()
    )


def annotate_list_columns(queryset):
    """The list's columns: progress (workbook.answers.progress), AI uses in the register and how
    many are live, open comments, last activity."""
    return annotate_progress(queryset).annotate(
        ai_uses=_count(UseCase.objects.filter(jurisdiction=OuterRef("pk"))),
        ai_uses_live=_count(
            UseCase.objects.filter(
                jurisdiction=OuterRef("pk"),
                stage__in=[UseCaseStage.PILOT, UseCaseStage.DEPLOYED],
            )
        ),
        open_comments=_count(
            Comment.objects.filter(
                jurisdiction=OuterRef("pk"), parent__isnull=True, resolved_at__isnull=True
            )
        ),
        last_activity=Greatest(
            Coalesce(
                _latest(Answer.objects.filter(jurisdiction=OuterRef("pk")), "updated_at"),
                F("created_at"),
            ),
            Coalesce(
                _latest(SectionProgress.objects.filter(jurisdiction=OuterRef("pk")), "updated_at"),
                F("created_at"),
            ),
            Coalesce(
                _latest(Comment.objects.filter(jurisdiction=OuterRef("pk")), "created_at"),
                F("created_at"),
            ),
        ),
    )


class WorkbookStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("not_started", "Not started"),
            ("in_progress", "In progress"),
            ("complete", "Complete, awaiting approval"),
            ("approved", "Approved"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "not_started":
                return queryset.filter(sections_started=0)
            case "in_progress":
                return queryset.filter(
                    sections_started__gt=0, sections_done__lt=F("sections_total")
                )
            case "complete":
                return queryset.filter(
                    sections_total__gt=0,
                    sections_done=F("sections_total"),
                    sections_approved__lt=F("sections_total"),
                )
            case "approved":
                return queryset.filter(sections_total__gt=0, sections_approved=F("sections_total"))
        return queryset


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        """The admin keeps the team rule the team page keeps: never drop the last manager."""
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        had_manager = (
            self.instance.pk
            and Membership.objects.filter(jurisdiction=self.instance, role=Role.MANAGER).exists()
        )
        if had_manager and not any(data.get("role") == Role.MANAGER for data in kept):
            raise ValidationError(
                "A team keeps at least one manager. Make someone else a manager first."
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["user"]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "Jurisdiction",
    "Section",
    "Question slug",
    "Question text",
    "Use case",
    "Value",
    "Raw value (JSON)",
    "Updated by",
    "Updated at (UTC)",
]


def _moment_text(moment) -> str:
    """ "January 4, 2027, 6:52 p.m.", as the admin's pages write it (workbook/formats/)."""
    return formats.date_format(moment, "DATETIME_FORMAT")


def answer_csv_rows(jurisdiction_ids: list[int]):
    """CSV lines of every answer of these jurisdictions, read from the database in chunks."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    numbers: dict[int, int] = {}  # section pk → its number in the team's pages
    answers = (
        Answer.objects.filter(jurisdiction__in=jurisdiction_ids)
        .select_related("jurisdiction__workbook", "question__section", "use_case", "updated_by")
        .order_by(
            "jurisdiction__name",
            "jurisdiction_id",
            "question__section__position",
            "question__position",
            "use_case__name",
            "pk",
        )
    )
    for answer in answers.iterator(chunk_size=2000):
        question = answer.question
        if question.section_id not in numbers:
            # Once per edition of the workbook (cached content), not once per answer.
            numbers.update(
                (s.pk, s.number) for s in workbook_content(answer.jurisdiction.workbook).sections
            )
            numbers.setdefault(question.section_id, 0)
        number = numbers[question.section_id]
        cells = [
            answer.jurisdiction.name,
            f"{number}. {question.section.title}" if number else question.section.title,
            question.slug,
            question.text,
            answer.use_case.name if answer.use_case else "",
            answer_text(question, answer.value),
            json.dumps(answer.value, ensure_ascii=False),
            answer.updated_by.get_username() if answer.updated_by else "",
            _moment_text(answer.updated_at.astimezone(UTC)) if answer.updated_at else "",
        ]
        # Every cell, not only the ones typed by users today: a new column cannot forget it.
        yield writer.writerow([csv_cell(cell) for cell in cells])


@admin.action(
    description="Export answers of the selected jurisdictions (CSV)", permissions=["view"]
)
def export_answers_csv(modeladmin, request, queryset):
    jurisdictions = export_answers(user=request.user, jurisdictions=queryset, request=request)
    response = StreamingHttpResponse(
        answer_csv_rows([j.pk for j in jurisdictions]), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="workbook-answers-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _comment_target(jurisdiction: Jurisdiction, about: str) -> tuple[Section | None, str | None]:
    """The section and question slug named by the form's "section:<slug>" or "question:<slug>".

    (None, None) for anything else. Matched in Python against the workbook's own slugs, so
    posted text (a NUL, say) never reaches a query; the comment action checks the question too.
    """
    kind, _, slug = about.partition(":")
    if kind == "section":
        sections = Section.active.filter(workbook=jurisdiction.workbook_id)
        return next((s for s in sections if s.slug == slug), None), None
    if kind == "question":
        questions = Question.active.filter(workbook=jurisdiction.workbook_id)
        section_of = dict(questions.values_list("slug", "section"))
        if slug in section_of:
            return Section.objects.get(pk=section_of[slug]), slug
    return None, None


@admin.register(Jurisdiction)
class JurisdictionAdmin(FacilitatorScopedAdmin):
    jurisdiction_path = ""
    list_display = [
        "name",
        "kind",
        "population_band",
        "percent_complete",
        "sections_approved_of_total",
        "register_count",
        "open_comment_count",
        "last_activity_at",
    ]
    list_filter = [WorkbookStatusFilter, "kind", "population_band"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["facilitators"]
    inlines = [MembershipInline]
    actions = [export_answers_csv]
    change_form_template = "admin/workbook/jurisdiction/change_form.html"

    def get_queryset(self, request):
        return annotate_list_columns(super().get_queryset(request).select_related("workbook"))

    def get_readonly_fields(self, request, obj=None):
        # After creation the team's profile answers set the kind and size (decision 12).
        return ["kind", "population_band"] if obj is not None else []

    @admin.display(description="% complete", ordering="sections_done")
    def percent_complete(self, obj) -> str:
        return f"{annotated_progress(obj).percent}%"

    @admin.display(description="sections approved", ordering="sections_approved")
    def sections_approved_of_total(self, obj) -> str:
        progress = annotated_progress(obj)
        return f"{progress.approved_count} / {progress.total}"

    @admin.display(description="AI uses (live)", ordering="ai_uses")
    def register_count(self, obj) -> str:
        return f"{obj.ai_uses} ({obj.ai_uses_live})"

    @admin.display(description="open comments", ordering="open_comments")
    def open_comment_count(self, obj) -> int:
        return obj.open_comments

    @admin.display(description="last activity", ordering="last_activity")
    def last_activity_at(self, obj):
        return obj.last_activity

    def get_urls(self):
        return [
            path(
                "<path:object_id>/comment/",
                self.admin_site.admin_view(self.comment_view),
                name="workbook_jurisdiction_comment",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        jurisdiction = self.get_object(request, object_id)
        if jurisdiction is None:
            raise Http404
        sections = answers_for_review(jurisdiction)
        about = request.GET.get("about", "")
        extra_context = {
            **(extra_context or {}),
            "review_sections": sections,
            "comment_about": about,
            "comment_max_length": COMMENT_MAX_LENGTH,
            "may_comment": JurisdictionAccess.of(request.user, jurisdiction).can(
                Action.START_COMMENT
            ),
            "comment_url": reverse("admin:workbook_jurisdiction_comment", args=[jurisdiction.pk]),
            "comment_targets": [
                (s, list(Question.active.filter(section=s.section).order_by("position")))
                for s in sections
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def comment_view(self, request, object_id):
        """A facilitator (or superuser) comments on a section or one answer from this page."""
        jurisdiction = self.get_object(request, object_id)
        if jurisdiction is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change_url = reverse("admin:workbook_jurisdiction_change", args=[jurisdiction.pk])
        section, about = _comment_target(jurisdiction, request.POST.get("about", ""))
        if section is None:
            self.message_user(request, "Choose what the comment is about.", messages.ERROR)
            return redirect(change_url)
        try:
            add_comment(
                access=JurisdictionAccess.of(request.user, jurisdiction),
                section=section,
                about=about,
                body=request.POST.get("body", ""),
            )
        except CommentRuleBroken as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, "Comment added. The team sees it next to the question.")
        return redirect(f"{change_url}#review")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # Memberships edited inline are team changes: they go through the team's actions, which
        # take the team lock, keep a manager and write the audit log, as the team page does.
        access = JurisdictionAccess.of(request.user, form.instance)
        formset.save(commit=False)
        try:
            for membership in formset.new_objects:
                team_actions.add_member(
                    access=access, user=membership.user, role=membership.role, request=request
                )
            for membership, _fields in formset.changed_objects:
                team_actions.change_role(
                    access=access, member=membership, role=membership.role, request=request
                )
            for membership in formset.deleted_objects:
                team_actions.remove_member(access=access, member=membership, request=request)
        except team_actions.TeamRuleBroken as error:
            self.message_user(request, str(error), messages.ERROR)


# Tenant rows, read-only -------------------------------------------------------------------------


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "question", "use_case", "updated_by", "updated_at"]
    list_select_related = ["jurisdiction", "question", "use_case", "updated_by"]
    list_filter = ["question__section"]
    search_fields = ["jurisdiction__name", "question__slug"]
    # The answer as the team reads it (a table as a table), not its stored JSON.
    fields = ["jurisdiction", "question", "use_case", "answer", "updated_by", "updated_at"]
    readonly_fields = ["answer"]

    @admin.display(description="answer")
    def answer(self, obj) -> str:
        return render_to_string(
            "admin/workbook/_answer_value.html", {"view": value_view(obj.question, obj.value)}
        )


@admin.register(SectionProgress)
class SectionProgressAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "section", "status", "assignee", "due_date", "version"]
    list_select_related = ["jurisdiction", "section", "assignee"]
    list_filter = ["status"]


@admin.register(UseCase)
class UseCaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "jurisdiction", "ai_type", "stage"]
    list_select_related = ["jurisdiction"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "jurisdiction", "role", "created_at"]
    list_select_related = ["user", "jurisdiction"]
    list_filter = ["role"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "section", "question", "author", "created_at", "is_open"]
    list_select_related = ["jurisdiction", "section", "question", "author"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]

    @admin.display(boolean=True, description="open")
    def is_open(self, obj) -> bool:
        return obj.resolved_at is None


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "jurisdiction", "role", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["jurisdiction"]
    exclude = ["token_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "username",
        "jurisdiction",
        "ip_address",
        "detail",
        "count",
        "last_at",
    ]
    list_select_related = ["jurisdiction"]
    list_filter = ["kind"]
    search_fields = ["username"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        # Facilitators see the events of the jurisdictions they coach, not sign-ins of others
        # nor outsiders' refusals (audit.record files those under no jurisdiction).
        facilitated = Jurisdiction.objects.for_facilitator(request.user).values("pk")
        return queryset.filter(jurisdiction__in=facilitated)
