"""A post that disappears before the contract's minimum live period raises an alert, once a
second read at least RECHECK_AFTER later says it is still gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from campaigns.models import CollaborationEvent, EventKind
from campaigns.selectors import creator_history
from kolhub.models import Notification
from tests.campaigns import url
from tests.factories import CollaborationFactory, PostFactory
from tracking.ingest.providers.base import ErrorCode, Fetched, Gone, Unreadable
from tracking.ingest.pulls import RECHECK_AFTER, outcomes_apply
from tracking.models import Post, PostStatus, SnapshotSource

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LATER = NOW + RECHECK_AFTER


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def collaboration(workspace, alice):
    return CollaborationFactory(campaign__workspace=workspace, owner=alice, min_live_days=30)


def gone(post, status=PostStatus.DELETED, *, at=NOW):
    """One read answering that the post is gone."""
    post.refresh_from_db()
    outcomes_apply([post], {post.pk: Gone(status, "gone")}, source=SnapshotSource.API, now=at)
    post.refresh_from_db()


def taken_down(post, status=PostStatus.DELETED):
    """Found gone, and still gone when it is read again."""
    gone(post, status)
    gone(post, status, at=LATER)


def alerts() -> int:
    return CollaborationEvent.objects.filter(kind=EventKind.TAKEN_DOWN).count()


def test_a_post_deleted_too_soon_alerts_the_owner_and_counts_on_the_scorecard(
    collaboration, alice, alice_client, workspace
):
    post = PostFactory(
        collaboration=collaboration, published_at=NOW - timedelta(days=5), status=PostStatus.LIVE
    )
    taken_down(post)
    assert (post.status, post.gone_at) == (PostStatus.DELETED, NOW)  # since the first sighting
    event = CollaborationEvent.objects.get(kind=EventKind.TAKEN_DOWN)
    assert event.data == {"url": post.url, "status": "deleted", "days": 5, "required": 30}
    notice = Notification.objects.get(user=alice)
    # In the workspace's language (zh-Hant here), whoever reads it.
    assert "上線 5 天後已不公開，未達約定的 30 天" in notice.message
    assert notice.url.endswith(f"/collaborations/{collaboration.pk}/")
    card = creator_history(workspace, collaboration.creator_id)["scorecard"]
    assert card.taken_down_early == 1
    page = alice_client.get(url("collaboration_detail", workspace, collaboration.pk))
    assert "Post taken down early" in page.text
    assert f"the post {post.url} was deleted after 5 days (30 agreed)" in page.text


def test_a_post_made_private_counts_too(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=2))
    taken_down(post, PostStatus.PRIVATE)
    assert CollaborationEvent.objects.get(kind=EventKind.TAKEN_DOWN).data["status"] == "private"


def test_after_the_agreed_period_a_removal_is_no_alert(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=31))
    taken_down(post)
    assert post.status == PostStatus.DELETED
    assert not CollaborationEvent.objects.filter(kind=EventKind.TAKEN_DOWN).exists()
    assert not Notification.objects.exists()


def test_without_an_agreed_period_there_is_no_alert(collaboration):
    collaboration.min_live_days = None
    collaboration.save()
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=1))
    taken_down(post)
    assert post.status == PostStatus.DELETED
    assert not CollaborationEvent.objects.filter(kind=EventKind.TAKEN_DOWN).exists()


def test_a_post_still_gone_on_the_next_pull_alerts_once(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=1))
    taken_down(post)
    gone(post, at=LATER + timedelta(days=1))
    assert alerts() == 1


def test_a_post_that_comes_back_is_live_again(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=1))
    taken_down(post)
    outcomes_apply([post], {post.pk: Fetched({"views": 10})}, source=SnapshotSource.API)
    post.refresh_from_db()
    assert post.status == PostStatus.LIVE and post.gone_at is None


def test_one_gone_answer_raises_no_alert_and_asks_for_a_second_look(collaboration):
    post = PostFactory(
        collaboration=collaboration, published_at=NOW - timedelta(days=2), status=PostStatus.LIVE
    )
    gone(post)
    assert (post.status, post.gone_at, post.gone_suspected_at) == (PostStatus.LIVE, None, NOW)
    assert post.next_pull_at == LATER
    assert alerts() == 0 and not Notification.objects.exists()


def test_two_gone_answers_take_it_down_with_one_alert(collaboration, alice):
    post = PostFactory(
        collaboration=collaboration, published_at=NOW - timedelta(days=2), status=PostStatus.LIVE
    )
    taken_down(post)
    assert (post.status, post.gone_at, post.gone_suspected_at) == (PostStatus.DELETED, NOW, None)
    assert alerts() == 1
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_second_answer_too_soon_is_no_second_look(collaboration):
    # A second click on "Refresh now", or a redelivered batch, minutes after the first.
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=2))
    gone(post)
    gone(post, at=NOW + RECHECK_AFTER / 3)
    assert post.status != PostStatus.DELETED and post.gone_suspected_at == NOW
    assert post.next_pull_at == LATER  # the re-check keeps its time
    assert alerts() == 0


def test_a_post_read_in_between_is_live_and_no_longer_suspected(collaboration):
    post = PostFactory(
        collaboration=collaboration, published_at=NOW - timedelta(days=2), status=PostStatus.LIVE
    )
    gone(post)
    outcomes_apply([post], {post.pk: Fetched({"views": 10})}, source=SnapshotSource.API, now=LATER)
    post.refresh_from_db()
    assert (post.status, post.gone_suspected_at, post.views) == (PostStatus.LIVE, None, 10)
    gone(post, at=LATER + RECHECK_AFTER)  # a new suspicion, not the old one confirmed
    assert post.status == PostStatus.LIVE and post.gone_suspected_at == LATER + RECHECK_AFTER
    assert alerts() == 0


def test_a_re_check_that_cannot_read_the_post_asserts_nothing(collaboration):
    post = PostFactory(
        collaboration=collaboration, published_at=NOW - timedelta(days=2), status=PostStatus.LIVE
    )
    gone(post)
    unreadable = Unreadable("not shown", code=ErrorCode.NOT_PUBLICLY_LISTED)
    outcomes_apply(
        [post], {post.pk: unreadable}, source=SnapshotSource.API, now=NOW + RECHECK_AFTER / 3
    )
    post.refresh_from_db()
    assert post.gone_suspected_at == NOW  # sooner than the re-check: it stands
    outcomes_apply([post], {post.pk: unreadable}, source=SnapshotSource.API, now=LATER)
    post.refresh_from_db()
    assert (post.status, post.gone_suspected_at) == (PostStatus.LIVE, None)
    assert post.error_code == "not_publicly_listed"
    assert post.next_pull_at > LATER
    assert alerts() == 0


def test_the_days_live_count_to_the_first_read_that_found_it_gone(collaboration):
    # Gone 29 days and 23 hours after publication, confirmed past day 30: still too early.
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=29, hours=23))
    taken_down(post)
    assert CollaborationEvent.objects.get(kind=EventKind.TAKEN_DOWN).data["days"] == 29


def test_the_re_check_happens_even_after_the_observation_window(collaboration):
    campaign = collaboration.campaign
    campaign.ends_on = campaign.observation_ends_on = (NOW - timedelta(days=1)).date()
    campaign.save()
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=3))
    gone(post)
    assert post.next_pull_at == LATER
    gone(post, at=LATER)
    assert post.status == PostStatus.DELETED and post.next_pull_at is None
    assert Post.objects.filter(gone_suspected_at__isnull=False).count() == 0
