"""The pull pipeline: cadence, claiming, routing, applying outcomes, typed errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import respx
import time_machine
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from kolhub.models import Notification, Role
from tests.factories import (
    CollaborationFactory,
    MembershipFactory,
    PlatformConnectionFactory,
    PostFactory,
    SocialAccountFactory,
    WorkspaceFactory,
)
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest import pulls
from tracking.ingest.pulls import Batch, next_pull_time, pull_batch
from tracking.ingest.sweeps import posts_claim_due
from tracking.models import ConnectionStatus, MetricSnapshot, Post, PostStatus, SnapshotSource
from tracking.tasks import pull_posts, schedule_pulls

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
VIDEOS = f"{LOOPBACK}/youtube/videos"
H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def youtube_key(settings):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"


@pytest.mark.parametrize(
    ("age", "step"),
    [
        (timedelta(0), H),
        (47 * H, H),
        (48 * H, 6 * H),
        (6 * D, 6 * H),
        (7 * D, D),
        (29 * D, D),
        (30 * D, 7 * D),
        (80 * D, 7 * D),
    ],
)
def test_the_cadence_slows_down_as_the_post_ages(age, step):
    assert next_pull_time(published_at=NOW - age, pulled_at=NOW, window_ends=None) == NOW + step


def test_pulls_stop_when_the_observation_window_ends():
    ends = NOW + 2 * D
    published = NOW - 40 * D
    assert next_pull_time(published_at=published, pulled_at=NOW, window_ends=ends) == ends
    assert next_pull_time(published_at=published, pulled_at=ends, window_ends=ends) is None


def test_the_window_ends_at_the_end_of_its_last_day_in_the_workspace_zone():
    end = pulls.window_end(date(2026, 12, 31), "Asia/Taipei")
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_claiming_leases_due_posts_once():
    collaboration = CollaborationFactory()
    due = PostFactory.create_batch(3, collaboration=collaboration, next_pull_at=NOW - H)
    PostFactory(collaboration=collaboration, next_pull_at=NOW + H)
    PostFactory(collaboration=collaboration, next_pull_at=None)
    batches = posts_claim_due()
    assert [sorted(b.ids) for b in batches] == [sorted(p.pk for p in due)]
    assert posts_claim_due() == []
    assert {p.next_pull_at for p in Post.objects.filter(pk__in=[p.pk for p in due])} == {
        NOW + pulls.CLAIM_LEASE
    }


def test_batches_are_split_by_provider_workspace_and_connection():
    demo = WorkspaceFactory(is_demo=True)
    plain = PostFactory.create_batch(2)
    demo_post = PostFactory(collaboration=CollaborationFactory(campaign__workspace=demo))
    account = SocialAccountFactory(platform="instagram", workspace=plain[0].workspace)
    connection = PlatformConnectionFactory(workspace=account.workspace, account=account)
    instagram = PostFactory(
        platform="instagram",
        collaboration=CollaborationFactory(
            campaign__workspace=account.workspace, creator=account.creator
        ),
    )
    routed = {(b.provider, b.workspace_id, b.connection_id): set(b.ids) for b in posts_claim_due()}
    assert routed[("demo", demo.pk, None)] == {demo_post.pk}
    assert routed[("instagram", account.workspace_id, connection.pk)] == {instagram.pk}
    assert routed[("youtube", plain[0].workspace_id, None)] == {plain[0].pk}


def test_a_big_backlog_is_sent_in_tasks_of_a_hundred_posts():
    # 8,000 due posts used to make 8 tasks of 1,000: a ninth worker process had nothing to do.
    due = [(n, 1, "youtube", 1) for n in range(8_050)]
    sizes = [len(b.ids) for b in pulls.route(due)]
    assert sizes == [100] * 80 + [50]
    assert sorted(n for b in pulls.route(due) for n in b.ids) == list(range(8_050))


@pytest.mark.parametrize(
    ("wanted", "platform", "size"),
    [(120, "youtube", 100), (30, "youtube", 50), (30, "tiktok", 20), (100, "demo", 200)],
)
def test_a_task_is_made_of_whole_calls_of_its_platform(settings, wanted, platform, size):
    settings.PULL_TASK_POSTS = wanted
    assert pulls.task_size(platform) == size


@respx.mock
def test_a_pull_writes_a_snapshot_and_schedules_the_next(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ", published_at=NOW - 3 * H)
    respx.get(VIDEOS).respond(json=recorded("youtube/videos.json"))
    report = pull_batch(Batch("youtube", post.workspace_id, None, (post.pk,)))
    assert report.error is None and report.snapshots == 1
    post.refresh_from_db()
    assert (post.views, post.likes, post.comments) == (48213, 2210, 187)
    assert post.status == PostStatus.LIVE
    assert post.next_pull_at == NOW + H
    assert post.last_pulled_at == NOW
    snapshot = MetricSnapshot.objects.get()
    assert snapshot.source == SnapshotSource.API and snapshot.raw["id"] == "dQw4w9WgXcQ"


@respx.mock
def test_a_redelivered_batch_rewrites_rather_than_adds(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ")
    respx.get(VIDEOS).respond(json=recorded("youtube/videos.json"))
    batch = Batch("youtube", post.workspace_id, None, (post.pk,))
    pull_batch(batch)
    pull_batch(batch)
    assert MetricSnapshot.objects.filter(post=post).count() == 1


def _pull_youtube(post: Post, *, at: datetime = NOW) -> pulls.PullReport:
    with time_machine.travel(at, tick=False):
        report = pull_batch(Batch("youtube", post.workspace_id, None, (post.pk,)))
    post.refresh_from_db()
    return report


@respx.mock
def test_a_post_first_found_gone_stays_live_and_is_read_again_soon(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ", views=900, status=PostStatus.LIVE)
    respx.get(VIDEOS).respond(json=recorded("youtube/videos_empty.json"))
    report = _pull_youtube(post)
    assert report.suspected == {post.pk}
    assert (post.status, post.gone_at, post.gone_suspected_at) == (PostStatus.LIVE, None, NOW)
    assert post.error_code == "deleted"  # what the platform said, for staff
    assert post.next_pull_at == NOW + pulls.RECHECK_AFTER
    assert not Notification.objects.exists()


@respx.mock
def test_a_deleted_post_is_marked_on_the_second_look_and_then_looked_at_daily(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ", views=900, status=PostStatus.LIVE)
    respx.get(VIDEOS).respond(json=recorded("youtube/videos_empty.json"))
    _pull_youtube(post)
    later = NOW + pulls.RECHECK_AFTER
    report = _pull_youtube(post, at=later)
    assert report.suspected == set()
    assert post.status == PostStatus.DELETED
    assert post.gone_at == NOW  # since the first read that found it gone
    assert post.gone_suspected_at is None
    assert post.views == 900  # the last good counters stay
    assert post.next_pull_at == later + D
    assert not MetricSnapshot.objects.exists()


@respx.mock
def test_the_scheduler_claims_the_re_check_when_it_is_due(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ", status=PostStatus.LIVE)
    respx.get(VIDEOS).respond(json=recorded("youtube/videos_empty.json"))
    _pull_youtube(post)
    assert posts_claim_due() == []
    with time_machine.travel(NOW + pulls.RECHECK_AFTER, tick=False):
        assert [batch.ids for batch in posts_claim_due()] == [(post.pk,)]


@respx.mock
def test_a_post_found_again_on_the_second_look_is_simply_live(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ", views=900, status=PostStatus.LIVE)
    respx.get(VIDEOS).mock(
        side_effect=[
            httpx.Response(200, json=recorded("youtube/videos_empty.json")),
            httpx.Response(200, json=recorded("youtube/videos.json")),
        ]
    )
    _pull_youtube(post)
    _pull_youtube(post, at=NOW + pulls.RECHECK_AFTER)
    assert (post.status, post.gone_suspected_at, post.error_code) == (PostStatus.LIVE, None, "")
    assert post.views == 48213
    assert not Notification.objects.exists()


@respx.mock
def test_an_unreadable_answer_keeps_the_last_good_counters(youtube_key):
    post = PostFactory(platform_id="dQw4w9WgXcQ", views=900, status=PostStatus.LIVE)
    respx.get(VIDEOS).respond(json=recorded("youtube/video_bad_count.json"))
    pull_batch(Batch("youtube", post.workspace_id, None, (post.pk,)))
    post.refresh_from_db()
    assert post.views == 900 and post.status == PostStatus.LIVE
    assert "about 48k" in post.last_error
    assert post.next_pull_at == NOW + H


@respx.mock
def test_quota_exhaustion_postpones_the_batch_to_the_reset(youtube_key):
    posts = PostFactory.create_batch(2, collaboration=CollaborationFactory())
    respx.get(VIDEOS).respond(403, json=recorded("youtube/error_quota_exceeded.json"))
    report = pull_batch(Batch("youtube", posts[0].workspace_id, None, tuple(p.pk for p in posts)))
    assert report.error is not None
    reset = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # midnight in California
    assert set(Post.objects.values_list("next_pull_at", flat=True)) == {reset}


@respx.mock
def test_a_rejected_key_marks_the_connection_and_tells_the_owners_once():
    post = PostFactory()
    owner = MembershipFactory(workspace=post.workspace, role=Role.OWNER).user
    MembershipFactory(workspace=post.workspace, role=Role.MEMBER)
    connection = PlatformConnectionFactory(
        workspace=post.workspace, platform="youtube", kind="api_key", label="Agency key"
    )
    route = respx.get(VIDEOS).respond(400, json=recorded("youtube/error_key_invalid.json"))
    batch = Batch("youtube", post.workspace_id, connection.pk, (post.pk,))
    pull_batch(batch)
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NEEDS_RECONNECT
    assert "keyInvalid" in connection.last_error
    post.refresh_from_db()
    assert post.next_pull_at is None  # no retry loop: reconnecting schedules it again
    notice = Notification.objects.get()
    assert notice.user == owner and "Agency key" in notice.message
    pull_batch(batch)  # a second batch of the broken connection calls nobody, tells nobody
    assert route.call_count == 1
    assert Notification.objects.count() == 1


def test_without_a_key_or_connection_the_post_waits_with_a_reason():
    post = PostFactory()
    report = pull_batch(Batch("youtube", post.workspace_id, None, (post.pk,)))
    post.refresh_from_db()
    assert "No youtube connection" in report.error.detail
    assert post.last_error == report.error.detail
    assert post.next_pull_at == NOW + pulls.UNCONFIGURED_WAIT


@respx.mock
def test_a_temporary_failure_is_retried_with_backoff_then_put_off(youtube_key):
    post = PostFactory()
    route = respx.get(VIDEOS).respond(503, json=recorded("youtube/error_backend.json"))
    pull_posts.delay(
        provider="youtube", workspace_id=post.workspace_id, connection_id=None, post_ids=[post.pk]
    )
    assert route.call_count == 1 + pull_posts.max_retries
    post.refresh_from_db()
    assert post.failures == 1
    assert post.next_pull_at == NOW + pulls.GIVE_UP_WAIT
    assert "backendError" in post.last_error


def test_the_backoff_grows_and_is_jittered():
    from tracking.tasks import backoff_seconds

    firsts = {round(backoff_seconds(0), 3) for _ in range(20)}
    assert len(firsts) > 1 and all(15 <= s <= 45 for s in firsts)
    assert all(backoff_seconds(10) <= 2700 for _ in range(20))


def test_the_demo_workspace_grows_without_any_network():
    demo = WorkspaceFactory(is_demo=True)
    post = PostFactory(
        collaboration=CollaborationFactory(campaign__workspace=demo), published_at=NOW - 30 * H
    )
    assert schedule_pulls.delay().get() == 1
    post.refresh_from_db()
    snapshot = MetricSnapshot.objects.get()
    assert snapshot.source == SnapshotSource.DEMO
    assert post.views and post.likes and post.views > post.likes
    with time_machine.travel(NOW + 5 * H, tick=False):
        Post.objects.update(next_pull_at=NOW)
        schedule_pulls.delay()
    post.refresh_from_db()
    assert post.views >= snapshot.views
    assert MetricSnapshot.objects.count() == 2


def _instagram_post_behind(connection_account, platform_id: str = "DAaaaaaaaaa", **fields) -> Post:
    """A live post of @mei.eats on Instagram, and a connection to read it with: the brand's own
    account (which reads the creator's public posts by business discovery), or the creator's
    own when `connection_account` says so. Neither lists DAaaaaaaaaa."""
    creator_account = SocialAccountFactory(platform="instagram", handle="mei.eats")
    collaboration = CollaborationFactory(
        campaign__workspace=creator_account.workspace,
        creator=creator_account.creator,
        stage="published",
    )
    connection = PlatformConnectionFactory(
        workspace=creator_account.workspace,
        account=creator_account if connection_account == "creator" else None,
    )
    respx.get(f"{LOOPBACK}/instagram/{connection.external_id}/media").respond(
        json=recorded("instagram/media_page2.json")  # the last page: the listing is complete
    )
    respx.get(f"{LOOPBACK}/instagram/{connection.external_id}").respond(
        json=recorded("instagram/discovery_media_page1.json")  # short: the whole public list
    )
    return PostFactory(
        collaboration=collaboration,
        platform="instagram",
        platform_id=platform_id,
        status=PostStatus.LIVE,
        likes=3_871,
        published_at=NOW - 2 * D,
        **fields,
    )


def _pull(post: Post, *, at: datetime = NOW) -> None:
    with time_machine.travel(at, tick=False):
        for batch in pulls.route(
            [(post.pk, post.workspace_id, "instagram", post.collaboration.creator_id)]
        ):
            pull_batch(batch)
    post.refresh_from_db()


@respx.mock
def test_a_brand_connection_never_takes_down_a_creators_post_it_cannot_see():
    post = _instagram_post_behind("brand")
    _pull(post)
    _pull(post, at=NOW + pulls.RECHECK_AFTER)
    _pull(post, at=NOW + D)
    assert post.status == PostStatus.LIVE and post.gone_at is None
    assert post.gone_suspected_at is None  # not even a suspicion
    assert post.likes == 3_871
    assert post.error_code == "not_publicly_listed"
    assert not Notification.objects.exists()  # no "taken down after 2 days" alert


@respx.mock
def test_the_creators_own_connection_does_report_a_post_gone_from_its_list():
    post = _instagram_post_behind("creator")
    _pull(post)
    assert post.status == PostStatus.LIVE and post.gone_suspected_at == NOW
    _pull(post, at=NOW + pulls.RECHECK_AFTER)
    assert post.status == PostStatus.DELETED and post.gone_at == NOW


@respx.mock
def test_a_brand_connection_reads_a_creators_post_by_its_public_counts():
    # Read with the creator's own token before: views stay what they were, never 0.
    post = _instagram_post_behind("brand", platform_id="DCw9zY8xW7v", views=21_450)
    _pull(post)
    assert post.status == PostStatus.LIVE and post.error_code == ""
    assert (post.likes, post.comments, post.views) == (4_877, 102, 21_450)
    snapshot = MetricSnapshot.objects.get(post=post)
    assert (snapshot.likes, snapshot.views, snapshot.reach) == (4_877, None, None)
    assert post.next_pull_at == NOW + 6 * H  # two days old: the usual cadence


@respx.mock
def test_the_authors_handles_cost_one_query_per_batch(django_assert_num_queries):
    """One creator or three, the batch asks for their handles once."""

    def batch_of(creators: int) -> Batch:
        connection = PlatformConnectionFactory(workspace=WorkspaceFactory())
        respx.get(f"{LOOPBACK}/instagram/{connection.external_id}").respond(
            json=recorded("instagram/discovery_media_page1.json")
        )
        posts = [
            PostFactory(
                collaboration=CollaborationFactory(
                    campaign__workspace=connection.workspace,
                    creator=SocialAccountFactory(creator__workspace=connection.workspace).creator,
                ),
                platform="instagram",
                platform_id=code,
            )
            for code in ("DCy1aB2cD3e", "DCw9zY8xW7v", "DCu3Kp5mN1q")[:creators]
        ]
        return Batch(
            "instagram", connection.workspace_id, connection.pk, tuple(p.pk for p in posts)
        )

    one, three = batch_of(1), batch_of(3)
    with CaptureQueriesContext(db_connection) as first:
        pull_batch(one)
    with django_assert_num_queries(len(first)):
        pull_batch(three)
    assert Post.objects.filter(status=PostStatus.LIVE).count() == 4
