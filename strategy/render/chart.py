"""The readiness radar chart: its geometry, drawn as SVG by a template (web page and PDF) and as a
PNG by Pillow (DOCX), so both show the same rings, scale labels, axes and legend."""

import io
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from strategy.scoring.readiness import LEVEL_SCORE, LEVELS, Readiness

TITLE = "Readiness today compared with the target, by dimension"
WIDTH = 640  # wide enough for the dimension titles left and right of the circle
HEIGHT = 430  # the circle, and the legend below it
CENTER_X = WIDTH / 2
CENTER_Y = 205
RADIUS = 140
RINGS = tuple(LEVEL_SCORE * level for level in range(1, len(LEVELS) + 1))  # where each level starts
NOTE = "Scores out of 100. Each ring is where a level starts: " + ", ".join(
    f"{ring} {name}" for ring, name in zip(RINGS, LEVELS, strict=True)
)
LABEL_GAP = 22
LEGEND_Y = HEIGHT - 18  # the baseline of the legend text
CURRENT_COLOR = "#005ea2"
TARGET_COLOR = "#1b1b1b"
GRID_COLOR = "#a9aeb1"
TEXT_COLOR = "#1b1b1b"
FONT_SIZE = 13
SCALE_FONT_SIZE = 11
SWATCH_WIDTH = 36


@dataclass(frozen=True)
class Axis:
    title: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor


@dataclass(frozen=True)
class LegendEntry:
    label: str
    x: float  # where the swatch starts; the label follows it
    dashed: bool

    @property
    def text(self) -> str:
        line = "dashed line" if self.dashed else "solid line, filled"
        return f"{self.label} ({line})"

    @property
    def text_x(self) -> float:
        return self.x + SWATCH_WIDTH + 8

    @property
    def swatch_end(self) -> float:
        return self.x + SWATCH_WIDTH


@dataclass(frozen=True)
class RadarChart:
    width: int
    height: int
    centre_x: float
    centre_y: float
    axes: list[Axis]
    rings: list[tuple[int, str]]  # (value, polygon points)
    scale: list[tuple[str, float, float]]  # (label, x, y): each ring's value beside the top axis
    current: str  # polygon points of today's scores
    target: str  # polygon points of the targets ("" when no target is set)
    current_dots: list[tuple[float, float]]
    legend: list[LegendEntry]
    legend_y: float
    title: str
    description: str
    note: str = NOTE
    current_color: str = CURRENT_COLOR
    target_color: str = TARGET_COLOR
    grid_color: str = GRID_COLOR


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * max(0, min(value, 100)) / 100
    return round(CENTER_X + distance * math.cos(angle), 1), round(
        CENTER_Y + distance * math.sin(angle), 1
    )


def _point_list(values: Sequence[float]) -> list[tuple[float, float]]:
    return [_point(i, len(values), v) for i, v in enumerate(values)]


def _points(values: Sequence[float]) -> str:
    return " ".join(f"{x},{y}" for x, y in _point_list(values))


def radar_chart(readiness: Readiness) -> RadarChart:
    """Polygons for today's scores and the targets on rings at 20, 40, … 100."""
    dimensions = readiness.dimensions
    count = max(len(dimensions), 3)
    axes = []
    for index, dimension in enumerate(dimensions):
        x, y = _point(index, count, 100)
        angle = -math.pi / 2 + 2 * math.pi * index / count
        label_x = CENTER_X + (RADIUS + LABEL_GAP) * math.cos(angle)
        label_y = CENTER_Y + (RADIUS + LABEL_GAP) * math.sin(angle) + 4
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        axes.append(Axis(dimension.title, x, y, round(label_x, 1), round(label_y, 1), anchor))
    rings = [(ring, _points([ring] * count)) for ring in RINGS]
    scale = [
        (str(ring), round(CENTER_X + 4, 1), round(CENTER_Y - RADIUS * ring / 100 + 12, 1))
        for ring in RINGS
    ]
    current_values = [d.score or 0 for d in dimensions]
    has_target = any(d.target_score is not None for d in dimensions)
    target_values = [d.target_score or 0 for d in dimensions]
    parts = []
    for d in dimensions:
        now = "not rated" if d.score is None else f"{d.score}"
        goal = "" if d.target_score is None else f", target {d.target_score}"
        parts.append(f"{d.title}: {now}{goal}")
    legend = [LegendEntry("Today", CENTER_X - 150, dashed=False)]
    if has_target:
        legend.append(LegendEntry("Target", CENTER_X + 30, dashed=True))
    return RadarChart(
        width=WIDTH,
        height=HEIGHT,
        centre_x=CENTER_X,
        centre_y=CENTER_Y,
        axes=axes,
        rings=rings,
        scale=scale,
        current=_points(current_values) if len(dimensions) >= 3 else "",
        target=_points(target_values) if has_target and len(dimensions) >= 3 else "",
        current_dots=[_point(i, count, v) for i, v in enumerate(current_values)],
        legend=legend,
        legend_y=LEGEND_Y,
        title=TITLE,
        description="Readiness scores out of 100. " + "; ".join(parts) + ".",
    )


