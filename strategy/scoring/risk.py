"""Risk tiers of AI use cases, from their screening answers (pure: no database).

Method (adapted from algorithmic impact assessments): impact answers add up to a raw score;
safeguards add up to a mitigation score; strong safeguards (≥ 80 % of their maximum) cut the raw
score by 15 %; the tier follows the share of the maximum raw score. Two overrides follow: a use
in a category on the jurisdiction's red list is prohibited whatever its score, and a high-impact
use is at least tier III.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbook.answers.rules import is_empty

TIERS = ("I", "II", "III", "IV")
PROHIBITED = "Prohibited"
TIER_NAMES = {
    "I": "Low",
    "II": "Moderate",
    "III": "High",
    "IV": "Very high",
    PROHIBITED: "Prohibited",
}
# Upper bound of each tier as a share of the maximum raw score.
TIER_LIMITS = ((0.25, "I"), (0.50, "II"), (0.75, "III"), (1.0, "IV"))
STRONG_MITIGATION = 0.80
MITIGATION_CUT = 0.15
HIGH_IMPACT_MINIMUM = "III"


@dataclass(frozen=True)
class ScreeningQuestion:
    """What the scoring needs to know about one screening question."""

    slug: str
    field_type: str
    role: str
    option_weights: Mapping[str, float] = field(default_factory=dict)
    weight_yes: float = 0
    weight: float = 1  # scale: the point value × weight

    @classmethod
    def from_question(cls, question) -> "ScreeningQuestion":
        scoring = question.scoring or {}
        return cls(
            slug=question.slug,
            field_type=question.field_type,
            role=scoring.get("role", ""),
            option_weights={str(o["value"]): o.get("weight", 0) for o in question.options},
            weight_yes=scoring.get("weight_yes", 0),
            weight=scoring.get("weight", 1),
        )

    def maximum(self) -> float:
        match self.field_type:
            case "single_choice":
                return max(self.option_weights.values(), default=0)
            case "multiple_choice":
                return sum(w for w in self.option_weights.values() if w > 0)
            case "yes_no":
                return max(self.weight_yes, 0)
            case "scale":
                return 5 * self.weight
        return 0

    def points(self, value: Any) -> float:
        """The weight an answer carries (0 for an empty answer)."""
        if is_empty(value):
            return 0
        match self.field_type:
            case "single_choice":
                return self.option_weights.get(str(value), 0)
            case "multiple_choice":
                chosen = value.get("selected", []) if isinstance(value, dict) else []
                return sum(self.option_weights.get(str(v), 0) for v in chosen)
            case "yes_no":
                return self.weight_yes if value is True else 0
            case "scale":
                return int(value) * self.weight
        return 0


@dataclass(frozen=True)
class RiskAssessment:
    tier: str | None  # "I".."IV", "Prohibited", or None when not screened yet
    raw: float
    raw_max: float
    mitigation: float
    mitigation_max: float
    adjusted: float
    high_impact: bool
    prohibited_categories: tuple[str, ...]
    complete: bool
    reasons: tuple[str, ...] = ()
    unanswered: int = 0  # questions the tier rests on that are not answered yet

    @property
    def share(self) -> float:
        return self.adjusted / self.raw_max if self.raw_max else 0.0

    @property
    def tier_label(self) -> str:
        """The tier, once every question it rests on is answered; a red-list use is prohibited
        however far its screening is."""
        if self.tier == PROHIBITED:
            return PROHIBITED
        if self.tier is None or not self.complete:
            return "Not screened yet"
        return f"Tier {self.tier} – {TIER_NAMES[self.tier]}"

    @property
    def screening_note(self) -> str:
        """What the screening still needs before it gives a tier ("" when nothing)."""
        if self.complete or self.tier == PROHIBITED:
            return ""
        if self.unanswered == 1:
            return "Answer the last required question to give it a tier."
        return f"Answer the {self.unanswered} required questions to give it a tier."


def is_strong_mitigation(mitigation: float, mitigation_max: float) -> bool:
    """Safeguards at 80 % of their maximum or more cut the raw score."""
    return bool(mitigation_max) and mitigation >= STRONG_MITIGATION * mitigation_max


def tier_for_share(share: float) -> str:
    """≤ 25 % I, ≤ 50 % II, ≤ 75 % III, otherwise IV."""
    for limit, tier in TIER_LIMITS:
        if share <= limit:
            return tier
    return TIERS[-1]


def assess(
    questions: Iterable[ScreeningQuestion],
    answers: Mapping[str, Any],
    red_list: Iterable[str] = (),
) -> RiskAssessment:
    """The tier of one use case from its screening answers and the jurisdiction's red list."""
    questions = list(questions)
    impact = [q for q in questions if q.role == "risk_impact"]
    mitigation = [q for q in questions if q.role == "risk_mitigation"]
    # The score adds up the impact answers and the high-impact answer sets a minimum tier:
    # without all of them the tier is only a guess.
    needed = [q for q in questions if q.role in ("risk_impact", "high_impact")]
    unanswered = sum(1 for q in needed if is_empty(answers.get(q.slug)))
    if not any(not is_empty(answers.get(q.slug)) for q in questions):
        return RiskAssessment(None, 0, 0, 0, 0, 0, False, (), False, unanswered=unanswered)

    raw = sum(q.points(answers.get(q.slug)) for q in impact)
    raw_max = sum(q.maximum() for q in impact)
    mitigated = sum(q.points(answers.get(q.slug)) for q in mitigation)
    mitigation_max = sum(q.maximum() for q in mitigation)
    reasons = []
    adjusted = raw
    if is_strong_mitigation(mitigated, mitigation_max):
        adjusted = raw * (1 - MITIGATION_CUT)
        reasons.append("Strong safeguards cut the raw score by 15%.")
    tier = tier_for_share(adjusted / raw_max if raw_max else 0.0)

    high_impact = any(answers.get(q.slug) is True for q in questions if q.role == "high_impact")
    if high_impact and TIERS.index(tier) < TIERS.index(HIGH_IMPACT_MINIMUM):
        tier = HIGH_IMPACT_MINIMUM
        reasons.append("It could affect rights, benefits, services or safety: tier III at least.")

    categories: set[str] = set()
    for q in questions:
        if q.role == "prohibited_categories":
            value = answers.get(q.slug)
            if isinstance(value, dict):
                categories.update(str(v) for v in value.get("selected", []))
    banned = tuple(sorted(categories & {str(v) for v in red_list}))
    if banned:
        tier = PROHIBITED
        reasons.append("It falls under a use the jurisdiction never allows.")

    return RiskAssessment(
        tier=tier,
        raw=raw,
        raw_max=raw_max,
        mitigation=mitigated,
        mitigation_max=mitigation_max,
        adjusted=round(adjusted, 2),
        high_impact=high_impact,
        prohibited_categories=banned,
        complete=not unanswered,
        reasons=tuple(reasons),
        unanswered=unanswered,
    )


def approvers_by_tier(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Tier → approver, from the governance section's tier-approvers table."""
    approvers = {}
    for row in rows:
        tier, approver = str(row.get("tier") or ""), str(row.get("approver") or "").strip()
        if tier in TIERS and approver and tier not in approvers:
            approvers[tier] = approver
    return approvers


def approver_for(tier: str | None, approvers: Mapping[str, str]) -> str | None:
    """Who approves a use of this tier; nobody may approve a prohibited use."""
    if tier is None or tier == PROHIBITED:
        return None
    return approvers.get(tier)
