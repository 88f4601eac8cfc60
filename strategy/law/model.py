"""The duties and the NIST framework as loaded from fixtures/: plain frozen data, no database."""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Level(StrEnum):
    FEDERAL = "federal"
    STATE = "state"


class Status(StrEnum):
    IN_FORCE = "in-force"
    ENACTED_NOT_IN_FORCE = "enacted-not-in-force"
    DELAYED = "delayed"
    REPEALED_OR_REPLACED = "repealed-or-replaced"
    UNCERTAIN = "uncertain"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.IN_FORCE: "In force",
    Status.ENACTED_NOT_IN_FORCE: "Enacted, not yet in force",
    Status.DELAYED: "Delayed",
    Status.REPEALED_OR_REPLACED: "Repealed or replaced",
    Status.UNCERTAIN: "Uncertain",
}


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Requirement:
    """What the strategy and SOP must contain to meet part of a duty.

    `answers` names, for some of the questions, the answers that meet it (option values, or
    True/False for a yes/no question); a question without an entry is met by any answer.
    """

    text: str
    questions: tuple[str, ...]
    answers: MappingProxyType = field(default_factory=lambda: _frozen({}))

    def met_by(self, slug: str, value: Any) -> bool:
        """Whether this answer to one of the requirement's questions meets it."""
        wanted = self.answers.get(slug)
        if wanted is None:
            return value not in (None, "", [], {})
        if isinstance(value, dict):  # a multiple-choice answer: {"selected": [...], ...}
            return bool(set(value.get("selected", [])) & set(wanted))
        return value in wanted


@dataclass(frozen=True)
class Applicability:
    """Where a duty applies. Empty `states` means every state (a federal duty)."""

    kinds: frozenset[str]
    states: frozenset[str] = frozenset()
    min_population: int | None = None
    below_population: int | None = None
    departments: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Duty:
    id: str
    title: str
    level: Level
    applies: Applicability
    summary: str
    requires: tuple[Requirement, ...]
    citation: str
    source: str
    effective: date
    status: Status
    checked: date
    see_also: tuple[str, ...] = ()
    note: str = ""

    @property
    def questions(self) -> tuple[str, ...]:
        """Every question the duty's requirements name, once each, in order."""
        return tuple(dict.fromkeys(q for r in self.requires for q in r.questions))


@dataclass(frozen=True)
class Obligations:
    version: str
    duties: tuple[Duty, ...]

    def get(self, duty_id: str) -> Duty:
        for duty in self.duties:
            if duty.id == duty_id:
                return duty
        raise KeyError(duty_id)


@dataclass(frozen=True)
class Subcategory:
    id: str
    title: str
    # The workbook questions whose answers address this subcategory (from the mapping).
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    subcategories: tuple[Subcategory, ...]


@dataclass(frozen=True)
class Function:
    id: str
    title: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class GenAIRisk:
    id: str
    title: str
    summary: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    name: str
    publication: str
    source: str
    checked: date
    functions: tuple[Function, ...]
    # question slug -> subcategory ids, as in the file
    mapping: MappingProxyType
    genai_publication: str
    genai_source: str
    genai_checked: date
    genai_risks: tuple[GenAIRisk, ...]
    see_also: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(c for f in self.functions for c in f.categories)

    @property
    def subcategories(self) -> tuple[Subcategory, ...]:
        return tuple(s for c in self.categories for s in c.subcategories)

    def subcategory(self, subcategory_id: str) -> Subcategory:
        for sub in self.subcategories:
            if sub.id == subcategory_id:
                return sub
        raise KeyError(subcategory_id)
