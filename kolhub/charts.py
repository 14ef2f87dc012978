"""Charts drawn on the server with matplotlib, for every app: SVG for the pages, PNG for the
PDF report (and any workbook that wants a picture).

Pages show the SVG as an <img> (a data: URL): the Content-Security-Policy forbids the inline
styles matplotlib writes, and no chart script reaches the browser. Each SVG carries a <title>
and a <desc> saying what it shows, and the page repeats them in the <img>'s alt text and
caption. Text is laid out with Noto Sans TC, shipped inside an installed package, so Chinese
renders the same on a machine without CJK fonts.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import matplotlib
import matplotlib.dates as mdates
from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from fpdf.fonts import TTFFont
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kolhub.formatting import compact_count, percent

if TYPE_CHECKING:
    from fpdf import FPDF

# The page's colours (static/css/app.css): --primary, --accent, --muted, --line.
PRIMARY = "#4a3aff"
ACCENT = "#ff6b57"
MUTED = "#6b7390"
GRID = "#e3e6ef"
VIEWS_COLOUR = "#2f5d8a"
ENGAGEMENTS_COLOUR = "#c2571a"

# What a data: URL may carry as it is inside a double-quoted attribute.
URL_SAFE = " /=:;,.-_()!*~+?@$[]{}|^'"

# Points of a line chart on a page, at most (thinned()).
LINE_POINTS = 60

# A page's SVG is drawn once per content and language (the words of the axes change with it).
CACHE_SECONDS = 24 * 3600


@cache
def cjk_font_path() -> str:
    """Noto Sans TC Regular (SIL Open Font License), from the pylopdf-fonts-zh-tw package."""
    return str(files("pylopdf_fonts_zh_tw") / "NotoSansTC-Regular.otf")


def add_cjk_font(pdf: FPDF, family: str) -> None:
    """Noto Sans TC as `family` of an fpdf2 document. The subset embedded keeps the whole
    font's bounding boxes: working them out again from every glyph's outline was a third of
    the time a contract took to print, and a box larger than the glyphs changes nothing on
    the page."""
    pdf.add_font(family, "", cjk_font_path())
    font = pdf.fonts[family.lower()]
    assert isinstance(font, TTFFont)
    font.ttfont.recalcBBoxes = False


@cache
def _use_house_style() -> None:
    """Set once per process: matplotlib's settings are global, and only these charts use it."""
    font_manager.fontManager.addfont(cjk_font_path())
    font = font_manager.FontProperties(fname=cjk_font_path()).get_name()
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "path",  # glyphs as outlines: the same on every machine
            "svg.hashsalt": "kolhub",  # the same chart gives the same bytes
            "font.family": [font, "sans-serif"],
            "font.size": 9,
            "axes.unicode_minus": False,
        }
    )


@dataclass(frozen=True)
class Chart:
    """A chart for a page, with the words that say what it shows."""

    svg: bytes
    title: str
    description: str

    @property
    def src(self) -> SafeString:
        """The SVG as a data: URL for an <img>, percent-encoded rather than in base64 (a third
        smaller: a profile shows eight of them). Everything HTML could read in an attribute
        (&, <, >, ") is encoded, so it is safe as it is."""
        return mark_safe("data:image/svg+xml," + quote(self.svg.decode(), safe=URL_SAFE))  # noqa: S308


def series_chart(
    points: list[dict[str, Any]],
    labels: dict[str, str],
    *,
    fmt: str,
    partial_note: str = "",
    narrow: bool = False,
) -> bytes:
    """Views above, engagements below, on one time axis; each panel is titled with its latest
    total, so the chart reads without hovering. Each total is drawn at its period's first day
    and holds until the next (a step at each reading), so a gap in time shows as time at the
    same level; the line ends at the last period's day. A last point whose period is
    not over (`partial`) is an open circle, and `partial_note` says so. `fmt` is "svg" or
    "png"; `narrow` draws it for a phone's width."""
    figure = series_figure(points, labels, partial_note=partial_note, narrow=narrow)
    days = [point["period"] for point in points]
    partial = bool(points) and bool(points[-1].get("partial"))
    titles = [axis.get_title(loc="left") for axis in figure.axes]
    span = f"{days[0]} → {days[-1]}: " if days else ""
    words = span + "; ".join(titles) + (f" ({partial_note})" if partial and partial_note else "")
    return _output(figure, fmt, " · ".join(labels.values()), words)


