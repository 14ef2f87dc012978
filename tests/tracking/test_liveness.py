"""A post that disappears before the contract's minimum live period raises an alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from campaigns.models import CollaborationEvent, EventKind
from campaigns.selectors import creator_history
from kolhub.models import Notification
from tests.campaigns import url
from tests.factories import CollaborationFactory, PostFactory
from tracking.ingest.providers.base import Fetched, Gone
from tracking.ingest.pulls import outcomes_apply
from tracking.models import PostStatus, SnapshotSource

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def collaboration(workspace, alice):
    return CollaborationFactory(campaign__workspace=workspace, owner=alice, min_live_days=30)


def gone(post, status=PostStatus.DELETED):
    outcomes_apply([post], {post.pk: Gone(status, "gone")}, source=SnapshotSource.API)


def test_a_post_deleted_too_soon_alerts_the_owner_and_counts_on_the_scorecard(
    collaboration, alice, alice_client, workspace
):
    post = PostFactory(
        collaboration=collaboration, published_at=NOW - timedelta(days=5), status=PostStatus.LIVE
    )
    gone(post)
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
    gone(post, PostStatus.PRIVATE)
    assert CollaborationEvent.objects.get(kind=EventKind.TAKEN_DOWN).data["status"] == "private"


def test_after_the_agreed_period_a_removal_is_no_alert(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=31))
    gone(post)
    assert not CollaborationEvent.objects.filter(kind=EventKind.TAKEN_DOWN).exists()
    assert not Notification.objects.exists()


def test_without_an_agreed_period_there_is_no_alert(collaboration):
    collaboration.min_live_days = None
    collaboration.save()
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=1))
    gone(post)
    assert not CollaborationEvent.objects.filter(kind=EventKind.TAKEN_DOWN).exists()


def test_a_post_still_gone_on_the_next_pull_alerts_once(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=1))
    gone(post)
    post.refresh_from_db()
    gone(post)
    assert CollaborationEvent.objects.filter(kind=EventKind.TAKEN_DOWN).count() == 1


def test_a_post_that_comes_back_is_live_again(collaboration):
    post = PostFactory(collaboration=collaboration, published_at=NOW - timedelta(days=1))
    gone(post)
    post.refresh_from_db()
    outcomes_apply([post], {post.pk: Fetched({"views": 10})}, source=SnapshotSource.API)
    post.refresh_from_db()
    assert post.status == PostStatus.LIVE and post.gone_at is None
