"""One chart module: matplotlib SVG for pages (titled and described), PNG for the PDF."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

import matplotlib.dates as mdates
from matplotlib.figure import Figure

from kolhub import charts


def test_it_titles_and_describes_a_line_chart():
    start = date(2026, 1, 1)
    series = [(start + timedelta(days=7 * n), 12_000 + 500 * n) for n in range(4)]
    chart = charts.line_chart(series, title="Followers from 2026-01-01 to 2026-01-22")
    assert chart is not None
    assert chart.description == "2026-01-01 → 2026-01-22: 12K → 13.5K"
    assert b"<title>Followers from 2026-01-01 to 2026-01-22</title>" in chart.svg
    assert "<desc>2026-01-01 → 2026-01-22: 12K → 13.5K</desc>".encode() in chart.svg
    assert unquote(chart.src.removeprefix("data:image/svg+xml,")).encode() == chart.svg
    assert not set('<>"&') & set(chart.src)  # safe inside an HTML attribute as it is


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


def test_it_says_in_the_chart_that_its_last_period_is_not_over():
    points = [
        {"period": "2026-06-11", "views": 359_000, "engagements": 21_000, "partial": False},
        {"period": "2026-12-05", "views": 359_500, "engagements": 21_010, "partial": True},
    ]
    labels = {"views": "Views", "engagements": "Engagements"}
    svg = charts.series_chart(points, labels, fmt="svg", partial_note="12-05: so far")
    assert b"Views  359.5K; Engagements  21K (12-05: so far)</desc>" in svg
    whole = charts.series_chart(
        [point | {"partial": False} for point in points],
        labels,
        fmt="svg",
        partial_note="12-05: so far",
    )
    assert b"so far" not in whole


def test_it_labels_the_months_of_a_long_series_with_their_year():
    # Readings to June, then one in December: a tick on a month reads 2026-09, not the 09-01
    # of an unnamed year.
    days = [date(2026, month, 1) for month in (2, 3, 4, 5, 6, 12)]
    axis = Figure().subplots()
    axis.plot(days, range(len(days)))
    charts._date_axis(axis, days)
    drawn = axis.xaxis.get_major_formatter().format_ticks(axis.get_xticks())
    assert drawn and all(len(label) == 7 and label.startswith("2026-") for label in drawn)


def test_it_draws_few_date_ticks_for_a_phone():
    points = [
        {"period": (date(2026, 2, 1) + timedelta(days=n)).isoformat(), "views": n, "engagements": n}
        for n in range(0, 300, 7)
    ]
    labels = {"views": "Views", "engagements": "Engagements"}
    narrow = charts.series_chart(points, labels, fmt="svg", narrow=True)
    wide = charts.series_chart(points, labels, fmt="svg")
    assert narrow.count(b'id="xtick_') < wide.count(b'id="xtick_') <= 2 * 9


def drawn_series(points: list[dict]) -> tuple[Figure, list[float], list[float], dict]:
    """The figure, the x of each panel's last marker, the last x of each line, and the tick
    labels by their x."""
    labels = {"views": "Views", "engagements": "Engagements"}
    figure = charts.series_figure(points, labels)
    figure.canvas.draw()
    markers = [mdates.date2num(axis.lines[-1].get_xdata()[-1]) for axis in figure.axes]
    line_ends = [max(mdates.date2num(axis.lines[0].get_xdata())) for axis in figure.axes]
    axis = figure.axes[-1]
    ticks = axis.xaxis.get_major_formatter().format_ticks(axis.get_xticks())
    return figure, markers, line_ends, dict(zip(axis.get_xticks(), ticks, strict=True))


def test_it_draws_the_last_total_on_its_own_day_not_the_next():
    points = [
        {"period": "2026-12-01", "unit": "day", "views": 900, "engagements": 30},
        {"period": "2026-12-03", "unit": "day", "views": 1000, "engagements": 40},
        {"period": "2026-12-05", "unit": "day", "views": 1200, "engagements": 45, "partial": True},
    ]
    _figure, markers, line_ends, ticks = drawn_series(points)
    day = mdates.date2num(date(2026, 12, 5))
    assert markers == [day, day]
    assert line_ends == [day, day]  # the line reaches no day that has not started
    assert ticks[day] == "12-05"


def test_it_draws_a_single_day_on_that_days_tick():
    points = [{"period": "2026-12-03", "unit": "day", "views": 1000, "engagements": 40}]
    _figure, markers, line_ends, ticks = drawn_series(points)
    day = mdates.date2num(date(2026, 12, 3))
    assert markers == line_ends == [day, day]
    assert ticks[day] == "12-03"


def test_it_draws_a_month_on_the_tick_that_names_it():
    points = [
        {"period": f"{year}-{month:02}-01", "unit": "month", "views": month, "engagements": 1}
        for year in (2024, 2025, 2026)
        for month in range(1, 13)
    ]
    _figure, markers, _ends, ticks = drawn_series(points)
    assert markers[0] == mdates.date2num(date(2026, 12, 1))
    assert all(mdates.num2date(x).day == 1 for x in ticks)  # ticks on months' first days


def test_it_thins_a_long_line_to_what_a_page_can_show_keeping_both_ends():
    start = date(2026, 1, 1)
    series = [(start + timedelta(days=n), 1000 + n) for n in range(365)]
    kept = charts.thinned(series, most=60)
    assert len(kept) <= 60
    assert kept[0] == series[0] and kept[-1] == series[-1]
    assert kept == sorted(kept)
    short = series[:10]
    assert charts.thinned(short, most=60) == short


def test_it_trims_coordinates_to_a_tenth_but_keeps_the_small_scales_of_glyphs():
    svg = b'<svg>\n <use transform="translate(12.345678 9.8765) scale(0.015625 -0.0156)"/>\n</svg>'
    assert charts.slim_svg(svg) == (
        b'<svg><use transform="translate(12.3 9.8) scale(0.015625 -0.0156)"/></svg>'
    )
