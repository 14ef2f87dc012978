"""Posts registered by URL, and snapshots written idempotently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from creators.post_urls import PostUrlError
from tests.factories import DeliverableFactory
from tracking.ingest.services import post_register
from tracking.ingest.snapshots import SnapshotRow, snapshots_write
from tracking.ingest.sweeps import posts_register_published
from tracking.models import MetricSnapshot, Post
from tracking.tasks import register_published_posts

NOON = datetime(2026, 11, 23, 12, 5, tzinfo=UTC)


@pytest.fixture
def deliverable(db):
    return DeliverableFactory()


@pytest.fixture
def post(deliverable):
    return post_register(deliverable=deliverable, url="https://youtu.be/dQw4w9WgXcQ")


def row(post, captured_at, **counters):
    return SnapshotRow(
        post_id=post.pk,
        workspace_id=post.workspace_id,
        captured_at=captured_at,
        source="api",
        counters=counters,
        raw={"statistics": {k: str(v) for k, v in counters.items()}},
    )


def test_it_registers_a_post_once_whatever_form_of_its_url(deliverable):
    first = post_register(deliverable=deliverable, url="https://youtu.be/dQw4w9WgXcQ")
    again = post_register(deliverable=deliverable, url="youtube.com/watch?v=dQw4w9WgXcQ&t=3")
    assert first == again
    assert (first.platform, first.platform_id) == ("youtube", "dQw4w9WgXcQ")
    assert first.collaboration == deliverable.collaboration


def test_it_registers_a_short_link_by_its_url(deliverable):
    post = post_register(deliverable=deliverable, url="https://vm.tiktok.com/ZMabc123/")
    assert (post.platform, post.platform_id, post.url) == (
        "tiktok",
        "",
        "https://vm.tiktok.com/ZMabc123/",
    )
    assert post_register(deliverable=deliverable, url="vm.tiktok.com/ZMabc123") == post


def test_it_refuses_a_url_that_is_not_a_post(deliverable):
    with pytest.raises(PostUrlError):
        post_register(deliverable=deliverable, url="https://www.instagram.com/mei.daily/")
    assert not Post.objects.exists()


def test_it_writes_a_retried_pull_once(post):
    batch = [row(post, NOON, views=100, likes=9)]
    snapshots_write(rows=batch)
    snapshots_write(rows=batch)  # the same batch redelivered
    assert MetricSnapshot.objects.count() == 1


def test_it_keeps_the_last_capture_of_an_hour(post):
    snapshots_write(rows=[row(post, NOON, views=100)])
    snapshots_write(rows=[row(post, NOON + timedelta(minutes=40), views=130)])
    snapshot = MetricSnapshot.objects.get()
    assert (snapshot.views, snapshot.bucket) == (130, NOON.replace(minute=0))


def test_it_keeps_one_snapshot_per_hour_and_the_latest_counters_on_the_post(post):
    snapshots_write(
        rows=[
            row(post, NOON, views=100, likes=10),
            row(post, NOON + timedelta(hours=1), views=180, likes=12),
            row(post, NOON + timedelta(minutes=10), views=105),  # same hour as the first
        ]
    )
    assert MetricSnapshot.objects.count() == 2
    post.refresh_from_db()
    assert (post.views, post.likes, post.last_pulled_at) == (180, 12, NOON + timedelta(hours=1))


def test_it_does_not_roll_a_post_back_with_an_older_snapshot(post):
    snapshots_write(rows=[row(post, NOON, views=500)])
    snapshots_write(rows=[row(post, NOON - timedelta(days=1), views=50)])  # a late CSV import
    post.refresh_from_db()
    assert post.views == 500
    assert MetricSnapshot.objects.count() == 2


def test_it_keeps_counters_a_pull_did_not_report(post):
    snapshots_write(rows=[row(post, NOON, views=100, saves=7)])
    snapshots_write(rows=[row(post, NOON + timedelta(hours=2), views=120)])
    post.refresh_from_db()
    assert (post.views, post.saves) == (120, 7)


def test_it_follows_the_live_posts_campaigns_received(db):
    published = DeliverableFactory(
        status="published", live_url="https://www.instagram.com/reel/DAbc12_xyz/"
    )
    not_a_post = DeliverableFactory(status="published", live_url="https://example.com/blog/")
    DeliverableFactory(status="approved", live_url="")
    with_post = DeliverableFactory(status="published", live_url="https://youtu.be/dQw4w9WgXcQ")
    post_register(deliverable=with_post, url=with_post.live_url)
    register_published_posts.delay()
    post = Post.objects.get(deliverable=published)
    assert (post.platform, post.platform_id) == ("instagram", "DAbc12_xyz")
    assert not Post.objects.filter(deliverable=not_a_post).exists()
    assert Post.objects.count() == 2
    assert posts_register_published() == 0  # nothing left to do


def test_the_newest_capture_of_an_hour_wins_whatever_the_order(post):
    late = NOON + timedelta(minutes=50)
    snapshots_write(rows=[row(post, late, views=130), row(post, NOON, views=100)])
    assert MetricSnapshot.objects.get().views == 130
    snapshots_write(rows=[row(post, NOON + timedelta(minutes=5), views=101)])  # a stale retry
    assert MetricSnapshot.objects.get().views == 130


def test_the_raw_answer_is_kept_as_sent(post):
    raw = {"snippet": {"title": "開箱｜冬季保濕"}, "statistics": {"viewCount": "12"}}
    snapshots_write(
        rows=[
            SnapshotRow(
                post_id=post.pk,
                workspace_id=post.workspace_id,
                captured_at=NOON,
                source="api",
                counters={"views": 12},
                raw=raw,
            )
        ]
    )
    assert MetricSnapshot.objects.get().raw == raw


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_rows_streamed_in_many_chunks_give_the_same_result(post):
    from django.db import transaction

    from tracking.ingest.snapshot_copy import copy_snapshots
    from tracking.ingest.snapshots import _as_copy_rows

    rows = [row(post, NOON + timedelta(minutes=7 * n), views=100 + n) for n in range(20)]
    with transaction.atomic():
        assert copy_snapshots(_as_copy_rows(reversed(rows)), chunk_rows=3) == 20
    by_hour = dict(MetricSnapshot.objects.values_list("bucket", "views"))
    assert len(by_hour) == 3  # 20 captures 7 minutes apart span three hours
    assert by_hour[NOON.replace(minute=0)] == 107  # the last capture of 12:xx is 12:54 (n = 7)
    post.refresh_from_db()
    assert post.views == 119 and post.last_pulled_at == rows[-1].captured_at


def test_reported_insights_become_snapshots_once(post):
    from campaigns.models import InsightReport
    from tracking.ingest.sweeps import insights_to_snapshots
    from tracking.models import SnapshotSource

    creator_said = InsightReport.objects.create(
        workspace_id=post.workspace_id, deliverable=post.deliverable, reach=4821, likes=300,
        saves=44, by_creator=True,
    )  # fmt: skip
    assert insights_to_snapshots() == 1
    assert insights_to_snapshots() == 0  # already written
    snapshot = MetricSnapshot.objects.get()
    assert (snapshot.source, snapshot.reach, snapshot.saves) == (SnapshotSource.PORTAL, 4821, 44)
    assert snapshot.raw == {"insight_report": creator_said.pk}
    post.refresh_from_db()
    assert post.reach == 4821
    InsightReport.objects.create(
        workspace_id=post.workspace_id, deliverable=post.deliverable, views=9000,
        reported_at=creator_said.reported_at + timedelta(hours=2),
    )  # fmt: skip
    register_published_posts.delay()
    assert MetricSnapshot.objects.filter(source=SnapshotSource.MANUAL).get().views == 9000
