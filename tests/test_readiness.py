"""Readiness arithmetic: weighted dimension scores, levels, targets and gaps (no database)."""

import pytest

from strategy.scoring.readiness import (
    LEVELS,
    DimensionScore,
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
        (20, "Ad hoc"),
        (39, "Ad hoc"),
        (40, "Developing"),
        (59, "Developing"),
        (60, "Defined"),
        (79, "Defined"),
        (80, "Managed"),
        (99, "Managed"),
        (100, "Optimized"),
        (None, None),
    ],
)
def test_bands(score, band):
    assert band_for(score) == band


@pytest.mark.parametrize(
    ("ratings", "level"),
    [
        ((2, 2, 3), "Developing"),  # an average of 2.33 does not reach Defined
        ((3, 3, 3), "Defined"),
        ((5, 5, 5), "Optimized"),
        ((5, 5, 4), "Managed"),
        ((1, 1, 1), "Ad hoc"),
        ((1, 2, 2), "Ad hoc"),
    ],
)
def test_the_level_is_what_every_rating_averages_to_at_least(ratings, level):
    for weights in [(1, 1, 1), (3, 2, 1), (1, 2, 3)]:
        items = [ReadinessItem("data", w, r) for r, w in zip(ratings, weights, strict=True)]
        average = sum(r * w for r, w in zip(ratings, weights, strict=True)) / sum(weights)
        band = band_for(dimension_score(items))
        assert band == LEVELS[int(average) - 1], weights
        if weights == (1, 1, 1):
            assert band == level


def test_rounding_never_lifts_a_score_into_the_next_level():
    # 59 ratings of 3 and one of 2 average 2.983: 59.67 out of 100, which rounds to 59, not 60.
    items = [ReadinessItem("data", 1, 3)] * 59 + [ReadinessItem("data", 1, 2)]
    assert (dimension_score(items), band_for(dimension_score(items))) == (59, "Developing")
    assert dimension_score([ReadinessItem("data", 1, 3)]) == 60  # exactly 60 stays 60


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_target_reads_as_the_level_chosen(level):
    target = DimensionScore("data", "Data foundations", 44, 3, 3, level)
    assert target.target_band == LEVELS[level - 1]
    assert target.target_score == 20 * level


@pytest.mark.parametrize(
    ("score", "target", "summary"),
    [
        (44, 3, "44 — Developing; target Defined (60); gap 16"),
        (80, 3, "80 — Managed; target Defined (60); target reached"),
        (60, 3, "60 — Defined; target Defined (60); target reached"),
        (47, None, "47 — Developing"),
        (None, 4, "not yet rated"),
    ],
)
def test_summary_reads_score_level_target_and_gap(score, target, summary):
    assert DimensionScore("data", "Data foundations", score, 1, 3, target).summary == summary


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
    assert (data.score, data.band, data.gap) == (30, "Ad hoc", 50)
    assert data.target_band == "Managed"
    assert vendors.gap == -20  # already above its target
    assert [d.slug for d in readiness.largest_gaps()] == ["data", "leadership"]
    assert (readiness.overall, readiness.overall_band) == (57, "Developing")  # mean 56.67


def test_missing_target_or_answers_give_no_gap():
    readiness = score_dimensions(DIMENSIONS, [ReadinessItem("data", 1, 2)], {"leadership": 5})
    leadership, data, _vendors = readiness.dimensions
    assert leadership.score is None and leadership.gap is None
    assert data.score == 40 and data.target_level is None and data.gap is None
    assert readiness.largest_gaps() == []
    assert readiness.overall == 40
