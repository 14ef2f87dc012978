"""A campaign's views and engagements over time: per day (or week, or month), the sum over its
posts of each post's latest known counters, carried forward while a post is not read.

The last point is, by construction, the sum of the posts' own latest counters (Post.views…),
the same numbers the KPI cards add up: each post's stored counters enter the series as its
final reading. A period that was not over when the series was computed (today, this week) is
marked partial.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import F, Max, Min, QuerySet
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from campaigns import stages
from kolhub.frames import sql_frame
from tracking.models import MetricSnapshot, Post
from tracking.results.scoring.campaign import ENGAGEMENT_COUNTERS

MAX_SERIES_POINTS = 1000
SERIES_COUNTERS = ("views", *ENGAGEMENT_COUNTERS)
READING_COLUMNS = ("campaign", "post", "period", "at", *SERIES_COUNTERS)


def series_unit(first: Any, last: Any) -> tuple[str, Any]:
    """The coarsest of day, week, month that keeps the series at most MAX_SERIES_POINTS long."""
    days = (last - first).days + 1
    if days <= MAX_SERIES_POINTS:
        return "day", TruncDay
    if days <= MAX_SERIES_POINTS * 7:
        return "week", TruncWeek
    return "month", TruncMonth


def campaign_series(campaign) -> list[dict[str, Any]]:
    """Views and engagements of the campaign's posts, summed per day (or week, or month),
    each post counted at its latest value up to that point."""
    return campaign_series_many(campaign.workspace_id, [campaign.pk])[campaign.pk]


def campaign_series_many(
    workspace_id: int, ids: list[int], now: datetime | None = None
) -> dict[int, list[dict[str, Any]]]:
    """The series of several campaigns: one query for their spans, then one per period unit.

    The database sends every reading of the posts in order and pandas sums them per campaign
    and period (period_gains)."""
    now = now or timezone.now()
    snapshots = MetricSnapshot.objects.filter(
        workspace_id=workspace_id, post__collaboration__campaign_id__in=ids
    ).filter(post__collaboration__stage__in=stages.COSTED)  # the posts the figures count
    posts = Post.objects.filter(workspace_id=workspace_id, collaboration__campaign_id__in=ids)
    posts = posts.filter(collaboration__stage__in=stages.COSTED)
    spans = (
        snapshots.values("post__collaboration__campaign_id")
        .annotate(first=Min("bucket"), last=Max("bucket"))
        .values_list("post__collaboration__campaign_id", "first", "last")
    )
    # A campaign whose posts have counters but no snapshot yet (typed in) has days.
    unit_of: dict[int, tuple[str, Any]] = dict.fromkeys(ids, ("day", TruncDay))
    for campaign_id, first, last in spans:
        unit_of[campaign_id] = series_unit(first, last)
    by_unit: dict[tuple[str, Any], list[int]] = {}
    for campaign_id, period_unit in unit_of.items():
        by_unit.setdefault(period_unit, []).append(campaign_id)
    series: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for (unit, trunc), campaign_ids in by_unit.items():
        rows = _period_rows(snapshots, posts, campaign_ids, trunc)
        periods: dict[int, list[tuple]] = {}
        for campaign_id, *period in rows:
            periods.setdefault(campaign_id, []).append(tuple(period))
        current = current_period(now, unit)
        for campaign_id, campaign_rows in periods.items():
            series[campaign_id] = running_totals(campaign_rows, unit, current)
    return series


def _period_rows(
    snapshots: QuerySet, posts: QuerySet, campaign_ids: list[int], trunc: Any
) -> list[tuple]:
    """(campaign, period, views gain, engagements gain, posts with views gained) rows."""
    readings, latest = reading_queries(snapshots, posts, campaign_ids, trunc)
    # The models' default orderings would sort each part for nothing: READINGS_SQL sorts.
    snapshot_sql, snapshot_params = readings.order_by().query.sql_with_params()
    post_sql, post_params = latest.order_by().query.sql_with_params()
    columns = ", ".join(f"r_{name} AS {name}" for name in READING_COLUMNS)
    frame = sql_frame(
        READINGS_SQL.format(snapshots=snapshot_sql, posts=post_sql, columns=columns),
        (*snapshot_params, *post_params),
        ["campaign", "post", "period", "final", *SERIES_COUNTERS],
        {"campaign": "int64", "post": "int64", "period": "category", "final": "int64"}
        | dict.fromkeys(SERIES_COUNTERS, "Int64"),
    )
    return period_gains(frame)


def reading_queries(
    snapshots: QuerySet, posts: QuerySet, campaign_ids: list[int], trunc: Any
) -> tuple[QuerySet, QuerySet]:
    """The campaigns' readings (READING_COLUMNS): their posts' snapshots, and each post's own
    counters, as its final reading: they are what the figures add up."""
    zone = timezone.get_current_timezone()
    readings = snapshots.filter(post__collaboration__campaign_id__in=campaign_ids).values(
        **_reading(
            campaign=F("post__collaboration__campaign_id"),
            post=F("post_id"),
            period=trunc("bucket", tzinfo=zone),
            at=F("captured_at"),
        )
    )
    when = Coalesce("last_pulled_at", "published_at", "created_at")
    latest = (
        posts.filter(collaboration__campaign_id__in=campaign_ids)
        .exclude(
            last_pulled_at__isnull=True, **{f"{name}__isnull": True for name in SERIES_COUNTERS}
        )
        .values(
            **_reading(
                campaign=F("collaboration__campaign_id"),
                post=F("pk"),
                period=trunc(when, tzinfo=zone),
                at=when,
            )
        )
    )
    return readings, latest


def _reading(**expressions: Any) -> dict[str, Any]:
    """The columns of a reading, prefixed so that they never clash with a model's fields."""
    counters = {name: F(name) for name in SERIES_COUNTERS}
    return {f"r_{name}": value for name, value in (expressions | counters).items()}


