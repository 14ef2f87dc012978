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

from django.db import connection
from django.db.models import F, Max, Min, QuerySet
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from campaigns import stages
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

    The database does the work and returns one row per campaign and period (SERIES_SQL), so
    at most MAX_SERIES_POINTS rows per campaign leave it."""
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
    zone = timezone.get_current_timezone()
    readings = snapshots.filter(post__collaboration__campaign_id__in=campaign_ids).values(
        **_reading(
            campaign=F("post__collaboration__campaign_id"),
            post=F("post_id"),
            period=trunc("bucket", tzinfo=zone),
            at=F("captured_at"),
        )
    )
    # Each post's own counters, as its final reading: they are what the figures add up.
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
    snapshot_sql, snapshot_params = readings.query.sql_with_params()
    post_sql, post_params = latest.query.sql_with_params()
    columns = ", ".join(f"r_{name} AS {name}" for name in READING_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            SERIES_SQL.format(
                snapshots=snapshot_sql,
                posts=post_sql,
                columns=columns,
                **{f"carried_{name}": _carried(name) for name in SERIES_COUNTERS},
                **{f"run_{name}": _run(name) for name in SERIES_COUNTERS},
            ),
            (*snapshot_params, *post_params),
        )
        return cursor.fetchall()


def _reading(**expressions: Any) -> dict[str, Any]:
    """The columns of a reading, prefixed so that they never clash with a model's fields."""
    counters = {name: F(name) for name in SERIES_COUNTERS}
    return {f"r_{name}": value for name, value in (expressions | counters).items()}


def _run(name: str) -> str:
    # How many readings of the post so far reported the counter: the readings after a known
    # value, until the next, share its run number.
    return f"COUNT({name}) OVER running AS {name}_run"


def _carried(name: str) -> str:
    # The run's one known value, carried over the readings that lack the counter; the post's
    # own counters (its final reading) are taken as they are.
    return (
        f"CASE WHEN final = 1 THEN {name} "
        f"ELSE MAX({name}) OVER (PARTITION BY post, {name}_run) END AS {name}"
    )


# Window functions (PostgreSQL; SQLite ≥ 3.28). Per post: its readings in time order, its own
# counters last; each counter carried forward while a reading lacks it; the newest reading of
# each period; the change from the post's previous period. Per campaign and period: the
# changes of all posts added up, which running_totals turns back into totals.
SERIES_SQL = """
WITH readings AS (
    SELECT {columns}, 0 AS final FROM ({snapshots}) AS snapshots
    UNION ALL
    SELECT {columns}, 1 AS final FROM ({posts}) AS posts
),
runs AS (
    SELECT readings.*,
        {run_views}, {run_likes}, {run_comments}, {run_shares}, {run_saves},
        MAX(period) OVER (PARTITION BY post) AS last_period
    FROM readings
    WINDOW running AS (PARTITION BY post ORDER BY final, at ROWS UNBOUNDED PRECEDING)
),
carried AS (
    SELECT campaign, post, final, at,
        CASE WHEN final = 1 THEN last_period ELSE period END AS period,
        {carried_views}, {carried_likes}, {carried_comments}, {carried_shares}, {carried_saves}
    FROM runs
),
newest AS (
    SELECT campaign, post, period, views,
        COALESCE(likes, 0) + COALESCE(comments, 0) + COALESCE(shares, 0) + COALESCE(saves, 0)
            AS engagements,
        CASE WHEN views IS NULL THEN 0 ELSE 1 END AS has_views,
        ROW_NUMBER() OVER (PARTITION BY post, period ORDER BY final DESC, at DESC) AS rank
    FROM carried
),
gains AS (
    SELECT campaign, period,
        COALESCE(views, 0) - COALESCE(LAG(views) OVER by_post, 0) AS views_gain,
        engagements - COALESCE(LAG(engagements) OVER by_post, 0) AS engagements_gain,
        has_views - COALESCE(LAG(has_views) OVER by_post, 0) AS has_views_gain
    FROM newest
    WHERE rank = 1
    WINDOW by_post AS (PARTITION BY post ORDER BY period)
)
SELECT campaign, period, SUM(views_gain), SUM(engagements_gain), SUM(has_views_gain)
FROM gains
GROUP BY campaign, period
ORDER BY campaign, period
"""


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
