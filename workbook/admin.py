from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Answer,
    Jurisdiction,
    Membership,
    Question,
    Section,
    SectionProgress,
    UseCase,
    Workbook,
)


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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "population_band"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    list_display = ["jurisdiction", "question", "use_case", "updated_by", "updated_at"]
    list_select_related = ["jurisdiction", "question", "use_case", "updated_by"]


@admin.register(SectionProgress)
class SectionProgressAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "section", "status", "assignee", "due_date", "version"]
    list_select_related = ["jurisdiction", "section", "assignee"]


@admin.register(UseCase)
class UseCaseAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "ai_type", "stage"]
