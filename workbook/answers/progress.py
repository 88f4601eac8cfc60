"""Section status summaries for the dashboard and the workbook overview."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from workbook.content.cache import workbook_content
from workbook.models import Section, SectionProgress, SectionStatus

DONE_STATUSES = (SectionStatus.COMPLETE, SectionStatus.APPROVED)


@dataclass(frozen=True)
class ProgressSummary:
    complete_count: int
    approved_count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.complete_count / self.total) if self.total else 0


def workbook_sections(workbook) -> list[Section]:
    """The sections a team works through in the main workbook, in order, each with its `number`.

    `number` (1, 2, 3, ...) is what the team sees in the step list, headings, overview and review.
    The sections are shared between requests (see workbook.content.cache): read-only.
    """
    return list(workbook_content(workbook).sections)


def summaries_for(jurisdictions) -> dict[int, ProgressSummary]:
    """Progress of each jurisdiction, in one query whatever their number.

    Pass jurisdictions with their workbook already read (`select_related`): the number of
    sections comes from the workbook's cached content.
    """
    jurisdictions = list(jurisdictions)
    totals = {j.workbook_id: len(workbook_content(j.workbook).sections) for j in jurisdictions}
    counts: dict[int, Mapping[str, Any]] = {
        row["jurisdiction"]: row
        for row in SectionProgress.objects.filter(
            jurisdiction__in=jurisdictions,
            section__retired_at__isnull=True,
            section__scope=Section.Scope.JURISDICTION,
        )
        .values("jurisdiction")
        .annotate(
            done=Count("id", filter=Q(status__in=DONE_STATUSES)),
            approved=Count("id", filter=Q(status=SectionStatus.APPROVED)),
        )
    }
    return {
        j.pk: ProgressSummary(
            complete_count=counts.get(j.pk, {}).get("done", 0),
            approved_count=counts.get(j.pk, {}).get("approved", 0),
            total=totals.get(j.workbook_id, 0),
        )
        for j in jurisdictions
    }


def section_rows(jurisdiction) -> list[tuple[Section, SectionProgress]]:
    """Each workbook section with this jurisdiction's progress (unsaved default if none)."""
    sections = workbook_sections(jurisdiction.workbook)
    progress = {
        p.section_id: p
        for p in SectionProgress.objects.filter(jurisdiction=jurisdiction).select_related(
            "assignee"
        )
    }
    return [
        (s, progress.get(s.pk) or SectionProgress(jurisdiction=jurisdiction, section=s))
        for s in sections
    ]