def series_figure(
    points: list[dict[str, Any]],
    labels: dict[str, str],
    *,
    partial_note: str = "",
    narrow: bool = False,
) -> Figure:
    """The figure series_chart draws: per panel, the step line first, the last marker last."""
    _use_house_style()
    days = [date.fromisoformat(point["period"]) for point in points]
    partial = bool(points) and bool(points[-1].get("partial"))
    # Each total sits at its period's first day (a day, a week's Monday, a month's 1st: the
    # tick that names the period) and holds until the next reading; the line ends at the last
    # one, so no period is drawn into a day that has not started.
    figure = Figure(figsize=(3.4, 3.4) if narrow else (8, 3.6), dpi=100 if narrow else 110)
    axes = figure.subplots(2, 1, sharex=True)
    for axis, name, colour in zip(
        axes, ("views", "engagements"), (VIEWS_COLOUR, ENGAGEMENTS_COLOUR), strict=True
    ):
        values = [point[name] for point in points]
        known = [v if v is not None else float("nan") for v in values]
        axis.plot(days, known, color=colour, linewidth=2, drawstyle="steps-post")
        axis.fill_between(days, known, color=colour, alpha=0.08, step="post")
        if days:
            axis.plot(
                days[-1:],
                known[-1:],
                marker="o",
                markersize=5,
                color=colour,
                markerfacecolor="white" if partial else colour,
            )
        last = next((v for v in reversed(values) if v is not None), None)
        title = labels[name] if last is None else f"{labels[name]}  {compact_count(last)}"
        axis.set_title(title, loc="left", color=colour, fontsize=10)
        _count_axis(axis)
        axis.yaxis.set_major_locator(MaxNLocator(nbins=3 if narrow else 5, integer=True))
        axis.set_ylim(bottom=0)
    if partial and partial_note:
        axes[0].set_title(f"○ {partial_note}", loc="right", color=MUTED, fontsize=8)
    _date_axis(axes[-1], days, max_ticks=4 if narrow else 8)
    return figure


def line_chart(series: list[tuple[date, int]], *, title: str) -> Chart | None:
    """One count over time (an account's followers) for a page; None with fewer than two
    points. Its description reads "first day → last day: first value → last value"."""
    if len(series) < 2:
        return None
    (first_day, first_value), (last_day, last_value) = series[0], series[-1]
    description = (
        f"{first_day.isoformat()} → {last_day.isoformat()}: "
        f"{compact_count(first_value)} → {compact_count(last_value)}"
    )

    drawn = thinned(series)

    def draw() -> Figure:
        days = [day for day, _value in drawn]
        values = [value for _day, value in drawn]
        x = mdates.date2num(days)
        # Narrow enough that its labels stay legible when a phone shrinks it to 330 px.
        figure = Figure(figsize=(4.4, 1.6), dpi=100)
        axis = figure.subplots()
        axis.plot(x, values, color=PRIMARY, linewidth=2)
        axis.fill_between(x, values, min(values), color=PRIMARY, alpha=0.08)
        _count_axis(axis)
        axis.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        _date_axis(axis, days)
        return figure

    return _page_chart("line", drawn, draw, title, description)


