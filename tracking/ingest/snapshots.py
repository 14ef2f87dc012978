"""The snapshot write path: every MetricSnapshot and every post's latest counters are
written here, whatever read them (a provider, the portal, staff, a metrics import)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from tracking import marks
from tracking.ingest.snapshot_copy import copy_snapshots
from tracking.models import (
    COUNTERS,
    MetricSnapshot,
    Post,
)

logger = logging.getLogger(__name__)


@dataclass
class SnapshotRow:
    post_id: int
    workspace_id: int
    captured_at: datetime
    source: str
    counters: dict[str, int | None] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def capture_bucket(captured_at: datetime) -> datetime:
    """The hour a capture belongs to: two captures in one hour are the same snapshot."""
    return captured_at.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def snapshots_write(*, rows: Iterable[SnapshotRow]) -> int:
    """Upsert snapshots (one per post and hour) and refresh each post's latest counters.

    Idempotent: a retried or redelivered batch rewrites the same rows, never adds a second.
    On PostgreSQL the rows stream through COPY (tracking.ingest.snapshot_copy); elsewhere (the
    embedded SQLite) through bulk_create.
    """
    posts: set[int] = set()
    workspaces: set[int] = set()
    noted = _noting_posts(rows, posts, workspaces)
    if connection.vendor == "postgresql":
        written = copy_snapshots(_as_copy_rows(noted))
    else:
        written = _bulk_write(noted)
    marks.posts_changed(posts)
    marks.account_scores_changed(workspaces)
    return written


def _noting_posts(
    rows: Iterable[SnapshotRow], posts: set[int], workspaces: set[int]
) -> Iterator[SnapshotRow]:
    """The rows as they stream by, noting each one's post and workspace."""
    for row in rows:
        posts.add(row.post_id)
        workspaces.add(row.workspace_id)
        yield row


def _as_copy_rows(rows: Iterable[SnapshotRow]) -> Iterator[tuple]:
    for row in rows:
        counters = row.counters
        yield (
            row.workspace_id,
            row.post_id,
            row.captured_at,
            row.captured_at.replace(minute=0, second=0, microsecond=0),  # capture_bucket
            row.source,
            row.raw,
            *[counters.get(name) for name in COUNTERS],
        )


def _bulk_write(rows: Iterable[SnapshotRow]) -> int:
    latest: dict[tuple[int, datetime], MetricSnapshot] = {}
    for row in rows:
        snapshot = MetricSnapshot(
            workspace_id=row.workspace_id,
            post_id=row.post_id,
            captured_at=row.captured_at,
            bucket=capture_bucket(row.captured_at),
            source=row.source,
            raw=row.raw,
            **{name: row.counters.get(name) for name in COUNTERS},
        )
        # The newest capture of an hour wins, as the PostgreSQL path decides it.
        key = (row.post_id, snapshot.bucket)
        if key not in latest or latest[key].captured_at <= snapshot.captured_at:
            latest[key] = snapshot
    snapshots = _newer_than_stored(list(latest.values()))
    MetricSnapshot.objects.bulk_create(
        snapshots,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["post", "bucket"],
        update_fields=["captured_at", "source", "raw", *COUNTERS],
    )
    _refresh_latest(snapshots)
    return len(snapshots)


def _newer_than_stored(snapshots: list[MetricSnapshot]) -> list[MetricSnapshot]:
    """Leave out captures older than the stored one of their hour (a late, stale retry)."""
    stored = {
        (post_id, bucket): captured_at
        for post_id, bucket, captured_at in MetricSnapshot.objects.filter(
            post_id__in={s.post_id for s in snapshots}, bucket__in={s.bucket for s in snapshots}
        ).values_list("post_id", "bucket", "captured_at")
    }
    return [
        s
        for s in snapshots
        if (s.post_id, s.bucket) not in stored or stored[(s.post_id, s.bucket)] <= s.captured_at
    ]


def _refresh_latest(snapshots: list[MetricSnapshot]) -> None:
    newest: dict[int, MetricSnapshot] = {}
    for snapshot in snapshots:
        current = newest.get(snapshot.post_id)
        if current is None or snapshot.captured_at > current.captured_at:
            newest[snapshot.post_id] = snapshot
    posts = list(Post.objects.filter(pk__in=newest))
    for post in posts:
        snapshot = newest[post.pk]
        # A snapshot older than what the post already shows does not roll its counters back.
        if post.last_pulled_at and post.last_pulled_at > snapshot.captured_at:
            continue
        for name in COUNTERS:
            value = getattr(snapshot, name)
            if value is not None:
                setattr(post, name, value)
        post.last_pulled_at = snapshot.captured_at
    Post.objects.bulk_update(posts, [*COUNTERS, "last_pulled_at"], batch_size=1000)