def _font_path(weight: str = "regular") -> Path:
    return (
        Path(settings.BASE_DIR)
        / "static/uswds/fonts/source-sans-pro"
        / f"sourcesanspro-{weight}-webfont.woff2"
    )


@cache
def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(_font_path()), size)
    except OSError:  # FreeType built without WOFF2 support: Pillow's own scalable font
        return ImageFont.load_default(size)


def chart_png(chart: RadarChart, scale: int = 3) -> bytes:
    """The chart as a PNG (for Word, which python-docx cannot give an SVG), `scale` times the
    SVG's size so it stays sharp when printed."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)

    def at(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * scale, y * scale) for x, y in points]

    def polygon_of(points: str) -> list[tuple[float, float]]:
        return at([tuple(map(float, pair.split(","))) for pair in points.split()])  # type: ignore[misc]

    for _, points in chart.rings:
        draw.polygon(polygon_of(points), outline=chart.grid_color, width=scale)
    for axis in chart.axes:
        draw.line(at([(chart.centre_x, chart.centre_y), (axis.x, axis.y)]), fill=chart.grid_color)
    if chart.current:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).polygon(polygon_of(chart.current), fill=(0, 94, 162, 64))
        image.paste(overlay, mask=overlay)
        draw = ImageDraw.Draw(image)
        outline = polygon_of(chart.current)
        draw.line([*outline, outline[0]], fill=chart.current_color, width=3 * scale, joint="curve")
    if chart.target:
        outline = polygon_of(chart.target)
        _dashed(draw, [*outline, outline[0]], chart.target_color, 2 * scale, 6 * scale, 4 * scale)
    for x, y in at(chart.current_dots):
        r = 4 * scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=chart.current_color)
    text_font = _font(FONT_SIZE * scale)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for axis in chart.axes:
        draw.text(
            (axis.label_x * scale, axis.label_y * scale),
            axis.title,
            fill=TEXT_COLOR,
            font=text_font,
            anchor=anchors[axis.anchor],
        )
    scale_font = _font(SCALE_FONT_SIZE * scale)
    for label, x, y in chart.scale:
        draw.text((x * scale, y * scale), label, fill="#454545", font=scale_font, anchor="ls")
    for entry in chart.legend:
        y = (chart.legend_y - 4) * scale
        start, end = entry.x * scale, entry.swatch_end * scale
        if entry.dashed:
            _dashed(
                draw, [(start, y), (end, y)], chart.target_color, 2 * scale, 6 * scale, 4 * scale
            )
        else:
            draw.line([(start, y), (end, y)], fill=chart.current_color, width=3 * scale)
        draw.text(
            (entry.text_x * scale, chart.legend_y * scale),
            entry.text,
            fill=TEXT_COLOR,
            font=text_font,
            anchor="ls",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _dashed(draw, points, color: str, width: int, dash: float, gap: float) -> None:
    """A dashed polyline: Pillow draws only solid lines."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        if not length:
            continue
        position = 0.0
        while position < length:
            end = min(position + dash, length)
            draw.line(
                [
                    (x1 + (x2 - x1) * position / length, y1 + (y2 - y1) * position / length),
                    (x1 + (x2 - x1) * end / length, y1 + (y2 - y1) * end / length),
                ],
                fill=color,
                width=width,
            )
            position = end + gap