def thinned(series: list[tuple[date, int]], most: int = LINE_POINTS) -> list[tuple[date, int]]:
    """Every n-th point and the last, at most `most`: a line 300 px wide shows no more, and
    each point costs the page's HTML some 30 bytes twice (the line and its fill)."""
    step = -(-len(series) // most)  # ceiling division
    kept = series[::step]
    return kept if kept[-1] == series[-1] else [*kept[: most - 1], series[-1]]


def bar_chart(shares: dict[str, float], *, title: str) -> Chart:
    """Horizontal bars for a {bucket: share} mapping, in the mapping's order, each labelled
    with its share; the description lists them ("25-34: 38%, …")."""
    description = ", ".join(f"{label}: {percent(share, 0)}" for label, share in shares.items())

    def draw() -> Figure:
        labels = list(shares)
        figure = Figure(figsize=(3.2, 0.3 * len(labels) + 0.15), dpi=100)
        axis = figure.subplots()
        bars = axis.barh(labels, list(shares.values()), height=0.62, color=ACCENT)
        axis.bar_label(bars, labels=[percent(s, 0) for s in shares.values()], padding=4)
        axis.invert_yaxis()  # the first bucket on top, as it is read
        axis.set_xlim(0, (max(shares.values(), default=0) or 1) * 1.25)
        axis.xaxis.set_visible(False)
        axis.tick_params(axis="y", length=0, colors=MUTED)
        axis.spines[:].set_visible(False)
        return figure

    return _page_chart("bars", shares, draw, title, description)


def _count_axis(axis: Axes) -> None:
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: compact_count(int(v))))
    axis.tick_params(colors=MUTED)
    axis.spines[["top", "right"]].set_visible(False)
    axis.grid(axis="y", color=GRID)


def _date_axis(axis: Axes, days: list[date], max_ticks: int = 8) -> None:
    """Dates as time (a gap is as wide as it lasted), labelled by what the ticks fall on:
    2026 for years, 2026-03 for months, 03-14 for days; the same in every language."""
    locator = _date_locator(days, max_ticks)
    formats = ["%Y", "%Y-%m", "%m-%d", "%H:%M", "%H:%M", "%S.%f"]
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(
            locator, formats=formats, zero_formats=formats, show_offset=False
        )
    )
    if days and days[0] == days[-1]:
        # One day (a campaign's first figures): matplotlib would widen it to the two years
        # around it, and the day locator tick every one of those days (seconds to draw).
        day = mdates.date2num(days[0])
        axis.set_xlim(day - 1, day + 1)


def _date_locator(days: list[date], max_ticks: int) -> mdates.DateLocator:
    """Ticks on whole days for a short series (the automatic locator would tick hours of a
    two-day series, each labelled with the same date), automatic ones for a longer one."""
    span = (days[-1] - days[0]).days if days else 0
    if span <= 60:
        return mdates.DayLocator(interval=max(1, -(-span // (max_ticks - 1))))
    return mdates.AutoDateLocator(minticks=2, maxticks=max_ticks)


def _page_chart(
    kind: str, data: object, draw: Callable[[], Figure], title: str, description: str
) -> Chart:
    """The chart's SVG, drawn once per content and language (a profile shows several)."""
    inputs = repr((kind, data, title, description, get_language()))
    key = f"kolhub:chart:{hashlib.sha256(inputs.encode()).hexdigest()}"
    svg = django_cache.get(key)
    if svg is None:
        _use_house_style()
        svg = _output(draw(), "svg", title, description)
        django_cache.set(key, svg, timeout=CACHE_SECONDS)
    return Chart(svg, title, description)


def _output(figure: Figure, fmt: str, title: str, description: str) -> bytes:
    """The figure as SVG (with <title> and <desc>) or PNG."""
    figure.tight_layout()
    output = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(output, format=fmt, transparent=fmt == "svg", metadata=metadata)
    data = output.getvalue()
    if fmt != "svg":
        return data
    data = slim_svg(data)
    head_end = data.index(b">", data.index(b"<svg")) + 1
    words = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>".encode()
    return data[:head_end] + words + data[head_end:]


def slim_svg(svg: bytes) -> bytes:
    """matplotlib's SVG without what a page never needs: coordinates past a tenth of a pixel,
    comments, the RDF metadata, indentation. About a quarter smaller, the same picture."""
    text = svg.decode()
    # Not a number under 1: a glyph's scale(0.0125) would lose its size.
    text = re.sub(r"(?<![\d.])([1-9]\d*\.\d)\d+", r"\1", text)
    text = re.sub(r"<!--.*?-->|<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    text = re.sub(r">\s+<", "><", text)
    return re.sub(r"\s*\n\s*", " ", text).encode()
