"""Risk tiers from screening answers, read against the real workbook content (no database)."""

from types import SimpleNamespace

import pytest
import yaml
from django.conf import settings

from strategy.scoring.risk import (
    PROHIBITED,
    ScreeningQuestion,
    approver_for,
    approvers_by_tier,
    assess,
    tier_for_share,
)


def screening_questions() -> list[ScreeningQuestion]:
    content = yaml.safe_load(settings.WORKBOOK_FILE.read_text(encoding="utf-8"))
    section = next(s for s in content["sections"] if s["slug"] == "risk-screening")
    return [
        ScreeningQuestion.from_question(
            SimpleNamespace(
                slug=q["slug"],
                field_type=q["type"],
                options=q.get("options", []),
                scoring=q["scoring"],
            )
        )
        for q in section["questions"]
        if q.get("scoring")
    ]


QUESTIONS = screening_questions()
RED_LIST = ["biometric-identification", "social-scoring", "emotion-recognition"]
LOWEST = {
    "risk-ai-role": "drafting-aid",
    "risk-high-impact": False,
    "risk-reversibility": "reversible",
    "risk-duration": "brief",
    "risk-severity-rights": "little",
    "risk-severity-health": "little",
    "risk-severity-finances": "little",
    "risk-severity-environment": "little",
    "risk-data-class": "public",
    "risk-vulnerable-groups": False,
    "risk-explainability": 1,
    "risk-learns-in-production": False,
    "risk-public-scrutiny": False,
}
RAW_8 = {
    "risk-ai-role": "recommendation",
    "risk-reversibility": "hard-to-reverse",
    "risk-duration": "years",
    "risk-explainability": 2,
}
RAW_18 = {
    "risk-ai-role": "automated-decision",
    "risk-reversibility": "irreversible",
    "risk-duration": "permanent",
    "risk-severity-rights": "very-high",
    "risk-data-class": "restricted",
    "risk-explainability": 2,
}
RAW_26 = {
    **RAW_18,
    "risk-severity-health": "very-high",
    "risk-severity-finances": "very-high",
    "risk-vulnerable-groups": True,
}
STRONG = {
    "selected": [
        "human-review",
        "bias-testing",
        "appeal-route",
        "affected-consultation",
        "audit-log",
        "manual-fallback",
    ]
}  # 10 of 12 points: ≥ 80 %
ALMOST_STRONG = {"selected": STRONG["selected"][:3] + STRONG["selected"][4:]}  # 8 of 12


def test_content_maxima():
    """The content's maxima, so the table below reads as shares of 35."""
    impact = [q for q in QUESTIONS if q.role == "risk_impact"]
    mitigation = [q for q in QUESTIONS if q.role == "risk_mitigation"]
    assert sum(q.maximum() for q in impact) == 35
    assert sum(q.maximum() for q in mitigation) == 12


def test_yes_no_weight_is_read_from_scoring():
    vulnerable = next(q for q in QUESTIONS if q.slug == "risk-vulnerable-groups")
    assert (vulnerable.points(True), vulnerable.points(False)) == (2, 0)


@pytest.mark.parametrize(
    ("answers", "raw", "tier"),
    [
        ({}, 1, "I"),
        (RAW_8, 8, "I"),  # 22.9 %
        ({**RAW_8, "risk-public-scrutiny": True}, 9, "II"),  # 25.7 %
        ({**RAW_18, "risk-explainability": 1}, 17, "II"),  # 48.6 %
        (RAW_18, 18, "III"),  # 51.4 %
        (RAW_26, 26, "III"),  # 74.3 %
        ({**RAW_26, "risk-public-scrutiny": True}, 27, "IV"),  # 77.1 %
        ({**RAW_26, "risk-public-scrutiny": True, "risk-learns-in-production": True}, 29, "IV"),
    ],
)
def test_tier_by_share_of_maximum(answers, raw, tier):
    result = assess(QUESTIONS, {**LOWEST, **answers}, RED_LIST)
    assert (result.raw, result.tier) == (raw, tier)
    assert result.complete


