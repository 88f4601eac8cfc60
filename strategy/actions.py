"""Changes of state started from the strategy pages, each checking permission in a transaction.

Answers are still written through workbook.actions.save_section (the action plan) or, for a
use case's own screening answers, here with the same rules: permission check, optimistic
version check, history.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workbook.actions import StaleVersion, save_section, write_answers
from workbook.models import Answer, Question, Section, SectionProgress, UseCase
from workbook.permissions import can_edit_answers

from .access import Reader
from .answers import all_sections_approved
from .exports import find_or_create_export
from .models import Export
from .readiness import DimensionScore

ACTION_PLAN_SECTION = "action-plan"
ACTIONS_QUESTION = "plan-actions"
SCREENING_SECTION = "risk-screening"


class FinalExportRefused(PermissionDenied):
    """Only managers export the final (approved) documents."""


def request_export(reader: Reader, kind: str, fmt: str, user) -> Export:
    """The export of this document for the current answers, queued if not rendered yet."""
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


def _require_editor(membership) -> None:
    if not can_edit_answers(membership):
        raise PermissionDenied("Only editors and managers can change the register.")


@transaction.atomic
def save_use_case(*, user, membership, use_case: UseCase | None, fields: Mapping[str, Any]):
    """Create a use case in the member's jurisdiction, or update one of its own."""
    _require_editor(membership)
    if use_case is None:
        use_case = UseCase(jurisdiction=membership.jurisdiction)
    elif use_case.jurisdiction_id != membership.jurisdiction_id:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(use_case, name, value)
    use_case.save()
    return use_case


@transaction.atomic
def save_screening(
    *,
    user,
    membership,
    use_case: UseCase,
    values: Mapping[str, Any],
    expected_version: int,
) -> UseCase:
    """Write one use case's screening answers if nobody saved since `expected_version`."""
    _require_editor(membership)
    if use_case.jurisdiction_id != membership.jurisdiction_id:
        raise PermissionDenied
    claimed = UseCase.objects.filter(pk=use_case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise StaleVersion(UseCase.objects.values_list("version", flat=True).get(pk=use_case.pk))
    use_case.version = expected_version + 1
    questions = {
        q.slug: q
        for q in Question.active.filter(
            section__workbook=use_case.jurisdiction.workbook_id,
            section__slug=SCREENING_SECTION,
        )
    }
    stored = {
        a.question.slug: a
        for a in Answer.objects.filter(use_case=use_case).select_related("question")
    }
    write_answers(user, use_case.jurisdiction, questions, stored, values, use_case=use_case)
    return use_case
