"""Readiness scores: each dimension's weighted score, its maturity band, target and gap.

The arithmetic is pure (`score_dimensions`); `readiness_for` only gathers the answers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BANDS: tuple[tuple[int, str], ...] = (
    (20, "Ad hoc"),
    (40, "Developing"),
    (60, "Defined"),
    (80, "Managed"),
    (100, "Optimised"),
)
LEVEL_SCORE = 20  # a target level 1..5 is read as a score of level × 20
SUGGESTED_GAPS = 3


@dataclass(frozen=True)
class ReadinessItem:
    """One answered (or unanswered) scale question of a dimension."""

    dimension: str
    weight: int
    value: int | None


@dataclass(frozen=True)
class DimensionScore:
    slug: str
    title: str
    score: int | None  # 0–100, None when no item of the dimension is answered
    answered: int
    items: int
    target_level: int | None

    @property
    def band(self) -> str | None:
        return band_for(self.score)

    @property
    def target_score(self) -> int | None:
        return None if self.target_level is None else self.target_level * LEVEL_SCORE

    @property
    def target_band(self) -> str | None:
        return band_for(self.target_score)

    @property
    def gap(self) -> int | None:
        if self.score is None or self.target_score is None:
            return None
        return self.target_score - self.score


@dataclass(frozen=True)
class Readiness:
    dimensions: list[DimensionScore]

    @property
    def overall(self) -> int | None:
        """The mean of the scored dimensions."""
        scores = [d.score for d in self.dimensions if d.score is not None]
        return round_half_up(sum(scores) / len(scores)) if scores else None

    @property
    def overall_band(self) -> str | None:
        return band_for(self.overall)

    @property
    def any_answered(self) -> bool:
        return any(d.score is not None for d in self.dimensions)

    def largest_gaps(self, limit: int = SUGGESTED_GAPS) -> list[DimensionScore]:
        """Dimensions furthest below their target, largest first (ties in display order)."""
        below = [d for d in self.dimensions if d.gap is not None and d.gap > 0]
        return sorted(below, key=lambda d: -(d.gap or 0))[:limit]


def round_half_up(number: float) -> int:
    # Python's round() goes to the even neighbour; a score of 50.5 should read as 51.
    return int(number + 0.5)


def band_for(score: int | None) -> str | None:
    """0–20 Ad hoc, 21–40 Developing, 41–60 Defined, 61–80 Managed, 81–100 Optimised."""
    if score is None:
        return None
    for upper, name in BANDS:
        if score <= upper:
            return name
    return BANDS[-1][1]


def dimension_score(items: Iterable[ReadinessItem]) -> int | None:
    """Σ(answer × weight) ÷ Σ(5 × weight) × 100 over the answered items."""
    answered = [i for i in items if i.value is not None]
    if not answered:
        return None
    earned = sum((i.value or 0) * i.weight for i in answered)
    possible = sum(5 * i.weight for i in answered)
    return round_half_up(100 * earned / possible)


def score_dimensions(
    dimensions: Iterable[Mapping[str, str]],
    items: Iterable[ReadinessItem],
    targets: Mapping[str, int | None],
) -> Readiness:
    """Score every dimension of the workbook, in the workbook's order."""
    by_dimension: dict[str, list[ReadinessItem]] = {}
    for item in items:
        by_dimension.setdefault(item.dimension, []).append(item)
    scores = []
    for dimension in dimensions:
        its_items = by_dimension.get(dimension["slug"], [])
        scores.append(
            DimensionScore(
                slug=dimension["slug"],
                title=dimension["title"],
                score=dimension_score(its_items),
                answered=sum(1 for i in its_items if i.value is not None),
                items=len(its_items),
                target_level=targets.get(dimension["slug"]),
            )
        )
    return Readiness(scores)


def _level(value: Any) -> int | None:
    try:
        level = int(str(value))
    except (TypeError, ValueError):
        return None
    return level if 1 <= level <= 5 else None


def readiness_from_answers(workbook_answers) -> Readiness:
    """Readiness of a jurisdiction from its loaded answers (see strategy.answers)."""
    items, targets = [], {}
    for question in workbook_answers.questions.values():
        scoring = question.scoring or {}
        value = workbook_answers.values.get(question.slug)
        if scoring.get("role") == "readiness_item":
            scale = value if isinstance(value, int) and not isinstance(value, bool) else None
            items.append(ReadinessItem(scoring["dimension"], int(scoring.get("weight", 1)), scale))
        elif scoring.get("role") == "readiness_target":
            targets[scoring["dimension"]] = _level(value)
    return score_dimensions(workbook_answers.dimensions, items, targets)
