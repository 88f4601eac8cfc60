"""Geometry of the readiness radar chart, drawn as SVG by a template (no JavaScript)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from strategy.scoring.readiness import Readiness

WIDTH = 640  # wide enough for the dimension titles left and right of the circle
HEIGHT = 420
CENTRE_X = WIDTH / 2
CENTRE_Y = HEIGHT / 2
RADIUS = 140
RINGS = (20, 40, 60, 80, 100)
LABEL_GAP = 22


@dataclass(frozen=True)
class Axis:
    title: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor


@dataclass(frozen=True)
class RadarChart:
    width: int
    height: int
    centre_x: float
    centre_y: float
    axes: list[Axis]
    rings: list[tuple[int, str]]  # (value, polygon points)
    current: str  # polygon points of today's scores
    target: str  # polygon points of the targets ("" when no target is set)
    current_dots: list[tuple[float, float]]
    description: str


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * max(0, min(value, 100)) / 100
    return round(CENTRE_X + distance * math.cos(angle), 1), round(
        CENTRE_Y + distance * math.sin(angle), 1
    )


def _points(values: Sequence[float]) -> str:
    return " ".join(
        f"{x},{y}" for x, y in (_point(i, len(values), v) for i, v in enumerate(values))
    )


def radar_chart(readiness: Readiness) -> RadarChart:
    """Polygons for today's scores and the targets on rings at 20, 40, … 100."""
    dimensions = readiness.dimensions
    count = max(len(dimensions), 3)
    axes = []
    for index, dimension in enumerate(dimensions):
        x, y = _point(index, count, 100)
        angle = -math.pi / 2 + 2 * math.pi * index / count
        label_x = CENTRE_X + (RADIUS + LABEL_GAP) * math.cos(angle)
        label_y = CENTRE_Y + (RADIUS + LABEL_GAP) * math.sin(angle) + 4
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        axes.append(Axis(dimension.title, x, y, round(label_x, 1), round(label_y, 1), anchor))
    rings = [(ring, _points([ring] * count)) for ring in RINGS]
    current_values = [d.score or 0 for d in dimensions]
    has_target = any(d.target_score is not None for d in dimensions)
    target_values = [d.target_score or 0 for d in dimensions]
    parts = []
    for d in dimensions:
        now = "not rated" if d.score is None else f"{d.score}"
        goal = "" if d.target_score is None else f", target {d.target_score}"
        parts.append(f"{d.title}: {now}{goal}")
    return RadarChart(
        width=WIDTH,
        height=HEIGHT,
        centre_x=CENTRE_X,
        centre_y=CENTRE_Y,
        axes=axes,
        rings=rings,
        current=_points(current_values) if len(dimensions) >= 3 else "",
        target=_points(target_values) if has_target and len(dimensions) >= 3 else "",
        current_dots=[_point(i, count, v) for i, v in enumerate(current_values)],
        description="Readiness scores out of 100. " + "; ".join(parts) + ".",
    )
