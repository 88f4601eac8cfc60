"""The AI use-case register: each use case with its risk tier and approver."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from strategy.answers import ScreenedUseCase, WorkbookAnswers
from strategy.models import ObligationEvidence, UseCaseApproval
from strategy.register.obligations import TierObligation, tier_obligations
from strategy.scoring.risk import (
    PROHIBITED,
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


# The governance answer naming how an exception to the rules is asked for and decided.
EXCEPTION_PROCESS = "rules-exceptions"


@dataclass(frozen=True)
class ChecklistItem:
    """One obligation of the entry's tier with the latest evidence recorded on it, if any."""

    obligation: TierObligation
    evidence: ObligationEvidence | None

    @property
    def met(self) -> bool:
        return self.evidence is not None and self.evidence.met


@dataclass(frozen=True)
class RegisterEntry:
    use_case: UseCase
    risk: RiskAssessment
    approver: str | None
    # The screening answers by question slug, for the checks before adoption.
    screening: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # Its approval records, oldest first (prefetched with the register).
    approvals: tuple[UseCaseApproval, ...] = field(default=(), compare=False)
    # Its obligation evidence, oldest first (prefetched with the register).
    evidence: tuple[ObligationEvidence, ...] = field(default=(), compare=False)

    @property
    def approval(self) -> UseCaseApproval | None:
        """The latest decision at the entry's present tier, if it grants the use."""
        at_tier = [a for a in self.approvals if a.tier == self.risk.tier]
        return at_tier[-1] if at_tier and at_tier[-1].grants else None

    @property
    def checklist(self) -> list[ChecklistItem]:
        """The obligations of its present tier, each with the latest evidence at that tier."""
        latest = {e.obligation: e for e in self.evidence if e.tier == self.risk.tier}
        return [
            ChecklistItem(obligation, latest.get(obligation.key))
            for obligation in tier_obligations().for_tier(self.risk.tier)
        ]

    @property
    def decides_alone(self) -> bool:
        """High-impact, and its output takes effect without a person approving it."""
        return (
            self.screening.get("risk-high-impact") is True
            and self.screening.get("risk-ai-role") == "automated-decision"
        )

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
                tuple(screened.use_case.approvals.all()),
                tuple(screened.use_case.evidence.all()),
            )
        )
    return entries


def go_live_blockers(entry: RegisterEntry, answers: WorkbookAnswers) -> list[str]:
    """Why the entry may not be in pilot or regular use yet (nothing when it may).

    The one rule for both the stage change, which it refuses, and the checks before adoption,
    which flag the entries that were already live before approvals were recorded."""
    tier = entry.risk.tier
    if tier is None or not entry.risk.complete:
        return ["its risk screening is not finished, so it has no reliable tier"]
    if tier == PROHIBITED:
        return ["it falls in a prohibited category and may not go ahead"]
    approval = entry.approval
    if approval is None:
        who = entry.approver or "the tier's approver (none is named in the governance answers)"
        return [f"it has no approval at tier {tier} from {who}"]
    if entry.decides_alone:
        if not answers.has(EXCEPTION_PROCESS):
            return [
                "it is high-impact and decides without a person's review, which is allowed only "
                "under an exception process, and the use rules name none"
            ]
        if not approval.exception.strip():
            return [
                "it is high-impact and decides without a person's review, and its approval "
                "records no exception to human review"
            ]
    return []
