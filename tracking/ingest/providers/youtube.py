"""YouTube Data API v3: video statistics 50 ids a call, channel statistics, daily quota."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

import httpx
from django.conf import settings
from django.utils.dateparse import parse_datetime

from tracking.ingest.providers.base import (
    RECENT_POSTS,
    AccountFigures,
    AccountRef,
    AuthExpired,
    Credentials,
    ErrorCode,
    Fetched,
    Gone,
    PostOutcome,
    PostRef,
    ProviderError,
    RateLimited,
    RecentPost,
    TemporaryFailure,
    Unreadable,
)
from tracking.ingest.providers.http import (
    BadValue,
    as_count,
    chunks,
    client,
    https_url,
    json_object,
    retry_after,
    send,
)
from tracking.ingest.quota import quota_exhaust, quota_spend
from tracking.models import PostStatus

logger = logging.getLogger(__name__)

# Units per call (developers.google.com/youtube/v3/determine_quota_cost).
LIST_COST = 1
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
KEY_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked"}
FORBIDDEN_REASONS = {"forbidden", "insufficientPermissions"}
NOT_FOUND_REASONS = {"videoNotFound", "channelNotFound", "playlistNotFound", "notFound"}
GONE_UPLOAD_STATUSES = {"deleted", "rejected", "failed"}
# snippet.thumbnails sizes by preference (developers.google.com/youtube/v3/docs/thumbnails):
# a video's medium is 320×180; a channel's default is 88×88, medium 240×240, high 800×800.
VIDEO_COVER_SIZES = ("medium", "high", "standard", "default")
CHANNEL_PICTURE_SIZES = ("medium", "high", "default")
WATCH_URL = "https://www.youtube.com/watch?v="


class YouTubeProvider:
    platform: ClassVar[str] = "youtube"
    batch_size: ClassVar[int] = 50
    needs_connection: ClassVar[bool] = False

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        outcomes: dict[int, PostOutcome] = {}
        with client(credentials.base_url, platform=self.platform) as http:
            for batch in chunks(posts, self.batch_size):
                body = self._get(
                    http,
                    credentials,
                    "/videos",
                    {
                        "part": "snippet,statistics,status",
                        "id": ",".join(p.platform_id for p in batch),
                    },
                )
                outcomes.update(self._read_videos(batch, body))
        return outcomes

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        query = (
            {"id": account.platform_id}
            if account.platform_id.startswith("UC")
            else {"forHandle": "@" + account.handle.lstrip("@")}
        )
        with client(credentials.base_url, platform=self.platform) as http:
            body = self._get(
                http,
                credentials,
                "/channels",
                # snippet for the channel's picture: the same one unit of quota.
                {"part": "snippet,statistics,contentDetails", **query},
            )
            items = body.get("items")
            if not isinstance(items, list) or not items or not isinstance(items[0], dict):
                raise ProviderError(
                    f"YouTube has no channel {account.platform_id or account.handle}"
                )
            statistics = items[0].get("statistics")
            if not isinstance(statistics, dict):
                raise ProviderError("YouTube answered a channel without statistics")
            uploads = _section(_section(items[0], "contentDetails"), "relatedPlaylists").get(
                "uploads"
            )
            recent = self._recent_uploads(http, credentials, uploads)
        try:
            hidden = statistics.get("hiddenSubscriberCount") is True
            return AccountFigures(
                followers=None if hidden else as_count(statistics.get("subscriberCount")),
                posts_count=as_count(statistics.get("videoCount")),
                raw=items[0],
                recent_posts=recent,
                avatar_url=_thumbnail(_section(items[0], "snippet"), CHANNEL_PICTURE_SIZES),
            )
        except BadValue as exc:
            raise ProviderError(f"YouTube channel statistics: {exc}") from exc

    def _recent_uploads(
        self, http: httpx.Client, credentials: Credentials, playlist: Any
    ) -> tuple[RecentPost, ...]:
        """The channel's latest uploads with their statistics: two more units of quota. Any
        trouble leaves the baseline empty; the channel's own figures still count."""
        if not isinstance(playlist, str) or not playlist:
            return ()
        try:
            listed = self._get(
                http,
                credentials,
                "/playlistItems",
                {"part": "contentDetails", "playlistId": playlist, "maxResults": str(RECENT_POSTS)},
            )
            listed_ids = [
                _section(item, "contentDetails").get("videoId")
                for item in listed.get("items") or []
                if isinstance(item, dict)
            ]
            ids = [video for video in listed_ids if isinstance(video, str) and video]
            if not ids:
                return ()
            videos = self._get(
                http, credentials, "/videos", {"part": "snippet,statistics", "id": ",".join(ids)}
            )
        except ProviderError as exc:
            logger.info("YouTube uploads not read: %s", exc.detail)
            return ()
        recent = []
        for item in videos.get("items") or []:
            outcome = _video_outcome(item) if isinstance(item, dict) else None
            if isinstance(outcome, Fetched) and isinstance(item.get("id"), str):
                recent.append(
                    RecentPost(
                        item["id"],
                        outcome.published_at,
                        outcome.counters,
                        url=WATCH_URL + item["id"],
                        cover_url=outcome.thumbnail_url,
                    )
                )
        return tuple(recent)

    def _get(
        self, http: httpx.Client, credentials: Credentials, path: str, params: dict[str, str]
    ) -> dict[str, Any]:
        quota_spend(
            platform=self.platform,
            token=credentials.token,
            units=LIST_COST,
            limit=settings.YOUTUBE_DAILY_QUOTA,
        )
        response = send(http, "GET", path, params=params, headers=_auth_header(credentials))
        if response.status_code != 200:
            raise self._error(response, credentials)
        return json_object(response)

    def _error(self, response: httpx.Response, credentials: Credentials) -> ProviderError:
        reasons, message = _error_reasons(response)
        detail = f"YouTube HTTP {response.status_code} {','.join(sorted(reasons))}: {message}"
        if reasons & QUOTA_REASONS:
            reset = quota_exhaust(
                platform=self.platform, token=credentials.token, limit=settings.YOUTUBE_DAILY_QUOTA
            )
            return RateLimited(detail, retry_at=reset, code=ErrorCode.QUOTA_EXCEEDED)
        if reasons & THROTTLE_REASONS or response.status_code == 429:
            return RateLimited(detail, retry_at=retry_after(response, default=timedelta(minutes=1)))
        if reasons & FORBIDDEN_REASONS:
            return AuthExpired(detail, code=ErrorCode.FORBIDDEN)
        if reasons & KEY_REASONS or response.status_code == 401:
            return AuthExpired(detail, code=ErrorCode.KEY_INVALID)
        if response.status_code >= 500:
            return TemporaryFailure(detail)
        if reasons & NOT_FOUND_REASONS or response.status_code == 404:
            return ProviderError(detail, code=ErrorCode.NOT_FOUND)
        return ProviderError(detail)

    def _read_videos(
        self, batch: Sequence[PostRef], body: dict[str, Any]
    ) -> dict[int, PostOutcome]:
        items = body.get("items")
        if not isinstance(items, list):
            return {ref.key: Unreadable("YouTube answered without an items list") for ref in batch}
        found = {item.get("id"): item for item in items if isinstance(item, dict)}
        outcomes: dict[int, PostOutcome] = {}
        for ref in batch:
            item = found.get(ref.platform_id)
            if item is None:
                # YouTube leaves deleted, private and removed videos out of the answer.
                outcomes[ref.key] = Gone(
                    PostStatus.DELETED, "YouTube no longer lists this video (deleted or private)"
                )
            else:
                outcomes[ref.key] = _video_outcome(item)
        return outcomes


