"""The snapshot write path against a raw COPY and Django's bulk_create, side by side.

Budgets (issue 5): our path ≥ 40 % of the rows per second of a raw COPY into the same indexed
table and ≥ 3× bulk_create, for 1,000,000 snapshots; a worker's peak memory ≤ 300 MB and flat
as the row count grows. BENCH_SNAPSHOTS scales the run down for a quick look.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from bench.snapshot_writer import made_up
from tests.factories import CollaborationFactory
from tracking.ingest.snapshots import _as_copy_rows, capture_bucket, snapshots_write
from tracking.models import COUNTERS, MetricSnapshot, Post

ROWS = int(os.environ.get("BENCH_SNAPSHOTS", 1_000_000))
POSTS = 10_000
BULK_ROWS = ROWS  # the same million: a rate on a smaller, emptier table would flatter it
ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY write path is PostgreSQL's"
)


@pytest.fixture
def posts(transactional_db):
    """Committed, so the writer processes of the memory probe see them."""
    collaboration = CollaborationFactory()
    Post.objects.bulk_create(
        Post(
            workspace_id=collaboration.workspace_id,
            collaboration=collaboration,
            platform="youtube",
            platform_id=f"b{n:010d}",
            url=f"https://youtu.be/b{n:010d}",
        )
        for n in range(POSTS)
    )
    return sorted(Post.objects.values_list("pk", flat=True)), collaboration.workspace_id


def empty_snapshots() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {MetricSnapshot._meta.db_table}")


def rows_per_second(rows: int, seconds: float) -> float:
    return rows / seconds


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def raw_copy(rows) -> None:
    """The ceiling: the same binary COPY straight into the indexed table, no staging, no
    conflict handling (it would fail on a duplicate)."""
    from tracking.ingest.snapshot_copy import COLUMN_TYPES, COLUMNS, _copy

    with transaction.atomic(), connection.cursor() as cursor:
        _copy(cursor, MetricSnapshot._meta.db_table, COLUMNS, COLUMN_TYPES, _as_copy_rows(rows))


def bulk_create(rows) -> None:
    """What Django offers: bulk_create with update_conflicts, 1,000 rows a statement."""
    batch: list[MetricSnapshot] = []
    with transaction.atomic():
        for row in rows:
            batch.append(
                MetricSnapshot(
                    workspace_id=row.workspace_id,
                    post_id=row.post_id,
                    captured_at=row.captured_at,
                    bucket=capture_bucket(row.captured_at),
                    source=row.source,
                    raw=row.raw,
                    **{name: row.counters.get(name) for name in COUNTERS},
                )
            )
            if len(batch) == 1000:
                flush(batch)
        flush(batch)


def flush(batch: list[MetricSnapshot]) -> None:
    MetricSnapshot.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["post", "bucket"],
        update_fields=["captured_at", "source", "raw", *COUNTERS],
    )
    batch.clear()


def peak_rss_mb(rows: int, post_ids: list[int], workspace_id: int) -> float:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.snapshot_writer",
            str(rows),
            str(post_ids[0]),
            str(len(post_ids)),
            str(workspace_id),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        check=True,
    )
    written, peak = result.stdout.split()
    assert int(written) == rows
    return float(peak)


def database_url() -> str:
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    return f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_snapshot_write_path_side_by_side(posts, benchmark):
    post_ids, workspace_id = posts

    def rows(count: int):
        return made_up(count, post_ids, workspace_id)

    empty_snapshots()
    copy_seconds = timed(lambda: raw_copy(rows(ROWS)))
    empty_snapshots()
    benchmark.pedantic(lambda: snapshots_write(rows=rows(ROWS)), rounds=1, iterations=1)
    ours_seconds = benchmark.stats.stats.mean
    assert MetricSnapshot.objects.count() == ROWS
    # A redelivered batch: every row conflicts and is rewritten, none added.
    again_seconds = timed(lambda: snapshots_write(rows=rows(ROWS)))
    assert MetricSnapshot.objects.count() == ROWS
    empty_snapshots()
    bulk_seconds = timed(lambda: bulk_create(rows(BULK_ROWS)))

    copy_rate = rows_per_second(ROWS, copy_seconds)
    ours_rate = rows_per_second(ROWS, ours_seconds)
    bulk_rate = rows_per_second(BULK_ROWS, bulk_seconds)
    print(f"\nsnapshot writes, {ROWS:,} rows over {POSTS:,} posts (PostgreSQL, one run):")
    print(f"  raw COPY into the indexed table: {copy_rate:,.0f} rows/s ({copy_seconds:.1f} s)")
    print(
        f"  KOLHub write path (COPY → stage → upsert → post counters): {ours_rate:,.0f} rows/s "
        f"({ours_seconds:.1f} s) = {ours_rate / copy_rate:.0%} of raw COPY (budget ≥ 40 %)"
    )
    print(f"  the same rows redelivered (all conflicts): {ROWS / again_seconds:,.0f} rows/s")
    print(
        f"  Django bulk_create(update_conflicts), {BULK_ROWS:,} rows: {bulk_rate:,.0f} rows/s "
        f"→ ours is {ours_rate / bulk_rate:.1f}× (budget ≥ 3×)"
    )
    empty_snapshots()
    sizes = (ROWS // 4, ROWS // 2, ROWS)
    peaks = [peak_rss_mb(n, post_ids, workspace_id) for n in sizes]
    measured = ", ".join(f"{n:,} rows: {p:.0f} MB" for n, p in zip(sizes, peaks, strict=True))
    print(f"  peak RSS of a worker process writing {measured} (budget ≤ 300 MB, flat)")
    assert ours_rate >= 0.4 * copy_rate
    assert ours_rate >= 3 * bulk_rate
    assert max(peaks) <= 300
    assert peaks[-1] - peaks[0] <= 30, "memory grows with the number of rows"
