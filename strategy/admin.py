"""The register in the facilitators' admin: each entry with its approvals and obligation evidence.

Read-only and scoped like the workbook's admin (decision 0008: the workbook may not import
strategy, so the entry's page is extended here). Facilitators get view permission on these models
after each migrate, as the workbook grants it on its own.
"""

from django.contrib import admin
from django.contrib.auth.models import Permission

from strategy.models import ObligationEvidence, UseCaseApproval
from workbook.admin.facilitators import ensure_facilitator_group
from workbook.admin.site import ReadOnly, ReadOnlyAdmin, UseCaseAdmin
from workbook.models import UseCase

REGISTER_MODELS = ("usecaseapproval", "obligationevidence")


def grant_facilitators_view(**kwargs) -> None:
    ensure_facilitator_group().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="strategy",
            content_type__model__in=REGISTER_MODELS,
            codename__startswith="view_",
        )
    )


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class ApprovalInline(ReadOnlyInline):
    model = UseCaseApproval
    fields = readonly_fields = (
        "decided_on",
        "tier",
        "approver",
        "decision",
        "conditions",
        "next_review",
    )


class EvidenceInline(ReadOnlyInline):
    model = ObligationEvidence
    fields = readonly_fields = (
        "evidenced_on",
        "tier",
        "obligation",
        "status",
        "note",
        "recorded_by",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


admin.site.unregister(UseCase)


@admin.register(UseCase)
class RegisterEntryAdmin(UseCaseAdmin):
    inlines = [ApprovalInline, EvidenceInline]


@admin.register(UseCaseApproval)
class UseCaseApprovalAdmin(ReadOnlyAdmin):
    jurisdiction_path = "use_case__jurisdiction"
    list_display = ["use_case", "tier", "approver", "decision", "decided_on", "next_review"]
    list_select_related = ["use_case", "use_case__jurisdiction"]
    list_filter = ["decision", "tier"]


@admin.register(ObligationEvidence)
class ObligationEvidenceAdmin(ReadOnlyAdmin):
    jurisdiction_path = "use_case__jurisdiction"
    list_display = ["use_case", "obligation", "tier", "status", "evidenced_on", "recorded_by"]
    list_select_related = ["use_case", "use_case__jurisdiction", "recorded_by"]
    list_filter = ["status", "tier"]