@pytest.mark.parametrize(
    ("mitigations", "tier", "adjusted"),
    [
        (STRONG, "II", 15.3),  # 18 × 0.85 = 15.3 → 43.7 %
        (ALMOST_STRONG, "III", 18),  # 8 of 12 is below 80 %: no cut
        (None, "III", 18),
    ],
)
def test_strong_safeguards_cut_the_raw_score(mitigations, tier, adjusted):
    answers = {**LOWEST, **RAW_18}
    if mitigations:
        answers["risk-mitigations"] = mitigations
    result = assess(QUESTIONS, answers, RED_LIST)
    assert (result.tier, result.adjusted) == (tier, adjusted)


def test_high_impact_makes_tier_three_the_minimum():
    result = assess(QUESTIONS, {**LOWEST, "risk-high-impact": True}, RED_LIST)
    assert result.raw == 1
    assert result.tier == "III"
    assert result.high_impact
    # A higher score stays higher.
    high = {**LOWEST, **RAW_26, "risk-public-scrutiny": True, "risk-high-impact": True}
    assert assess(QUESTIONS, high, RED_LIST).tier == "IV"


def test_red_list_use_is_prohibited_whatever_the_score():
    answers = {**LOWEST, "risk-prohibited": {"selected": ["biometric-identification"]}}
    result = assess(QUESTIONS, answers, RED_LIST)
    assert result.tier == PROHIBITED
    assert result.prohibited_categories == ("biometric-identification",)
    assert result.tier_label == "Prohibited"
    # The same category is not blocked where the jurisdiction did not put it on its red list.
    assert assess(QUESTIONS, answers, ["social-scoring"]).tier == "I"
    # Prohibition wins over the high-impact minimum and over strong safeguards.
    answers.update({"risk-high-impact": True, "risk-mitigations": STRONG})
    assert assess(QUESTIONS, answers, RED_LIST).tier == PROHIBITED


def test_unscreened_and_partly_screened_uses_show_no_tier_yet():
    unscreened = assess(QUESTIONS, {}, RED_LIST)
    assert unscreened.tier is None
    assert unscreened.tier_label == "Not screened yet"
    assert unscreened.screening_note == "Answer the 13 required questions to give it a tier."
    partial = assess(QUESTIONS, {"risk-ai-role": "automated-decision"}, RED_LIST)
    assert partial.tier == "I" and not partial.complete
    assert partial.tier_label == "Not screened yet"
    assert partial.screening_note == "Answer the 12 required questions to give it a tier."
    # Every impact answer but the high-impact one: that answer can raise the tier, so none yet.
    unsure = {k: v for k, v in LOWEST.items() if k != "risk-high-impact"}
    assert assess(QUESTIONS, unsure, RED_LIST).screening_note == (
        "Answer the last required question to give it a tier."
    )
    done = assess(QUESTIONS, LOWEST, RED_LIST)
    assert done.complete and done.tier_label == "Tier I – Low" and done.screening_note == ""
    # A red-list use is prohibited however far its screening is.
    banned = {"risk-prohibited": {"selected": ["biometric-identification"]}}
    assert assess(QUESTIONS, banned, RED_LIST).tier_label == "Prohibited"


@pytest.mark.parametrize(
    ("share", "tier"),
    [(0, "I"), (0.25, "I"), (0.2501, "II"), (0.5, "II"), (0.75, "III"), (0.76, "IV"), (1, "IV")],
)
def test_tier_limits(share, tier):
    assert tier_for_share(share) == tier


def test_approvers_come_from_the_governance_table():
    rows = [
        {"tier": "I", "approver": "Department head"},
        {"tier": "III", "approver": "City Manager"},
        {"tier": "IV", "approver": "  "},
    ]
    approvers = approvers_by_tier(rows)
    assert approvers == {"I": "Department head", "III": "City Manager"}
    assert approver_for("III", approvers) == "City Manager"
    assert approver_for("II", approvers) is None
    assert approver_for(PROHIBITED, approvers) is None
