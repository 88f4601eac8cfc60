"""A section's review workflow: assignment with a due date, approval and reopening.

Saving answers (and the reopening that editing an approved section causes) lives in actions.py.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workbook.audit.record import record
from workbook.models import AuditKind, Membership, Section, SectionProgress, SectionStatus
from workbook.security.access import ASSIGNABLE_ROLES, Action, JurisdictionAccess


class WorkflowRuleBroken(Exception):
    """The section is not in a state that allows this step."""


def _progress_for_update(access: JurisdictionAccess, section: Section) -> SectionProgress:
    progress, _ = SectionProgress.objects.get_or_create(
        jurisdiction=access.jurisdiction, section=section
    )
    return SectionProgress.objects.select_for_update().get(pk=progress.pk)


def assign_section(
    *,
    access: JurisdictionAccess,
    section: Section,
    assignee: Membership | None,
    due_date: datetime.date | None = None,
    request=None,
) -> SectionProgress:
    """Make a member who can edit answers responsible for a section (None clears it)."""
    access.require(Action.ASSIGN_SECTION)
    if assignee is not None:
        if assignee.jurisdiction_id != access.jurisdiction.pk:
            raise WorkflowRuleBroken("The assignee is not a member of this team.")
        if assignee.role not in ASSIGNABLE_ROLES:
            raise WorkflowRuleBroken("Viewers cannot be assigned a section: they cannot edit it.")
    with transaction.atomic():
        progress = _progress_for_update(access, section)
        progress.assignee = assignee.user if assignee else None
        progress.due_date = due_date if assignee else None
        progress.save(update_fields=["assignee", "due_date", "updated_at"])
        record(
            AuditKind.SECTION_ASSIGNED,
            user=access.user,
            jurisdiction=access.jurisdiction,
            request=request,
            section=section.slug,
            assignee=assignee.user.get_username() if assignee else None,
            due_date=due_date.isoformat() if (assignee and due_date) else None,
        )
    return progress


def approve_section(
    *, access: JurisdictionAccess, section: Section, request=None
) -> SectionProgress:
    """A manager approves a complete section; only complete sections can be approved."""
    access.require(Action.APPROVE_SECTION)
    with transaction.atomic():
        progress = _progress_for_update(access, section)
        if progress.status != SectionStatus.COMPLETE:
            raise WorkflowRuleBroken(
                "Only a complete section can be approved: every required question answered."
            )
        progress.status = SectionStatus.APPROVED
        progress.approved_by = access.user
        progress.approved_at = timezone.now()
        progress.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        record(
            AuditKind.SECTION_APPROVED,
            user=access.user,
            jurisdiction=access.jurisdiction,
            request=request,
            section=section.slug,
            version=progress.version,
        )
    return progress


def reopen_section(
    *, access: JurisdictionAccess, section: Section, request=None
) -> SectionProgress:
    """A manager sends an approved or complete section back for more work."""
    access.require(Action.APPROVE_SECTION)
    with transaction.atomic():
        progress = _progress_for_update(access, section)
        if progress.status not in (SectionStatus.APPROVED, SectionStatus.COMPLETE):
            raise WorkflowRuleBroken("Only an approved or complete section can be reopened.")
        previous = progress.status
        progress.status = SectionStatus.IN_PROGRESS
        progress.approved_by = None
        progress.approved_at = None
        progress.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        record_reopened(access.user, progress, previous=previous, request=request)
    return progress


def record_reopened(
    user, progress: SectionProgress, *, previous: str, by_edit: bool = False, request=None
) -> None:
    """Audit a section leaving the approved (or complete) state; also used when an edit does it."""
    record(
        AuditKind.SECTION_REOPENED,
        user=user,
        jurisdiction=progress.jurisdiction,
        request=request,
        section=progress.section.slug,
        previous_status=str(previous),
        by_edit=by_edit,
    )


def assigned_to(user) -> list[SectionProgress]:
    """Sections assigned to this user in jurisdictions they still belong to, soonest due first."""
    if not user.is_authenticated:
        return []
    return list(
        SectionProgress.objects.filter(
            assignee=user,
            jurisdiction__memberships__user=user,
            section__retired_at__isnull=True,
        )
        .exclude(status=SectionStatus.APPROVED)
        .select_related("jurisdiction", "section")
        .order_by(F("due_date").asc(nulls_last=True), "jurisdiction__name", "section__position")
    )
