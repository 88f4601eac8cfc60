"""A section's review workflow: assignment with a due date, approval and reopening.

Saving answers lives in workbook/answers/actions.py; it never changes an approved section
without a reason for reopening it, and then reopens it through `withdraw_approval` here.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from workbook.answers.changes import announce_change
from workbook.answers.progress import ProgressRow
from workbook.audit.record import record
from workbook.content.cache import workbook_content
from workbook.models import (
    AuditKind,
    Jurisdiction,
    Membership,
    Section,
    SectionProgress,
    SectionStatus,
)
from workbook.notifications import notify
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
        announce_change(access.jurisdiction)  # the documents name each section's assignee
        notify.after_commit(notify.section_assigned, progress, access.user)
    return progress


REOPEN_REASON_MAX_LENGTH = 500


class ChangedSinceLoaded(WorkflowRuleBroken):
    """The section was saved (or its status changed) since the manager's page was loaded."""

    def __init__(self, progress: SectionProgress):
        self.progress = progress
        super().__init__(
            f"“{progress.section.title}” changed since you loaded the page: it is now "
            f"{progress.get_status_display().lower()}. Read it again before approving it."
        )


def approve_section(
    *,
    access: JurisdictionAccess,
    section: Section,
    expected_version: int | None = None,
    request=None,
) -> SectionProgress:
    """A manager approves a complete section; only complete sections can be approved.

    With `expected_version`, the version the manager's page showed, an approval of a section
    saved since is refused (ChangedSinceLoaded): nobody approves text they have not seen.
    """
    access.require(Action.APPROVE_SECTION)
    with transaction.atomic():
        progress = _progress_for_update(access, section)
        if expected_version is not None and progress.version != expected_version:
            raise ChangedSinceLoaded(progress)
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
        announce_change(access.jurisdiction)
        notify.after_commit(notify.section_approved, progress, access.user)
    return progress


def approve_sections(
    *, access: JurisdictionAccess, sections: list[tuple[Section, int | None]], request=None
) -> tuple[list[SectionProgress], list[WorkflowRuleBroken]]:
    """Approve several sections, each at the version the manager saw: (approved, refused).

    Each approval stands on its own, so one section changed since the page was loaded is
    refused without holding back the others.
    """
    access.require(Action.APPROVE_SECTION)
    approved, refused = [], []
    for section, version in sections:
        try:
            approved.append(
                approve_section(
                    access=access, section=section, expected_version=version, request=request
                )
            )
        except WorkflowRuleBroken as error:
            refused.append(error)
    return approved, refused


def clean_reopen_reason(reason: str) -> str:
    """The reason as stored; WorkflowRuleBroken when there is none or it is too long."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowRuleBroken("Say briefly why the section needs changes.")
    if len(reason) > REOPEN_REASON_MAX_LENGTH:
        raise WorkflowRuleBroken(
            f"Keep the reason to {REOPEN_REASON_MAX_LENGTH} characters or fewer."
        )
    return reason


def reopen_section(
    *, access: JurisdictionAccess, section: Section, reason: str, request=None
) -> SectionProgress:
    """An editor or manager withdraws a section's approval to change it, saying why.

    A section that is not approved is left as it is (reopening twice changes nothing).
    """
    access.require(Action.REOPEN_SECTION)
    reason = clean_reopen_reason(reason)
    with transaction.atomic():
        progress = _progress_for_update(access, section)
        if progress.status == SectionStatus.APPROVED:
            withdraw_approval(access.user, progress, reason, request=request)
    return progress


def withdraw_approval(user, progress: SectionProgress, reason: str, *, request=None) -> None:
    """Reopen a locked, approved section: record who, when and why, and tell the managers.

    The one way out of the approved state, for the reopen button and for a save that asked
    first (answers.actions.save_section). The answers are those that were approved, so the
    section is complete again, ready to be approved after the change.
    """
    previous = progress.status
    progress.status = SectionStatus.COMPLETE
    progress.approved_by = None
    progress.approved_at = None
    progress.reopened_by = user
    progress.reopened_at = timezone.now()
    progress.reopen_reason = reason
    progress.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "reopened_by",
            "reopened_at",
            "reopen_reason",
            "updated_at",
        ]
    )
    record(
        AuditKind.SECTION_REOPENED,
        user=user,
        jurisdiction=progress.jurisdiction,
        request=request,
        section=progress.section.slug,
        previous_status=str(previous),
        reason=reason,
    )
    announce_change(progress.jurisdiction)
    notify.after_commit(notify.section_reopened, progress, user, reason)


@dataclass(frozen=True)
class Assignment:
    """A section assigned to someone, as the dashboard lists it."""

    jurisdiction: Jurisdiction
    section: Section
    status: str
    due_date: datetime.date | None

    def get_status_display(self) -> str:
        return SectionStatus(self.status).label


def assigned_to(
    user, member_jurisdictions: Sequence[Jurisdiction], rows: Iterable[ProgressRow]
) -> list[Assignment]:
    """Sections assigned to this user in the jurisdictions they belong to, soonest due first,
    then by jurisdiction and section order.

    The jurisdictions (with their workbook) are the caller's, read with their memberships, and
    `rows` their `progress_rows`, read for their progress: this costs no query. The sections are
    those the team works through (the workbook's cached content), so a retired one is left out.
    """
    by_id = {j.pk: j for j in member_jurisdictions}
    sections: dict[int, dict[int, Section]] = {}
    assigned = []
    for jurisdiction_id, section_id, status, assignee_id, due_date in rows:
        if assignee_id != user.pk or status == SectionStatus.APPROVED:
            continue
        jurisdiction = by_id.get(jurisdiction_id)
        if jurisdiction is None:
            continue  # a jurisdiction the user coaches but does not belong to
        if jurisdiction.workbook_id not in sections:
            sections[jurisdiction.workbook_id] = {
                s.pk: s for s in workbook_content(jurisdiction.workbook).sections
            }
        section = sections[jurisdiction.workbook_id].get(section_id)
        if section is not None:
            assigned.append(Assignment(jurisdiction, section, status, due_date))
    assigned.sort(
        key=lambda a: (
            a.due_date is None,
            a.due_date or datetime.date.min,
            a.jurisdiction.name,
            a.section.position,
        )
    )
    return assigned
