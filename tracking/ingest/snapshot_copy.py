"""The PostgreSQL write path for snapshots: COPY into a staging table, then one upsert.

A pull of thousands of posts, or an import of a million rows, streams through here in chunks:
rows are never all in memory (only each post's newest capture is), each chunk is one binary
COPY and one set-based upsert, and the newest capture of a post's hour wins whatever order
the rows arrive in. The posts' latest counters are written once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection

from tracking.models import COUNTERS, MetricSnapshot, Post

CHUNK_ROWS = 50_000
COLUMNS = ("workspace_id", "post_id", "captured_at", "bucket", "source", "raw", *COUNTERS)
COLUMN_TYPES = ["int8", "int8", "timestamptz", "timestamptz", "text", "jsonb"] + ["int8"] * len(
    COUNTERS
)
LATEST_COLUMNS = ("post_id", "captured_at", *COUNTERS)
STAGE = "tracking_snapshot_stage"
LATEST = "tracking_snapshot_latest"


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def copy_snapshots(rows: Iterable[tuple], *, chunk_rows: int = CHUNK_ROWS) -> int:
    """Upsert rows shaped like COLUMNS (raw as a dict); returns how many rows were staged.

    Must run inside a transaction (the staging tables live until it commits).
    """
    newest: dict[int, tuple] = {}  # post → its newest (captured_at, *counters)
    staged = 0
    with connection.cursor() as cursor:
        _create_temp(cursor, STAGE, COLUMNS, MetricSnapshot._meta.db_table)
        for chunk in _chunks(rows, chunk_rows):
            cursor.execute(f"TRUNCATE {STAGE}")
            _copy(cursor, STAGE, COLUMNS, COLUMN_TYPES, chunk)
            _upsert_stage(cursor)
            _keep_newest(newest, chunk)
            staged += len(chunk)
        _update_posts(cursor, newest)
    return staged


def _create_temp(cursor, name: str, columns: Iterable[str], like: str) -> None:
    # Only the columns, no constraints or indexes: staging is a plain heap.
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {name} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {', '.join(columns)} FROM {like} WITH NO DATA"
    )


def _copy(cursor, table: str, columns: Iterable[str], types: list[str], rows: Iterable[tuple]):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _upsert_stage(cursor) -> None:
    """One row per post and hour: the newest capture, and it only replaces an older one."""
    table = MetricSnapshot._meta.db_table
    columns = ", ".join(COLUMNS)
    counters = ", ".join(f"{name} = EXCLUDED.{name}" for name in COUNTERS)
    cursor.execute(
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT DISTINCT ON (post_id, bucket) {columns} FROM {STAGE} "
        "ORDER BY post_id, bucket, captured_at DESC "
        "ON CONFLICT (post_id, bucket) DO UPDATE SET captured_at = EXCLUDED.captured_at, "
        f"source = EXCLUDED.source, raw = EXCLUDED.raw, {counters} "
        f"WHERE {table}.captured_at <= EXCLUDED.captured_at"
    )


def _keep_newest(newest: dict[int, tuple], chunk: list[tuple]) -> None:
    for row in chunk:
        post_id, captured_at = row[1], row[2]
        current = newest.get(post_id)
        if current is None or current[0] <= captured_at:
            newest[post_id] = (captured_at, *row[6:])


def _update_posts(cursor, newest: dict[int, tuple]) -> None:
    """Each post shows its newest capture's counters; an older capture never rolls it back."""
    if not newest:
        return
    posts = Post._meta.db_table
    _create_temp(cursor, LATEST, LATEST_COLUMNS, MetricSnapshot._meta.db_table)
    cursor.execute(f"TRUNCATE {LATEST}")
    types = ["int8", "timestamptz"] + ["int8"] * len(COUNTERS)
    _copy(cursor, LATEST, LATEST_COLUMNS, types, ((post, *v) for post, v in newest.items()))
    latest_set = ", ".join(f"{name} = COALESCE(s.{name}, p.{name})" for name in COUNTERS)
    cursor.execute(
        f"UPDATE {posts} p SET {latest_set}, last_pulled_at = s.captured_at "  # noqa: S608
        f"FROM {LATEST} s WHERE p.id = s.post_id "
        "AND (p.last_pulled_at IS NULL OR p.last_pulled_at <= s.captured_at)"
    )