def _video_outcome(item: dict[str, Any]) -> PostOutcome:
    status = _section(item, "status")
    if status.get("uploadStatus") in GONE_UPLOAD_STATUSES:
        return Gone(PostStatus.DELETED, f"YouTube upload status is {status['uploadStatus']}")
    if status.get("privacyStatus") == "private":
        return Gone(PostStatus.PRIVATE, "The video is private")
    statistics = item.get("statistics")
    if not isinstance(statistics, dict):
        return Unreadable("YouTube answered a video without statistics")
    try:
        counters = {
            "views": as_count(statistics.get("viewCount")),
            # Missing when the owner hides likes or turns comments off: unknown, not 0.
            "likes": as_count(statistics.get("likeCount")),
            "comments": as_count(statistics.get("commentCount")),
        }
    except BadValue as exc:
        return Unreadable(f"YouTube statistics: {exc}")
    snippet = _section(item, "snippet")
    return Fetched(
        counters=counters,
        raw=item,
        published_at=_when(snippet.get("publishedAt")),
        thumbnail_url=_thumbnail(snippet, VIDEO_COVER_SIZES),
    )


def _auth_header(credentials: Credentials) -> dict[str, str]:
    # A creator's Google grant is a Bearer token; a key goes in a header, not in `key=`:
    # request URLs are logged (httpx, at INFO).
    if credentials.bearer:
        return {"Authorization": f"Bearer {credentials.token}"}
    return {"X-Goog-Api-Key": credentials.token}


def _thumbnail(snippet: dict[str, Any], preference: Sequence[str]) -> str:
    """The first size of `preference` that snippet.thumbnails has with an https address."""
    sizes = _section(snippet, "thumbnails")
    for name in preference:
        url = https_url(_section(sizes, name).get("url"))
        if url:
            return url
    return ""


def _section(item: dict[str, Any], name: str) -> dict[str, Any]:
    value = item.get(name)
    return value if isinstance(value, dict) else {}


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _error_reasons(response: httpx.Response) -> tuple[set[str], str]:
    """The reasons and message of Google's error envelope; empty when it has none."""
    try:
        error = response.json()["error"]
        reasons = {str(item["reason"]) for item in error.get("errors", []) if "reason" in item}
        return reasons, str(error.get("message", ""))[:300]
    except (ValueError, KeyError, AttributeError, TypeError):
        return set(), ""
