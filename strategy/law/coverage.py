"""How far a jurisdiction's answers reach the NIST AI RMF: pure, table-tested code.

A subcategory is addressed when at least one question mapped to it is answered. A category or
function is covered when every one of its subcategories is addressed, partly covered when some
are, and not covered when none are. Subcategories no question maps to are outside what the
workbook asks; they keep a category from counting as covered, and are listed as such, because
the framework's outcome is not reached just because the workbook did not ask about it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from strategy.law.model import Framework, Subcategory


class Coverage(StrEnum):
    COVERED = "covered"
    PARTLY = "partly"
    NOT_COVERED = "not covered"

    @property
    def label(self) -> str:
        """As a sentence reads it: "partly covered"."""
        return "partly covered" if self is Coverage.PARTLY else self.value


@dataclass(frozen=True)
class SubcategoryCoverage:
    id: str
    title: str
    questions: tuple[str, ...]
    answered: tuple[str, ...]

    @property
    def addressed(self) -> bool:
        return bool(self.answered)

    @property
    def in_workbook(self) -> bool:
        return bool(self.questions)


@dataclass(frozen=True)
class CategoryCoverage:
    id: str
    title: str
    status: Coverage
    subcategories: tuple[SubcategoryCoverage, ...]
    # Unanswered questions that would address a subcategory not yet addressed, in file order.
    closing_questions: tuple[str, ...]
    # Subcategories no workbook question addresses.
    outside_workbook: tuple[str, ...]

    @property
    def addressed(self) -> int:
        return sum(s.addressed for s in self.subcategories)


@dataclass(frozen=True)
class FunctionCoverage:
    id: str
    title: str
    status: Coverage
    categories: tuple[CategoryCoverage, ...]

    @property
    def addressed(self) -> int:
        return sum(c.addressed for c in self.categories)

    @property
    def total(self) -> int:
        return sum(len(c.subcategories) for c in self.categories)

    @property
    def closing_questions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q for c in self.categories for q in c.closing_questions))


def _status(addressed: int, total: int) -> Coverage:
    if total and addressed == total:
        return Coverage.COVERED
    return Coverage.PARTLY if addressed else Coverage.NOT_COVERED


def _subcategory(sub: Subcategory, answered: frozenset[str]) -> SubcategoryCoverage:
    return SubcategoryCoverage(
        id=sub.id,
        title=sub.title,
        questions=sub.questions,
        answered=tuple(q for q in sub.questions if q in answered),
    )


def coverage(framework: Framework, answered_slugs: Iterable[str]) -> tuple[FunctionCoverage, ...]:
    """Coverage per function and category, with the questions that would close each gap."""
    answered = frozenset(answered_slugs)
    functions = []
    for function in framework.functions:
        categories = []
        for category in function.categories:
            subs = tuple(_subcategory(s, answered) for s in category.subcategories)
            closing = dict.fromkeys(
                q for s in subs if not s.addressed for q in s.questions if q not in answered
            )
            categories.append(
                CategoryCoverage(
                    id=category.id,
                    title=category.title,
                    status=_status(sum(s.addressed for s in subs), len(subs)),
                    subcategories=subs,
                    closing_questions=tuple(closing),
                    outside_workbook=tuple(s.id for s in subs if not s.in_workbook),
                )
            )
        addressed = sum(c.addressed for c in categories)
        total = sum(len(c.subcategories) for c in categories)
        functions.append(
            FunctionCoverage(
                id=function.id,
                title=function.title,
                status=_status(addressed, total),
                categories=tuple(categories),
            )
        )
    return tuple(functions)
