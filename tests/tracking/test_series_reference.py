"""The series computed in pandas (issue 21) against the database's window functions that
computed it before, kept here as the reference: the same points on a workspace of random
readings (counters missing, decreasing, several a day, posts typed in, posts not counted)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from tests.factories import CampaignFactory, PostFactory
from tracking.ingest.snapshots import SnapshotRow, snapshots_write
from tracking.models import Post
from tracking.results import series
from tracking.results.series import SERIES_COUNTERS

DAY = datetime(2026, 3, 1, 9, tzinfo=UTC)


def reference_period_rows(
    snapshots: QuerySet, posts: QuerySet, campaign_ids: list[int], trunc: Any
) -> list[tuple]:
    """series._period_rows as it was: the whole computation in SQL (REFERENCE_SQL)."""
    readings, latest = series.reading_queries(snapshots, posts, campaign_ids, trunc)
    snapshot_sql, snapshot_params = readings.query.sql_with_params()
    post_sql, post_params = latest.query.sql_with_params()
    columns = ", ".join(f"r_{name} AS {name}" for name in series.READING_COLUMNS)
    run = {f"run_{name}": f"COUNT({name}) OVER running AS {name}_run" for name in SERIES_COUNTERS}
    carried = {
        f"carried_{name}": f"CASE WHEN final = 1 THEN {name} "
        f"ELSE MAX({name}) OVER (PARTITION BY post, {name}_run) END AS {name}"
        for name in SERIES_COUNTERS
    }
    with connection.cursor() as cursor:
        cursor.execute(
            REFERENCE_SQL.format(
                snapshots=snapshot_sql, posts=post_sql, columns=columns, **run, **carried
            ),
            (*snapshot_params, *post_params),
        )
        return cursor.fetchall()


REFERENCE_SQL = """
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


@pytest.fixture
def campaigns(brand):
    """Four campaigns of random posts and readings."""
    rng = random.Random(21)
    chosen = [CampaignFactory(brand=brand) for _ in range(4)]
    for campaign in chosen:
        for _ in range(8):
            stage = rng.choice(["published", "published", "reported", "shortlisted"])
            post = PostFactory(collaboration__campaign=campaign, collaboration__stage=stage)
            rows = [
                SnapshotRow(
                    post_id=post.pk,
                    workspace_id=post.workspace_id,
                    captured_at=DAY + timedelta(days=day, hours=hour),
                    source="api",
                    counters={
                        name: None if rng.random() < 0.25 else rng.randint(0, 5_000)
                        for name in SERIES_COUNTERS
                    },
                )
                for day in sorted(rng.sample(range(40), rng.randint(0, 8)))
                for hour in sorted(rng.sample(range(24), rng.randint(1, 3)))
            ]
            for row in rows:  # one pull at a time, as the worker writes them
                snapshots_write(rows=[row])
            if rng.random() < 0.3:  # counters typed in, or a platform that stopped saying
                Post.objects.filter(pk=post.pk).update(
                    views=rng.choice([None, rng.randint(0, 9_000)]), likes=None
                )
    return chosen


@pytest.mark.parametrize("points", [series.MAX_SERIES_POINTS, 20, 3])  # days, weeks, months
def test_it_gives_the_points_the_window_functions_gave(campaigns, monkeypatch, points):
    monkeypatch.setattr(series, "MAX_SERIES_POINTS", points)
    workspace_id, ids = campaigns[0].workspace_id, [campaign.pk for campaign in campaigns]
    now = DAY + timedelta(days=20)
    computed = series.campaign_series_many(workspace_id, ids, now=now)
    monkeypatch.setattr(series, "_period_rows", reference_period_rows)
    reference = series.campaign_series_many(workspace_id, ids, now=now)
    assert computed == reference
    assert sum(len(points) for points in computed.values()) >= 2 * len(ids)
    assert {point["unit"] for points in computed.values() for point in points} == {
        {series.MAX_SERIES_POINTS: "day", 20: "week", 3: "month"}[points]
    }
