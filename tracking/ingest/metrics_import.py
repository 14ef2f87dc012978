"""Metrics typed into a spreadsheet (platforms without API access, screenshots, agencies'
reports): one row per post and time, validated row by row, applied all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from creators.parsing import normalise_text, parse_count
from creators.post_urls import PostUrlError, parse_post_url
from kolhub.models import Workspace
from kolhub.spreadsheets import ImportSummary, RowError
from tracking.ingest.snapshots import SnapshotRow, capture_bucket, snapshots_write
from tracking.models import COUNTERS, MetricSnapshot, Post

# Header spellings people use, in both languages; matched without case, spaces or punctuation.
COLUMN_SYNONYMS = {
    "url": ("url", "post url", "post", "link", "連結", "貼文連結", "網址", "貼文"),
    "captured_at": ("captured at", "captured", "date", "time", "日期", "時間", "擷取時間"),
    "views": ("views", "plays", "觀看", "觀看數", "觀看次數", "播放", "播放數"),
    "reach": ("reach", "觸及", "觸及人數"),
    "impressions": ("impressions", "曝光", "曝光數", "曝光次數"),
    "likes": ("likes", "讚", "按讚", "按讚數", "喜歡"),
    "comments": ("comments", "留言", "留言數", "回覆"),
    "shares": ("shares", "分享", "分享數"),
    "saves": ("saves", "saved", "收藏", "收藏數", "儲存", "儲存數"),
}


def _key(header: str) -> str:
    return re.sub(r"[\s_\-:：/()（）]+", "", normalise_text(header).lower())


FIELD_BY_KEY = {_key(s): name for name, spellings in COLUMN_SYNONYMS.items() for s in spellings}


@dataclass
class MetricsRow:
    row: int
    post: Post
    captured_at: datetime
    counters: dict[str, int | None]


def parse_metrics(
    frame: pd.DataFrame, workspace: Workspace
) -> tuple[list[MetricsRow], list[RowError]]:
    columns = {name: FIELD_BY_KEY.get(_key(name)) for name in frame.columns}
    missing = [f for f in ("url", "captured_at") if f not in columns.values()]
    if missing:
        message = _(
            "The file needs a post URL column and a date column (for example “post url” and "
            "“captured at”, or 貼文連結 and 日期)."
        )
        return [], [RowError(0, "", message)]
    if not any(field in COUNTERS for field in columns.values()):
        message = _("The file has no counter column (views, reach, likes, comments, …).")
        return [], [RowError(0, "", message)]
    posts = _followed_posts(workspace, frame[_column(columns, "url")])
    zone = ZoneInfo(workspace.timezone)
    rows: list[MetricsRow] = []
    errors: list[RowError] = []
    for index, record in enumerate(frame.to_dict("records")):
        row, row_errors = _parse_row(index + 2, record, columns, posts, zone)
        errors.extend(row_errors)
        if row is not None and not row_errors:
            rows.append(row)
    _report_repeats(rows, errors)
    invalid = {error.row for error in errors}
    return [row for row in rows if row.row not in invalid], errors


def _followed_posts(workspace: Workspace, urls: pd.Series) -> dict[tuple[str, str], Post]:
    """The workspace's posts that the file's URLs name, by platform id and by URL."""
    ids, plain = set(), set()
    for text in urls:
        try:
            parsed = parse_post_url(str(text))
        except PostUrlError:
            continue
        ids.add(parsed.platform_id)
        plain.add(parsed.url)
    posts = Post.objects.for_workspace(workspace).filter(
        Q(platform_id__in=ids - {""}) | Q(url__in=plain)
    )
    found: dict[tuple[str, str], Post] = {}
    for post in posts:
        found[("url", post.url)] = post
        if post.platform_id:
            found[(post.platform, post.platform_id)] = post
    return found


def _parse_row(number, record, columns, posts, zone) -> tuple[MetricsRow | None, list[RowError]]:
    errors: list[RowError] = []
    values = {field: str(record[name]).strip() for name, field in columns.items() if field}
    url_column = _column(columns, "url")
    post = None
    try:
        parsed = parse_post_url(values["url"])
    except PostUrlError as exc:
        errors.append(RowError(number, url_column, str(exc)))
    else:
        post = posts.get((parsed.platform, parsed.platform_id)) or posts.get(("url", parsed.url))
        if post is None:
            errors.append(
                RowError(
                    number,
                    url_column,
                    _("No followed post has this URL; record it on its deliverable first."),
                )
            )
    captured_at = _parse_when(values["captured_at"], zone)
    if captured_at is None:
        errors.append(
            RowError(
                number,
                _column(columns, "captured_at"),
                _("“%(value)s” is not a date and time (example: 2026-11-23 14:00).")
                % {"value": values["captured_at"][:40]},
            )
        )
    elif captured_at > timezone.now():
        errors.append(
            RowError(number, _column(columns, "captured_at"), _("The date is in the future."))
        )
    counters: dict[str, int | None] = {}
    for field in COUNTERS:
        if field not in values:
            continue
        try:
            counters[field] = parse_count(values[field])
        except ValueError as exc:
            errors.append(RowError(number, _column(columns, field), str(exc)))
    if not errors and all(value is None for value in counters.values()):
        errors.append(RowError(number, "", _("The row has no counter filled in.")))
    if errors or post is None or captured_at is None:
        return None, errors
    return MetricsRow(number, post, captured_at, counters), []


def _column(columns: dict[str, str | None], field: str) -> str:
    return next(name for name, role in columns.items() if role == field)


def _parse_when(text: str, zone: ZoneInfo) -> datetime | None:
    """ISO dates and times; a bare date is noon, a time without zone is the workspace's."""
    text = normalise_text(text).replace("/", "-")
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time(12)) if day else None
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=zone)


def _report_repeats(rows: list[MetricsRow], errors: list[RowError]) -> None:
    seen: dict[tuple[int, datetime], int] = {}
    for row in rows:
        key = (row.post.pk, capture_bucket(row.captured_at))
        if key in seen:
            errors.append(
                RowError(
                    row.row,
                    "",
                    _("Row %(other)s already gives this post's counters for the same hour.")
                    % {"other": seen[key]},
                )
            )
        else:
            seen[key] = row.row


def metrics_import(
    *,
    workspace: Workspace,
    rows: list[MetricsRow],
    errors: list[RowError],
    source: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Write the rows' snapshots; with errors (and without skip_invalid) nothing is written."""
    summary = ImportSummary(
        errors=[e.as_dict() for e in errors],
        skipped=len({e.row for e in errors if e.row}),
        dry_run=dry_run,
    )
    if errors and not skip_invalid:
        return summary
    with transaction.atomic():
        existing = set(
            MetricSnapshot.objects.for_workspace(workspace)
            .filter(post__in={row.post.pk for row in rows})
            .values_list("post_id", "bucket")
        )
        for row in rows:
            if (row.post.pk, capture_bucket(row.captured_at)) in existing:
                summary.updated += 1
            else:
                summary.created += 1
        snapshots_write(
            rows=[
                SnapshotRow(
                    post_id=row.post.pk,
                    workspace_id=workspace.pk,
                    captured_at=row.captured_at,
                    source=source,
                    counters=row.counters,
                )
                for row in rows
            ]
        )
        if dry_run:
            transaction.set_rollback(True)
    return summary
