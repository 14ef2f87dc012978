"""The demo workspace's evidence: its published posts, followed, with snapshot histories."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from campaigns.models import Deliverable, DeliverableStatus
from kolhub.models import Workspace
from tracking.models import MetricSnapshot, Post, PostStatus, SnapshotSource
from tracking.providers.demo import demo_counters
from tracking.pulls import next_pull_for, next_pull_time, window_end
from tracking.services import SnapshotRow, post_register, snapshots_write


def seed(workspace: Workspace) -> None:
    """Follow the demo's published posts and give each the history the cadence would have.

    Posts that already have snapshots are left alone; the worker's demo provider keeps
    adding to them while the app runs.
    """
    now = timezone.now()
    published = (
        Deliverable.objects.for_workspace(workspace)
        .filter(status=DeliverableStatus.PUBLISHED)
        .exclude(live_url="")
        .select_related("collaboration")
    )
    with transaction.atomic():
        for deliverable in published:
            post = post_register(deliverable=deliverable, url=deliverable.live_url)
            if MetricSnapshot.objects.filter(post=post).exists():
                continue
            post = Post.objects.select_related("collaboration__campaign", "workspace").get(
                pk=post.pk
            )
            post.published_at = post.published_at or deliverable.published_at or now
            post.status = PostStatus.LIVE
            post.save(update_fields=["published_at", "status"])
            snapshots_write(rows=list(history(post, now)))
            post.next_pull_at = next_pull_for(post, now) if post.next_pull_at else None
            Post.objects.filter(pk=post.pk).update(next_pull_at=post.next_pull_at)


def history(post: Post, now: datetime):
    """Snapshots at the cadence's times from publication until now (or the window's end)."""
    assert post.published_at is not None
    ends = window_end(post.collaboration.campaign.observation_ends_on, post.workspace.timezone)
    moment: datetime | None = post.published_at + timedelta(hours=1)
    while moment is not None and moment <= now:
        age = (moment - post.published_at).total_seconds() / 3600
        yield SnapshotRow(
            post_id=post.pk,
            workspace_id=post.workspace_id,
            captured_at=moment,
            source=SnapshotSource.DEMO,
            counters=demo_counters(post.platform_id or post.url, age),
            raw={"demo": True},
        )
        moment = next_pull_time(published_at=post.published_at, pulled_at=moment, window_ends=ends)
