"""Changes of state started from the strategy pages, each checking permission in a transaction.

Answers are written only through workbook.answers.actions (the action plan by save_section); this
module adds exports and the readiness suggestions.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from strategy.access import Reader
from strategy.answers import all_sections_approved
from strategy.exports.cache import find_or_create_export
from strategy.models import Export
from strategy.scoring.readiness import DimensionScore
from workbook.answers.actions import save_section
from workbook.models import Answer, Section, SectionProgress
from workbook.security.access import can_edit_answers

ACTION_PLAN_SECTION = "action-plan"
ACTIONS_QUESTION = "plan-actions"


class FinalExportRefused(PermissionDenied):
    """Only managers export the final (approved) documents."""


def request_export(reader: Reader, kind: str, fmt: str, user) -> Export:
    """The export of this document for the current answers, queued if not rendered yet.

    Refusing a viewer here only spares a render they could not download: whether the file is
    final is decided when it is composed, and the download checks that stored decision.
    """
    if all_sections_approved(reader.jurisdiction) and not reader.may_export_final:
        raise FinalExportRefused("Only a manager can export the final document.")
    return find_or_create_export(reader.jurisdiction, kind, fmt, user)


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


# --- The use-case register ---------------------------------------------------------------
