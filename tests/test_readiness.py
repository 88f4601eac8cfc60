"""Readiness arithmetic: weighted dimension scores, bands, targets and gaps (no database)."""

import pytest

from strategy.scoring.readiness import (
    ReadinessItem,
    band_for,
    dimension_score,
    score_dimensions,
)

DIMENSIONS = [
    {"slug": "leadership", "title": "Leadership and strategy"},
    {"slug": "data", "title": "Data foundations"},
    {"slug": "vendors", "title": "Vendor management"},
]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Ad hoc"),
        (20, "Ad hoc"),
        (21, "Developing"),
        (40, "Developing"),
        (41, "Defined"),
        (60, "Defined"),
        (61, "Managed"),
        (80, "Managed"),
        (81, "Optimised"),
        (100, "Optimised"),
        (None, None),
    ],
)
def test_bands(score, band):
    assert band_for(score) == band


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # (value, weight) pairs → Σ(v×w) / Σ(5×w) × 100
        ([(1, 3), (1, 2)], 20),
        ([(5, 3), (5, 1)], 100),
        ([(3, 3), (2, 2), (4, 1)], 57),  # (9+4+4)/30 = 56.67, rounded half up
        ([(4, 3), (None, 2)], 80),  # unanswered items do not count
        ([(2, 1), (3, 1)], 50),
        ([(None, 2)], None),
    ],
)
def test_dimension_score(answers, expected):
    items = [ReadinessItem("data", w, v) for v, w in answers]
    assert dimension_score(items) == expected


def test_targets_gaps_and_largest_gaps():
    items = [
        ReadinessItem("leadership", 3, 3),
        ReadinessItem("leadership", 1, 3),  # 60
        ReadinessItem("data", 2, 2),
        ReadinessItem("data", 2, 1),  # 30
        ReadinessItem("vendors", 1, 4),  # 80
    ]
    readiness = score_dimensions(DIMENSIONS, items, {"leadership": 4, "data": 4, "vendors": 3})
    leadership, data, vendors = readiness.dimensions
    assert (leadership.score, leadership.band, leadership.target_score, leadership.gap) == (
        60,
        "Defined",
        80,
        20,
    )
    assert (data.score, data.band, data.gap) == (30, "Developing", 50)
    assert data.target_band == "Managed"
    assert vendors.gap == -20  # already above its target
    assert [d.slug for d in readiness.largest_gaps()] == ["data", "leadership"]
    assert (readiness.overall, readiness.overall_band) == (57, "Defined")  # mean 56.67


def test_missing_target_or_answers_give_no_gap():
    readiness = score_dimensions(DIMENSIONS, [ReadinessItem("data", 1, 2)], {"leadership": 5})
    leadership, data, _vendors = readiness.dimensions
    assert leadership.score is None and leadership.gap is None
    assert data.score == 40 and data.target_level is None and data.gap is None
    assert readiness.largest_gaps() == []
    assert readiness.overall == 40
