"""Charts drawn on the server with matplotlib: SVG for the pages, PNG for the PDF report.
Both are laid out with Noto Sans TC, shipped inside an installed package, so Chinese renders
on a machine without CJK fonts; no chart library is fetched by the browser."""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on a server

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter

from kolhub.formatting import compact_count

VIEWS_COLOUR = "#2f5d8a"
ENGAGEMENTS_COLOUR = "#c2571a"


@cache
def cjk_font_path() -> str:
    """Noto Sans TC Regular (SIL Open Font License), from the pylopdf-fonts-zh-tw package."""
    return str(files("pylopdf_fonts_zh_tw") / "NotoSansTC-Regular.otf")


@cache
def _cjk_font_name() -> str:
    font_manager.fontManager.addfont(cjk_font_path())
    return font_manager.FontProperties(fname=cjk_font_path()).get_name()


def series_chart(points: list[dict[str, Any]], labels: dict[str, str], *, fmt: str) -> bytes:
    """Views above, engagements below, on one time axis; each panel is titled with its latest
    total, so the chart reads without hovering. `fmt` is "svg" or "png"."""
    days = [date.fromisoformat(point["period"]) for point in points]
    # Measured with the bundled font in both formats, so labels are laid out at their size.
    style: dict[str, Any] = {
        "svg.fonttype": "path",  # glyphs as outlines: the same on every machine
        "font.family": [_cjk_font_name(), "sans-serif"],
        "font.size": 9,
        "axes.unicode_minus": False,
    }
    with plt.rc_context(style):  # type: ignore[arg-type]  # stubs list every key
        figure, axes = plt.subplots(2, 1, sharex=True, figsize=(8, 3.6), dpi=110)
        for axis, name, colour in zip(
            axes, ("views", "engagements"), (VIEWS_COLOUR, ENGAGEMENTS_COLOUR), strict=True
        ):
            values = [point[name] for point in points]
            known = [v if v is not None else float("nan") for v in values]
            axis.plot(days, known, color=colour, linewidth=2)
            axis.fill_between(days, known, color=colour, alpha=0.08)
            last = next((v for v in reversed(values) if v is not None), None)
            title = labels[name] if last is None else f"{labels[name]}  {compact_count(last)}"
            axis.set_title(title, loc="left", color=colour, fontsize=10)
            axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: compact_count(int(v))))
            axis.set_ylim(bottom=0)
            axis.spines[["top", "right"]].set_visible(False)
            axis.grid(axis="y", color="#e5e5e5")
        axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
        axes[-1].xaxis.set_major_locator(_date_locator(days))
        figure.tight_layout()
        output = io.BytesIO()
        figure.savefig(output, format=fmt, transparent=fmt == "svg")
        plt.close(figure)
    return output.getvalue()


def _date_locator(days: list[date]) -> mdates.DateLocator:
    """Ticks on whole days for a short series (the automatic locator would tick hours of a
    two-day series, each labelled with the same date), automatic ones for a longer one."""
    span = (days[-1] - days[0]).days if days else 0
    if span <= 60:
        return mdates.DayLocator(interval=max(1, span // 7))
    return mdates.AutoDateLocator(maxticks=8)
