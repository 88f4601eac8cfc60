"""The AI use-case register: each use case with its risk tier and approver."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from strategy.answers import ScreenedUseCase, WorkbookAnswers
from strategy.scoring.risk import (
    RiskAssessment,
    ScreeningQuestion,
    approver_for,
    approvers_by_tier,
    assess,
)
from workbook.models import Section, UseCase, UseCaseStage

SCREENING_SECTION = "risk-screening"
# The stages at which a use is live: its screening and approval must be in place.
IN_USE = (UseCaseStage.PILOT, UseCaseStage.DEPLOYED)
# A stage as the predicate of a sentence: "“Pothole detection” is in regular use".
STAGE_PHRASES = {
    UseCaseStage.PROPOSED: "proposed",
    UseCaseStage.PILOT: "in a pilot or trial",
    UseCaseStage.DEPLOYED: "in regular use",
    UseCaseStage.RETIRED: "retired",
}


@dataclass(frozen=True)
class RegisterEntry:
    use_case: UseCase
    risk: RiskAssessment
    approver: str | None
    # The screening answers by question slug, for the checks before adoption.
    screening: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def in_use(self) -> bool:
        return self.use_case.stage in IN_USE

    @property
    def stage_phrase(self) -> str:
        return STAGE_PHRASES[UseCaseStage(self.use_case.stage)]


def screening_questions(answers: WorkbookAnswers) -> list[ScreeningQuestion]:
    return [
        ScreeningQuestion.from_question(q)
        for q in answers.questions.values()
        if q.section.scope == Section.Scope.USE_CASE and q.scoring
    ]


def red_list(answers: WorkbookAnswers) -> set[str]:
    """The option values of the jurisdiction's prohibited uses (the red list)."""
    return set().union(*(answers.selected(q.slug) for q in answers.by_role("red_list")))


def tier_approvers(answers: WorkbookAnswers) -> dict[str, str]:
    rows = [r for q in answers.by_role("tier_approvers") for r in answers.rows(q.slug)]
    return approvers_by_tier(rows)


def register_entries(
    answers: WorkbookAnswers, use_cases: list[ScreenedUseCase]
) -> list[RegisterEntry]:
    """Assess every use case of the register against the jurisdiction's own rules."""
    questions = screening_questions(answers)
    banned = red_list(answers)
    approvers = tier_approvers(answers)
    entries = []
    for screened in use_cases:
        risk = assess(questions, screened.values, banned)
        entries.append(
            RegisterEntry(
                screened.use_case,
                risk,
                approver_for(risk.tier, approvers),
                screened.values,
            )
        )
    return entries
