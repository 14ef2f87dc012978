"""One chart module: matplotlib SVG for pages (titled and described), PNG for the PDF."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from kolhub import charts


def test_it_titles_and_describes_a_line_chart():
    start = date(2026, 1, 1)
    series = [(start + timedelta(days=7 * n), 12_000 + 500 * n) for n in range(4)]
    chart = charts.line_chart(series, title="Followers from 2026-01-01 to 2026-01-22")
    assert chart is not None
    assert chart.description == "2026-01-01 → 2026-01-22: 12K → 13.5K"
    assert b"<title>Followers from 2026-01-01 to 2026-01-22</title>" in chart.svg
    assert "<desc>2026-01-01 → 2026-01-22: 12K → 13.5K</desc>".encode() in chart.svg
    assert base64.b64decode(chart.src.removeprefix("data:image/svg+xml;base64,")) == chart.svg


def test_it_draws_no_line_from_a_single_point():
    assert charts.line_chart([(date(2026, 1, 1), 100)], title="Followers") is None


def test_it_lists_the_shares_of_a_bar_chart_in_words():
    chart = charts.bar_chart({"18-24": 0.2, "25-34": 0.38, "<&>": 0.42}, title="Age")
    assert chart.description == "18-24: 20%, 25-34: 38%, <&>: 42%"
    assert b"<desc>18-24: 20%, 25-34: 38%, &lt;&amp;&gt;: 42%</desc>" in chart.svg


def test_it_draws_the_series_as_svg_for_pages_and_png_for_the_pdf():
    points = [
        {"period": f"2026-01-0{day}", "views": 1000 * day, "engagements": None if day == 2 else 40}
        for day in range(1, 5)
    ]
    labels = {"views": "Views", "engagements": "Engagements"}
    svg = charts.series_chart(points, labels, fmt="svg")
    assert b"<title>Views \xc2\xb7 Engagements</title>" in svg
    assert "<desc>2026-01-01 → 2026-01-04: Views  4K; Engagements  40</desc>".encode() in svg
    assert charts.series_chart(points, labels, fmt="png").startswith(b"\x89PNG")


def test_it_ticks_a_series_of_one_day_a_few_times_not_for_every_day_of_two_years():
    # A campaign's first day of figures: matplotlib widens a single date to the two years
    # around it, and a tick for each of those days took seconds to draw.
    points = [{"period": "2026-01-01", "views": 1000, "engagements": 40}]
    svg = charts.series_chart(points, {"views": "Views", "engagements": "Engagements"}, fmt="svg")
    assert 1 <= svg.count(b'id="xtick_') <= 6  # the shared axis is drawn on both panels
