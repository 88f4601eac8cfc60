"""Readiness gaps become rows of the action plan (written through the workbook's save_section)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from strategy.scoring.readiness import DimensionScore
from workbook.answers.actions import save_section
from workbook.models import Answer, Section, SectionProgress
from workbook.security.access import can_edit_answers

ACTION_PLAN_SECTION = "action-plan"


ACTIONS_QUESTION = "plan-actions"


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


def add_to_action_plan(*, user, membership, dimension: DimensionScore) -> bool:
    """Append the suggested row for this gap to the action plan; False if already there."""
    if not can_edit_answers(membership):
        raise PermissionDenied("Only editors and managers can change the action plan.")
    jurisdiction = membership.jurisdiction
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
            user=user,
            jurisdiction=jurisdiction,
            section=section,
            values={ACTIONS_QUESTION: [*current, row]},
            expected_version=progress.version,
        )
    return True
