"""Stream N made-up snapshots of the given posts through the write path; print peak RSS (MB).

Run by bench/test_tracking.py in a fresh process per size, so each figure is that process's
own peak: the write path's memory must stay flat as N grows.
"""

from __future__ import annotations

import os
import resource
import sys
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolhub.settings")
django.setup()

from tracking.ingest.snapshots import SnapshotRow, snapshots_write  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)


def made_up(rows: int, posts: list[int], workspace_id: int):
    for n in range(rows):
        post = posts[n % len(posts)]
        hour = n // len(posts)
        yield SnapshotRow(
            post_id=post,
            workspace_id=workspace_id,
            captured_at=START + timedelta(hours=hour, minutes=n % 60),
            source="api",
            counters={"views": 1000 + hour * 37, "likes": 40 + hour, "comments": 3 + hour // 5},
            raw={"statistics": {"viewCount": str(1000 + hour * 37)}},
        )


if __name__ == "__main__":
    rows, first_post, post_count, workspace_id = map(int, sys.argv[1:5])
    written = snapshots_write(
        rows=made_up(rows, list(range(first_post, first_post + post_count)), workspace_id)
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{written} {peak_mb:.1f}")
