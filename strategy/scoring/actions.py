"""Readiness gaps become rows of the action plan (written through the workbook's save_section)."""

import csv
import io
from typing import Any

from django.db import transaction

from strategy.answers import load_answers
from strategy.scoring.plan import action_plan_groups
from strategy.scoring.readiness import DimensionScore
from workbook.answers.actions import save_section
from workbook.audit.record import record
from workbook.models import Answer, AuditKind, Section, SectionProgress
from workbook.security.access import Action, JurisdictionAccess
from workbook.security.spreadsheet import csv_cell

ACTION_PLAN_SECTION = "action-plan"


ACTIONS_QUESTION = "plan-actions"
# The action plan's columns in the order the page and the CSV file show them.
ACTION_PLAN_COLUMNS = [
    "action",
    "dimension",
    "owner",
    "start",
    "due",
    "horizon",
    "budget",
    "status",
    "kpi",
]


def suggested_action_row(dimension: DimensionScore) -> dict[str, Any]:
    """An action-plan row for closing one readiness gap."""
    return {
        "action": (
            f"Raise {dimension.title.lower()} from {dimension.score} to "
            f"{dimension.target_score} ({dimension.target_band})"
        ),
        "dimension": dimension.slug,
        "horizon": "0-6" if (dimension.gap or 0) >= 30 else "6-18",
        "status": "not-started",
        "kpi": f"Readiness score of {dimension.target_score} or more at the next assessment",
    }


def add_to_action_plan(
    *, access: JurisdictionAccess, dimension: DimensionScore, reopen_reason: str = ""
) -> bool:
    """Append the suggested row for this gap to the action plan; False if already there.

    An approved action plan is changed only with a reason to reopen it (save_section raises
    SectionApproved otherwise, and nothing is written).
    """
    access.require(Action.EDIT_ANSWERS)
    jurisdiction = access.jurisdiction
    section = Section.active.get(workbook=jurisdiction.workbook_id, slug=ACTION_PLAN_SECTION)
    with transaction.atomic():
        progress, _ = SectionProgress.objects.select_for_update().get_or_create(
            jurisdiction=jurisdiction, section=section
        )
        current = (
            Answer.objects.filter(
                jurisdiction=jurisdiction,
                question__slug=ACTIONS_QUESTION,
                question__section=section,
                use_case__isnull=True,
            )
            .values_list("value", flat=True)
            .first()
        ) or []
        row = suggested_action_row(dimension)
        if any(r.get("action") == row["action"] for r in current if isinstance(r, dict)):
            return False
        save_section(
            access=access,
            section=section,
            values={ACTIONS_QUESTION: [*current, row]},
            expected_version=progress.version,
            reopen_reason=reopen_reason,
        )
    return True


def action_plan_csv(*, access: JurisdictionAccess, request=None) -> str:
    """The action plan as a CSV file, by horizon; the download is recorded in the audit log.

    Every cell a person typed goes through csv_cell, so a spreadsheet never runs it as a formula.
    """
    access.require(Action.VIEW)
    answers = load_answers(access.jurisdiction)
    columns = {c["slug"]: c["label"] for c in answers.columns(ACTIONS_QUESTION)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Horizon", *(columns.get(c, c) for c in ACTION_PLAN_COLUMNS)])
    for label, rows in action_plan_groups(answers):
        for row in rows:
            writer.writerow(
                [
                    label,
                    *(
                        csv_cell(answers.cell(ACTIONS_QUESTION, c, row))
                        for c in ACTION_PLAN_COLUMNS
                    ),
                ]
            )
    record(
        AuditKind.ACTION_PLAN_EXPORTED,
        user=access.user,
        jurisdiction=access.jurisdiction,
        request=request,
    )
    return out.getvalue()
