"""The views and engagements series: each post carried at its latest known counters, its
last point the figures' totals, the period not over yet marked partial."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import CampaignFactory, PostFactory
from tracking.ingest.snapshots import SnapshotRow, snapshots_write
from tracking.results import figures, series
from tracking.results.series import current_period

DAY = datetime(2026, 3, 1, 9, tzinfo=UTC)


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand)


def post_of(campaign):
    return PostFactory(collaboration__campaign=campaign, collaboration__stage="published")


def read(post, day: int, *, hour: int = 0, **counters) -> None:
    """A pull of the post `day` days after DAY, through the write path every pull takes."""
    snapshots_write(
        rows=[
            SnapshotRow(
                post_id=post.pk,
                workspace_id=post.workspace_id,
                captured_at=DAY + timedelta(days=day, hours=hour),
                source="api",
                counters=counters,
            )
        ]
    )


def views_and_engagements(campaign) -> list[tuple]:
    points = series.campaign_series(campaign)
    return [(p["period"][-2:], p["views"], p["engagements"]) for p in points]


def kpi_totals(campaign) -> tuple:
    report = figures.campaign_report_fresh(campaign)
    return report["views"], report["engagements"]


def test_it_counts_a_post_that_was_not_pulled_on_the_last_day(campaign):
    first, second = post_of(campaign), post_of(campaign)
    read(first, 0, views=100, likes=10)
    read(second, 0, views=200, likes=20)
    read(first, 3, views=150, likes=12)  # the second is not read again
    assert views_and_engagements(campaign) == [("01", 300, 30), ("04", 350, 32)]
    assert kpi_totals(campaign) == (350, 32)


def test_it_carries_a_counter_a_reading_lacks(campaign):
    # The 12-05 slide of issue 16: a reading without views (the platform left them out)
    # dropped the post's views from the total, while the figures kept them.
    first, second = post_of(campaign), post_of(campaign)
    read(first, 0, views=340_000, likes=3_871)
    read(second, 0, views=19_000, likes=500)
    read(first, 5, likes=3_900)  # no views in this answer
    points = series.campaign_series(campaign)
    assert [p["views"] for p in points] == [359_000, 359_000]
    assert points[-1]["engagements"] == 4_400
    assert (points[-1]["views"], points[-1]["engagements"]) == kpi_totals(campaign)


def test_it_follows_a_post_whose_reading_decreased(campaign):
    post = post_of(campaign)
    read(post, 0, views=500, likes=50)
    read(post, 1, hour=1, views=900, likes=80)
    read(post, 1, hour=5, views=880, likes=70)  # unliked, and views corrected by the platform
    assert views_and_engagements(campaign) == [("01", 500, 50), ("02", 880, 70)]
    assert kpi_totals(campaign) == (880, 70)


def test_its_last_point_is_the_sum_of_the_posts_latest_counters(campaign):
    typed_in = PostFactory(
        collaboration__campaign=campaign, collaboration__stage="published", views=40, likes=4
    )
    pulled = post_of(campaign)
    read(pulled, 0, views=10, likes=1, comments=1)
    read(pulled, 2, views=30, shares=2)
    last = series.campaign_series(campaign)[-1]
    assert typed_in.last_pulled_at is None
    assert (last["views"], last["engagements"]) == kpi_totals(campaign) == (70, 8)


def test_it_leaves_out_the_posts_of_creators_not_contracted(campaign):
    read(post_of(campaign), 0, views=100)
    shortlisted = PostFactory(collaboration__campaign=campaign)
    read(shortlisted, 0, views=5_000)
    assert [p["views"] for p in series.campaign_series(campaign)] == [100]
    assert kpi_totals(campaign)[0] == 100


def test_it_knows_no_views_until_a_post_reports_them(campaign):
    post = post_of(campaign)
    read(post, 0, likes=3)
    read(post, 1, views=90, likes=4)
    assert views_and_engagements(campaign) == [("01", None, 3), ("02", 90, 4)]


def test_it_marks_the_period_that_is_not_over_as_partial(campaign):
    post = post_of(campaign)
    read(post, 0, views=100)
    read(post, 1, views=120)
    during = DAY + timedelta(days=1, hours=5)
    points = series.campaign_series_many(campaign.workspace_id, [campaign.pk], now=during)
    assert [p["partial"] for p in points[campaign.pk]] == [False, True]
    after = DAY + timedelta(days=4)
    points = series.campaign_series_many(campaign.workspace_id, [campaign.pk], now=after)
    assert not any(p["partial"] for p in points[campaign.pk])


def test_it_names_the_first_day_of_the_current_week_and_month():
    wednesday = datetime(2026, 3, 4, 12, tzinfo=UTC)
    assert current_period(wednesday, "day") == "2026-03-04"
    assert current_period(wednesday, "week") == "2026-03-02"
    assert current_period(wednesday, "month") == "2026-03-01"
