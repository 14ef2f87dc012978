"""YouTube Analytics API v2, read with a creator's own Google grant (yt-analytics.readonly): the
channel's audience and how long each of its videos was watched.

One call is one report, `GET {base}/reports?ids=channel==MINE&startDate&endDate&metrics
[&dimensions&filters&sort&maxResults]` (developers.google.com/youtube/analytics/reference/
reports/query), answered as a result table: `{"kind": "youtubeAnalytics#resultTable",
"columnHeaders": [{"name", "columnType", "dataType"}], "rows": [[…], …]}`, the columns in the
order asked, dimensions first. `rows` is left out when there is no data: a channel too small
for YouTube to show its demographics, a video without views in the period. The API has its own
quota, apart from the Data API's 10,000 units.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from tracking.ingest.providers.base import (
    AccountRef,
    Credentials,
    Fetched,
    PostOutcome,
    PostRef,
    ProviderError,
)
from tracking.ingest.providers.google import auth_header, google_failure
from tracking.ingest.providers.http import (
    BadValue,
    as_count,
    chunks,
    client,
    json_object,
    send,
)
from tracking.ingest.quota import quota_day, quota_reset_after

logger = logging.getLogger(__name__)

SERVICE = "YouTube Analytics"
# The audience of the last 90 days: long enough for a steady picture of a small channel.
AUDIENCE_DAYS = 90
# Countries kept of the views-by-country report, biggest first (each share is of all views).
COUNTRIES_KEPT = 25
# A report's `filters` takes up to 500 video ids (revision history, 2024-11-15); posts come
# 50 a batch from the Data API, one report each.
MOST_VIDEOS = 500
# No YouTube video is older; the start of a watch-time report whose videos' dates are unknown.
FIRST_DAY = date(2005, 4, 23)


def reads_owner(credentials: Credentials, account: AccountRef | None = None) -> bool:
    """Whether the credentials are a creator's Google grant on their own channel (or posts):
    only then does YouTube Analytics answer about it."""
    owner = account.by_owner if account is not None else credentials.reads_own_posts
    return credentials.bearer and owner


def analytics_client() -> httpx.Client:
    # The Data API's call budget: both are the same creator's YouTube, read by the same worker.
    return client(settings.PROVIDER_BASE_URLS["youtube_analytics"], platform="youtube")


def report(http: httpx.Client, credentials: Credentials, params: dict[str, str]) -> dict[str, Any]:
    """One report's answer; a failed call raises its batch-level error (google_failure)."""
    query = {"ids": "channel==MINE", "endDate": _today().isoformat(), **params}
    response = send(http, "GET", "/reports", params=query, headers=auth_header(credentials))
    if response.status_code != 200:
        raise google_failure(
            response,
            service=SERVICE,
            credentials=credentials,
            quota_reset=lambda: quota_reset_after(timezone.now()),
        )
    return json_object(response)