# Every reading of the posts, in the order each post's counters were known: its snapshots in
# time order, then its own counters (the final reading).
READINGS_SQL = """
SELECT campaign, post, period, final, views, likes, comments, shares, saves FROM (
    SELECT {columns}, 0 AS final FROM ({snapshots}) AS snapshots
    UNION ALL
    SELECT {columns}, 1 AS final FROM ({posts}) AS posts
) AS readings
ORDER BY post, final, at
"""


def period_gains(readings: pd.DataFrame) -> list[tuple]:
    """(campaign, period, views gain, engagements gain, posts with views gained) per campaign
    and period, in that order, from readings in READINGS_SQL's order.

    Per post: each counter carried forward while a reading lacks it (the post's own
    counters, its final reading, are taken as they are, in its last period); the newest
    reading of each period; the change from the post's previous period. Per campaign and
    period: the changes of all posts added up, which running_totals turns back into totals.
    One pass of vectorised steps over all the readings (millions at an agency's scale)."""
    if readings.empty:
        return []
    post = readings["post"].to_numpy()
    final = readings["final"].to_numpy() == 1
    # Counters as exact integers and whether each is known, carried forward along each post's
    # readings: a reading takes the value of the latest one (itself included) that knew it.
    starts = np.ones(len(post), dtype=bool)
    starts[1:] = post[1:] != post[:-1]
    positions = np.arange(len(post))
    carried: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in SERIES_COUNTERS:
        column = readings[name]
        values = column.to_numpy(dtype="int64", na_value=0)
        known = column.notna().to_numpy()
        source = np.maximum.accumulate(np.where(known | starts, positions, 0))
        source = np.where(final, positions, source)  # the post's own counters, as they are
        carried[name] = (values[source], known[source])
    # Periods as numbers that sort as they do; the final reading falls in the post's last.
    # (A few distinct texts for millions of readings: they are read as categories.)
    texts = readings["period"].astype("category")
    days, periods = pd.factorize(texts.cat.categories.astype(str).str.slice(0, 10), sort=True)
    codes = days[texts.cat.codes.to_numpy()]
    first = np.flatnonzero(starts)
    last = np.repeat(np.maximum.reduceat(codes, first), np.diff(np.append(first, len(codes))))
    period = np.where(final, last, codes)
    # The newest reading of each post and period: a stable sort keeps the readings' order
    # within a period, whose last is the newest.
    order = np.lexsort((period, post))
    post, period = post[order], period[order]
    newest = np.ones(len(order), dtype=bool)
    newest[:-1] = (post[1:] != post[:-1]) | (period[1:] != period[:-1])
    chosen = order[newest]
    post, period = post[newest], period[newest]
    views, with_views = (part[chosen] for part in carried["views"])
    engagements = sum(
        np.where(carried[name][1], carried[name][0], 0)[chosen] for name in ENGAGEMENT_COUNTERS
    )
    values = np.stack([np.where(with_views, views, 0), engagements, with_views], axis=1).astype(
        "int64"
    )
    previous = np.zeros_like(values)
    same_post = post[1:] == post[:-1]
    previous[1:][same_post] = values[:-1][same_post]
    gains = (
        pd.DataFrame(values - previous, columns=["views", "engagements", "with_views"])
        .groupby([readings["campaign"].to_numpy()[chosen], period], sort=True)
        .sum()
    )
    return [
        (int(campaign), periods[code], *changes)
        for (campaign, code), changes in zip(
            gains.index, gains.itertuples(index=False), strict=True
        )
    ]


def current_period(now: datetime, unit: str) -> str:
    """The first day of the period (day, ISO week, month) `now` falls in, in the current
    time zone, as the series writes periods."""
    today = timezone.localtime(now).date()
    if unit == "week":
        today -= timedelta(days=today.weekday())
    elif unit == "month":
        today = date(today.year, today.month, 1)
    return today.isoformat()


def running_totals(rows: list[tuple], unit: str, current: str = "") -> list[dict[str, Any]]:
    """The period rows (period, views gain, engagements gain, posts with views gained) as
    points: views stay unknown while no post has them; the period `current` (not over yet) is
    marked partial."""
    points, views, engagements, with_views = [], 0, 0, 0
    for period, views_gain, engagements_gain, with_views_gain in rows:
        views += int(views_gain or 0)
        engagements += int(engagements_gain or 0)
        with_views += int(with_views_gain or 0)
        day = str(period)[:10]  # a datetime (PostgreSQL) or its text (SQLite)
        points.append(
            {
                "period": day,
                "unit": unit,
                "views": views if with_views else None,
                "engagements": engagements,
                "partial": day == current,
            }
        )
    return points


def final_series(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The series as a final report stores it: its figures no longer change, so none of its
    periods is 'so far', even the day the campaign closed on."""
    return [point | {"partial": False} for point in points]
