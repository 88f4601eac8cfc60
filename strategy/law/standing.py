"""Where a jurisdiction stands against the duties: pure code over its answers and the duties.

The profile's answers are the source of the state, population and kind (docs/decisions/0012).
Each requirement of an applicable duty is met, not met or open, with the answers that decide it,
so the duties page and the strategy can say how the answers meet a duty or what is missing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from strategy.answers import WorkbookAnswers
from strategy.law.applicability import applicable_duties, applies_to
from strategy.law.model import Duty, Requirement
from workbook.answers.profile import (
    KIND_QUESTION,
    POPULATION_QUESTION,
    STATE_QUESTION,
    population_of,
)
from workbook.answers.rules import condition_met
from workbook.models import Section


@dataclass(frozen=True)
class Profile:
    state: str | None
    population: int | None
    kind: str | None


def profile(answers: WorkbookAnswers) -> Profile:
    """The state code, number of residents and kind of government the profile gives."""
    state = answers.raw(STATE_QUESTION)
    kind = answers.raw(KIND_QUESTION)
    return Profile(
        state=state if isinstance(state, str) else None,
        population=population_of(answers.raw(POPULATION_QUESTION)),
        kind=kind if isinstance(kind, str) else None,
    )


def binding(duty: Duty, where: Profile) -> bool:
    """The duty applies and everything it turns on is known: a check may then rely on it.

    `applies_to` keeps a duty whose state or population is unknown, so a page can say it may
    apply; a check must not warn a jurisdiction that has not said where it is.
    """
    bounds = duty.applies.min_population is not None or duty.applies.below_population is not None
    return (
        (not duty.applies.states or where.state is not None)
        and (not bounds or where.population is not None)
        and applies_to(duty, where.state, where.population, where.kind)
    )


class Met(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    OPEN = "open"
    PER_USE = "per use"

    @property
    def label(self) -> str:
        return MET_LABELS[self]


MET_LABELS = {
    Met.MET: "Met by the answers",
    Met.NOT_MET: "Not met by the answers",
    Met.OPEN: "Not answered yet",
    Met.PER_USE: "Checked in each use's risk screening",
}


@dataclass(frozen=True)
class RequirementStanding:
    requirement: Requirement
    status: Met
    # Slugs of jurisdiction questions: answered and meeting it, answered and not, unanswered.
    meeting: tuple[str, ...]
    failing: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class DutyStanding:
    duty: Duty
    requirements: tuple[RequirementStanding, ...]
    # False when the state or population it turns on is not answered yet: it may apply.
    known: bool

    @property
    def met(self) -> bool:
        return all(r.status in (Met.MET, Met.PER_USE) for r in self.requirements)

    @property
    def gaps(self) -> tuple[RequirementStanding, ...]:
        return tuple(r for r in self.requirements if r.status in (Met.NOT_MET, Met.OPEN))


def _jurisdiction_level(answers: WorkbookAnswers, slug: str) -> bool:
    question = answers.questions.get(slug)
    return question is not None and question.section.scope != Section.Scope.USE_CASE


def _given(answers: WorkbookAnswers, slug: str) -> bool:
    """Answered and shown: a kept answer to a question its condition now hides does not count."""
    question = answers.questions[slug]
    return answers.has(slug) and condition_met(question.show_if, answers.values)


def requirement_standing(answers: WorkbookAnswers, requirement: Requirement) -> RequirementStanding:
    """Met when every answered question meets it; not met when one answer does not; open when
    none is answered (a question its condition hides is unanswered: the duty still needs it).
    Questions asked per use (the screening) are checked use by use."""
    asked = [s for s in requirement.questions if _jurisdiction_level(answers, s)]
    answered = [s for s in asked if _given(answers, s)]
    meeting = tuple(s for s in answered if requirement.met_by(s, answers.raw(s)))
    failing = tuple(s for s in answered if s not in meeting)
    missing = tuple(s for s in asked if s not in answered)
    if failing:
        status = Met.NOT_MET
    elif meeting:
        status = Met.MET
    elif asked:
        status = Met.OPEN
    else:
        status = Met.PER_USE
    return RequirementStanding(requirement, status, meeting, failing, missing)


def standings(answers: WorkbookAnswers, duties: Iterable[Duty]) -> list[DutyStanding]:
    """The duties that apply to this jurisdiction, each with how its answers meet it."""
    where = profile(answers)
    return [
        DutyStanding(
            duty,
            tuple(requirement_standing(answers, r) for r in duty.requires),
            known=binding(duty, where),
        )
        for duty in applicable_duties(duties, where.state, where.population, where.kind)
    ]
