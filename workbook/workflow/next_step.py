"""Where a team stands and the one thing to do next, for the overview.

Read-only: decided from the sections' statuses alone, the same statuses every page counts.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse

from workbook.models import Section, SectionProgress, SectionStatus
from workbook.security.access import Action, JurisdictionAccess

# The stages a workbook goes through, in order, as the overview's step indicator shows them.
STAGES = ("Fill in", "Review", "Approve", "Export")


@dataclass(frozen=True)
class NextStep:
    stage: int  # index in STAGES
    label: str  # the primary action's text
    url: str
    note: str  # what the team is waiting for, in a sentence
    new: bool = False  # nothing started yet: the overview shows the start page


def next_step(
    access: JurisdictionAccess, rows: Sequence[tuple[Section, SectionProgress]]
) -> NextStep:
    slug = access.jurisdiction.slug
    unfinished = [
        (s, p)
        for s, p in rows
        if p.status in (SectionStatus.NOT_STARTED, SectionStatus.IN_PROGRESS)
    ]
    complete = [s for s, p in rows if p.status == SectionStatus.COMPLETE]
    if unfinished:
        section = unfinished[0][0]
        new = all(p.status == SectionStatus.NOT_STARTED for _, p in rows)
        left = len(unfinished)
        return NextStep(
            stage=0,
            label=f"Start with section {section.number}"
            if new
            else (f"Continue with section {section.number}"),
            url=reverse("workbook:section", args=[slug, section.slug]),
            note=f"{left} section{'s' if left != 1 else ''} still to fill in.",
            new=new,
        )
    if complete:
        n = len(complete)
        sections = f"{n} section{'s' if n != 1 else ''}"
        if access.can(Action.APPROVE_SECTION):
            return NextStep(
                stage=2,
                label=f"Review and approve {sections}",
                url=reverse("workbook:review", args=[slug]),
                note=f"Every section is filled in; {sections} wait for your approval.",
            )
        return NextStep(
            stage=1,
            label="Review the answers",
            url=reverse("workbook:review", args=[slug]),
            note=f"Every section is filled in; {sections} wait for a manager's approval.",
        )
    return NextStep(
        stage=3,
        label="Export the final strategy",
        url=reverse("strategy:documents", kwargs={"jurisdiction_slug": slug}),
        note=(
            "Every section is approved. The documents page lists any check that still holds "
            "the final strategy back."
        ),
    )
