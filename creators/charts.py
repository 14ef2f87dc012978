"""Small server-side SVG charts: no script, so they pass the Content-Security-Policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kolhub.formatting import compact_count


@dataclass(frozen=True)
class LineChart:
    points: str
    area: str
    width: int
    height: int
    labels: list[tuple[float, str]]  # (y, text) for the value axis
    first: str
    last: str
    start_value: int
    end_value: int


def line_chart(
    series: list[tuple[date, int]], width: int = 560, height: int = 160
) -> LineChart | None:
    """Polyline coordinates of a (date, value) series; None with fewer than two points."""
    if len(series) < 2:
        return None
    pad_left, pad_bottom, pad_top = 56, 22, 10
    days = [d.toordinal() for d, _ in series]
    values = [v for _, v in series]
    low, high = min(values), max(values)
    span_x = max(days[-1] - days[0], 1)
    span_y = max(high - low, 1)
    inner_w, inner_h = width - pad_left - 8, height - pad_bottom - pad_top

    def xy(day: int, value: int) -> tuple[float, float]:
        x = pad_left + (day - days[0]) / span_x * inner_w
        y = pad_top + (1 - (value - low) / span_y) * inner_h
        return round(x, 1), round(y, 1)

    coords = [xy(d, v) for d, v in zip(days, values, strict=True)]
    points = " ".join(f"{x},{y}" for x, y in coords)
    baseline = pad_top + inner_h
    area = f"{coords[0][0]},{baseline} {points} {coords[-1][0]},{baseline}"
    labels = [(pad_top + inner_h * f, compact_count(round(high - span_y * f))) for f in (0, 0.5, 1)]
    return LineChart(
        points,
        area,
        width,
        height,
        labels,
        series[0][0].isoformat(),
        series[-1][0].isoformat(),
        values[0],
        values[-1],
    )


@dataclass(frozen=True)
class Bar:
    label: str
    share: float
    width: float
    y: int
    text_y: int
    value_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int


def bar_chart(shares: dict[str, float], width: int = 170, row: int = 24) -> BarChart:
    """Horizontal bars for a {bucket: share} mapping, in the mapping's order."""
    top = max(shares.values(), default=0) or 1
    bars = []
    for index, (label, share) in enumerate(shares.items()):
        bar_width = round(share / top * width, 1)
        y = index * row
        bars.append(Bar(label, share, bar_width, y + 5, y + 17, 76 + bar_width))
    return BarChart(bars, len(bars) * row + 4)
