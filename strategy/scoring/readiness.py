"""Readiness scores: each dimension's weighted score, its maturity level, target and gap.

The arithmetic is pure (`score_dimensions`); `readiness_from_answers` only gathers the answers.

A score is the weighted average rating (1 to 5) as a share of the top rating, out of 100, so a
score of 20 × L is an average rating of L. The level rule: a score reaches level L when its
average rating is at least L, so the level is never above what the ratings support (ratings 2, 2
and 3 average 2.33: Developing, not Defined). A target level L reads as the score 20 × L, and
that score is level L by the same rule.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LEVELS = ("Ad hoc", "Developing", "Defined", "Managed", "Optimized")  # levels 1 to 5
LEVEL_SCORE = 20  # the score of an average rating of 1: level L starts at L × 20
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

    @property
    def target_text(self) -> str | None:
        """ "Defined (60)": the target's level, then its score."""
        return None if self.target_score is None else f"{self.target_band} ({self.target_score})"

    @property
    def summary(self) -> str:
        """The one way a dimension's standing reads: "44 — Developing; target Defined (60);
        gap 16", on the readiness page and in the documents."""
        if self.score is None:
            return "not yet rated"
        parts = [f"{self.score} — {self.band}"]
        if self.target_text is not None:
            parts.append(f"target {self.target_text}")
            parts.append(f"gap {self.gap}" if (self.gap or 0) > 0 else "target reached")
        return "; ".join(parts)


@dataclass(frozen=True)
class Readiness:
    dimensions: list[DimensionScore]

    @property
    def overall(self) -> int | None:
        """The mean of the scored dimensions."""
        scores = [d.score for d in self.dimensions if d.score is not None]
        return whole_score(sum(scores) / len(scores)) if scores else None

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


def whole_score(exact: float) -> int:
    """A score rounded half up, except never up to the start of a level it falls short of:
    59.8 reads 59, so its level stays the one its ratings reach."""
    score = round_half_up(exact)
    return score - 1 if score > exact and score % LEVEL_SCORE == 0 else score


def level_for(score: int | None) -> int | None:
    """The level (1 to 5) a score supports: the whole part of its average rating, score ÷ 20."""
    if score is None:
        return None
    return max(1, min(len(LEVELS), score // LEVEL_SCORE))


def band_for(score: int | None) -> str | None:
    """The name of the level a score supports: 20–39 Ad hoc, 40–59 Developing, 60–79 Defined,
    80–99 Managed, 100 Optimized (every rating at the top)."""
    level = level_for(score)
    return None if level is None else LEVELS[level - 1]


def level_key() -> str:
    """How scores turn into levels, in words, for the readiness page and the documents."""
    starts = ", ".join(
        f"{name} from {LEVEL_SCORE * level}" for level, name in enumerate(LEVELS, start=1)
    )
    return (
        "Each score is the weighted average rating, from 1 to 5, times 20. A level needs an "
        f"average rating at least that high: {starts}. A target is the level chosen, times 20."
    )


def dimension_score(items: Iterable[ReadinessItem]) -> int | None:
    """Σ(answer × weight) ÷ Σ(5 × weight) × 100 over the answered items."""
    answered = [i for i in items if i.value is not None]
    if not answered:
        return None
    earned = sum((i.value or 0) * i.weight for i in answered)
    possible = sum(5 * i.weight for i in answered)
    return whole_score(100 * earned / possible)


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