def table(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows as {column name: value}; none when YouTube has no data. Raises BadValue when
    the answer is not a result table."""
    headers = body.get("columnHeaders")
    rows = body.get("rows", [])
    if not isinstance(headers, list) or not isinstance(rows, list):
        raise BadValue("YouTube Analytics answered without a result table")
    names = [
        header["name"]
        for header in headers
        if isinstance(header, dict) and isinstance(header.get("name"), str)
    ]
    if len(names) != len(headers):
        raise BadValue("YouTube Analytics answered columns without names")
    if not all(isinstance(row, list) and len(row) == len(names) for row in rows):
        raise BadValue("YouTube Analytics answered rows that do not match its columns")
    return [dict(zip(names, row, strict=True)) for row in rows]


def quantity(value: Any) -> float:
    """A percentage, a number of views or minutes: a finite number ≥ 0, else BadValue."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValue(f"expected a number, got {str(value)[:40]!r}")
    if not math.isfinite(value) or value < 0:
        raise BadValue(f"expected a number, got {value!r}")
    return float(value)


# The channel's audience --------------------------------------------------------------------


def channel_audience(
    http: httpx.Client, credentials: Credentials
) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """(AccountFigures.audience, the answers) of the last AUDIENCE_DAYS days: viewers' age
    groups and genders as YouTube reports them (viewerPercentage, "age18-24", "female",
    "user_specified"), and countries by their share of views. A dimension YouTube withholds
    or answers in a shape we cannot read is left out; the channel's other figures count."""
    since = (_today() - timedelta(days=AUDIENCE_DAYS)).isoformat()
    viewers = report(
        http,
        credentials,
        {"startDate": since, "metrics": "viewerPercentage", "dimensions": "ageGroup,gender"},
    )
    countries = report(
        http,
        credentials,
        {"startDate": since, "metrics": "views", "dimensions": "country", "sort": "-views"},
    )
    audience = {
        "age": _shares(viewers, "ageGroup", "viewerPercentage"),
        "gender": _shares(viewers, "gender", "viewerPercentage"),
        "countries": _shares(countries, "country", "views", keep=COUNTRIES_KEPT),
    }
    raw = {"viewer_percentage": viewers, "views_by_country": countries}
    return {dimension: shares for dimension, shares in audience.items() if shares}, raw


def _shares(body: dict[str, Any], column: str, metric: str, *, keep: int = 0) -> dict[str, float]:
    """Each value of `column` with its share of the metric's total (the rows of an age × gender
    table add up per age group, and per gender); the `keep` largest when given."""
    try:
        totals: dict[str, float] = {}
        for row in table(body):
            bucket = row.get(column)
            if not isinstance(bucket, str) or not bucket:
                raise BadValue(f"a {column} that is not a name: {str(bucket)[:40]!r}")
            totals[bucket] = totals.get(bucket, 0.0) + quantity(row.get(metric))
    except BadValue:
        return {}
    whole = sum(totals.values())
    if not whole:
        return {}
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return {bucket: value / whole for bucket, value in ranked[: keep or None] if value}


# Watch time of the channel's videos ----------------------------------------------------------


def with_watch_time(
    credentials: Credentials, posts: Sequence[PostRef], outcomes: dict[int, PostOutcome]
) -> dict[int, PostOutcome]:
    """The outcomes with each read video's watch time and shares, as YouTube Analytics knows
    them. Watch time comes on top of the Data API's counters: whatever stops it (a grant
    without the analytics permission, throttling, an answer we cannot read) leaves those
    counters as read and is noted in the snapshot's raw answer."""
    read = [ref for ref in posts if isinstance(outcomes.get(ref.key), Fetched)]
    if not read:
        return outcomes
    rows: dict[str, dict[str, Any]] = {}
    try:
        with analytics_client() as http:
            for chunk in chunks(read, MOST_VIDEOS):
                since = _first_day([outcomes[ref.key] for ref in chunk])
                rows |= watch_time(
                    http, credentials, [ref.platform_id for ref in chunk], since=since
                )
    except (ProviderError, BadValue) as exc:
        detail = exc.detail if isinstance(exc, ProviderError) else str(exc)
        logger.info("YouTube watch time not read: %s", detail)
        return outcomes | {ref.key: _noted(outcomes[ref.key], detail) for ref in read}
    return outcomes | {
        ref.key: _watched(outcomes[ref.key], rows.get(ref.platform_id)) for ref in read
    }


def _first_day(outcomes: list[PostOutcome]) -> date | None:
    """The day the oldest video came out, in YouTube's days; None when one is unknown."""
    published = [o.published_at for o in outcomes if isinstance(o, Fetched)]
    if not published or any(when is None for when in published):
        return None
    return min(quota_day(when) for when in published if when is not None)


def _watched(outcome: PostOutcome, found: dict[str, Any] | None) -> PostOutcome:
    if not isinstance(outcome, Fetched) or found is None:
        return outcome
    counters = dict(outcome.counters)
    if found["shares"] is not None:
        counters["shares"] = found["shares"]
    return replace(
        outcome,
        counters=counters,
        raw={**outcome.raw, "analytics": found["row"]},
        watch_minutes=found["watch_minutes"],
    )


def _noted(outcome: PostOutcome, detail: str) -> PostOutcome:
    if not isinstance(outcome, Fetched):
        return outcome
    return replace(outcome, raw={**outcome.raw, "analytics_error": detail})


def watch_time(
    http: httpx.Client, credentials: Credentials, videos: Iterable[str], *, since: date | None
) -> dict[str, dict[str, Any]]:
    """Each video's minutes watched and shares by video id, from `since` (its publication) to
    today; the average view duration (seconds) stays in the row. A video of another channel, or one
    without a view yet, has no row. Raises BadValue when the answer cannot be read."""
    ids = list(dict.fromkeys(videos))[:MOST_VIDEOS]
    body = report(
        http,
        credentials,
        {
            "startDate": (since or FIRST_DAY).isoformat(),
            "metrics": "estimatedMinutesWatched,averageViewDuration,shares",
            "dimensions": "video",
            "filters": "video==" + ",".join(ids),
            # The video report wants a sort and a row limit.
            "sort": "-estimatedMinutesWatched",
            "maxResults": str(len(ids)),
        },
    )
    rows = {}
    for row in table(body):
        video = row.get("video")
        if isinstance(video, str):
            rows[video] = {
                "watch_minutes": as_count(round(quantity(row.get("estimatedMinutesWatched")))),
                "shares": as_count(row.get("shares")),
                "row": row,
            }
    return rows


def _today() -> date:
    # YouTube Analytics counts days in Pacific time, as the Data API's quota does.
    return quota_day(timezone.now())
