"""YouTube Data API v3: video statistics 50 ids a call, channel statistics, a comment sample,
daily quota; with a creator's own Google grant, YouTube Analytics adds watch time and the
channel's audience."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx
from django.conf import settings
from django.utils.dateparse import parse_datetime

from tracking.ingest.providers.base import (
    COMMENTS_PER_POST,
    RECENT_POSTS,
    AccountFigures,
    AccountRef,
    CommentsUnavailable,
    CommentTexts,
    Credentials,
    ErrorCode,
    Fetched,
    Gone,
    PostOutcome,
    PostRef,
    ProviderError,
    RecentPost,
    Unreadable,
    comment_sample,
    comment_text,
    sampled_posts,
)
from tracking.ingest.providers.google import auth_header, error_reasons, google_failure
from tracking.ingest.providers.http import (
    BadValue,
    as_count,
    chunks,
    client,
    https_url,
    json_object,
    send,
)
from tracking.ingest.providers.youtube_analytics import (
    analytics_client,
    channel_audience,
    reads_owner,
    with_watch_time,
)
from tracking.ingest.quota import quota_exhaust, quota_spend, quota_spent_today
from tracking.models import PostStatus

logger = logging.getLogger(__name__)

# Units per call (developers.google.com/youtube/v3/determine_quota_cost).
LIST_COST = 1
GONE_UPLOAD_STATUSES = {"deleted", "rejected", "failed"}
# commentThreads.list: the owner turned the video's comments off (403 commentsDisabled); or
# the video is gone (404) or its threads are not ours to read (403 forbidden), which says
# nothing about the channel or the key.
COMMENTS_OFF_REASONS = {"commentsDisabled"}
VIDEO_COMMENTS_UNREADABLE = {ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN}
# Comments are sampled only while the day's spending stays under this share of the quota:
# the rest is kept for the campaign posts' pulls, which matter more.
COMMENT_QUOTA_SHARE = 0.8
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
        if reads_owner(credentials):
            outcomes = with_watch_time(credentials, posts, outcomes)
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
            comments = self._comment_sample(http, credentials, recent)
        audience, analytics = self._audience(account, credentials)
        try:
            hidden = statistics.get("hiddenSubscriberCount") is True
            return AccountFigures(
                followers=None if hidden else as_count(statistics.get("subscriberCount")),
                posts_count=as_count(statistics.get("videoCount")),
                audience=audience,
                raw={**items[0], **analytics},
                recent_posts=recent,
                comments=comments,
                avatar_url=_thumbnail(_section(items[0], "snippet"), CHANNEL_PICTURE_SIZES),
            )
        except BadValue as exc:
            raise ProviderError(f"YouTube channel statistics: {exc}") from exc

    def _audience(
        self, account: AccountRef, credentials: Credentials
    ) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
        """The channel's audience from YouTube Analytics when the grant is the creator's own
        (nothing else reads it). A revoked grant, throttling or an outage stops the refresh;
        a report refused for this channel alone leaves its audience unknown."""
        if not reads_owner(credentials, account):
            return {}, {}
        try:
            with analytics_client() as http:
                audience, answers = channel_audience(http, credentials)
        except ProviderError as exc:
            if type(exc) is not ProviderError:
                raise
            logger.info("YouTube audience of %s not read: %s", account.key, exc.detail)
            return {}, {"analytics_error": exc.detail}
        return audience, {"analytics": answers}

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

    def _comment_sample(
        self, http: httpx.Client, credentials: Credentials, recent: tuple[RecentPost, ...]
    ) -> CommentTexts | None:
        """Top-level comments of the latest uploads, one page (one unit) a video, while the
        day's quota is not tight. A video with comments off gives none; throttling, the quota
        or any other trouble ends the sample (the channel's figures still count)."""
        videos = sampled_posts(recent)
        if not videos or not self._quota_allows(credentials, units=len(videos) * LIST_COST):
            return None
        return comment_sample(
            videos,
            lambda video: self._video_comments(http, credentials, video.platform_id),
            service="YouTube",
        )

    def _quota_allows(self, credentials: Credentials, *, units: int) -> bool:
        spent = quota_spent_today(platform=self.platform, token=credentials.token)
        return spent + units <= settings.YOUTUBE_DAILY_QUOTA * COMMENT_QUOTA_SHARE

    def _video_comments(
        self, http: httpx.Client, credentials: Credentials, video: str
    ) -> list[str] | None:
        """The texts of a video's newest top-level comments (never their authors); None when
        the video's comments are off, or it is gone or not ours to read."""
        try:
            body = self._get(
                http,
                credentials,
                "/commentThreads",
                {
                    "part": "snippet",
                    "videoId": video,
                    "maxResults": str(COMMENTS_PER_POST),
                    # The newest, not the most "relevant": a slice of what the audience
                    # leaves now, rather than what YouTube chose to show first.
                    "order": "time",
                    "textFormat": "plainText",
                },
            )
        except ProviderError as exc:
            if isinstance(exc, CommentsUnavailable) or exc.code in VIDEO_COMMENTS_UNREADABLE:
                return None
            raise
        return [_comment(item) for item in body.get("items") or [] if isinstance(item, dict)]

    def _get(
        self, http: httpx.Client, credentials: Credentials, path: str, params: dict[str, str]
    ) -> dict[str, Any]:
        quota_spend(
            platform=self.platform,
            token=credentials.token,
            units=LIST_COST,
            limit=settings.YOUTUBE_DAILY_QUOTA,
        )
        response = send(http, "GET", path, params=params, headers=auth_header(credentials))
        if response.status_code != 200:
            raise self._error(response, credentials)
        return json_object(response)

    def _error(self, response: httpx.Response, credentials: Credentials) -> ProviderError:
        reasons, message = error_reasons(response)
        if reasons & COMMENTS_OFF_REASONS:
            return CommentsUnavailable(f"YouTube HTTP {response.status_code}: {message}")
        return google_failure(
            response,
            service="YouTube",
            credentials=credentials,
            # Out of quota: the day's units are booked as spent, so no worker calls again.
            quota_reset=lambda: quota_exhaust(
                platform=self.platform, token=credentials.token, limit=settings.YOUTUBE_DAILY_QUOTA
            ),
        )

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


def _comment(thread: dict[str, Any]) -> str:
    """A comment thread's top-level text: textOriginal is returned only to those allowed to
    see it (the comment's author), textDisplay (plain text, as asked) to anyone."""
    snippet = _section(_section(_section(thread, "snippet"), "topLevelComment"), "snippet")
    return comment_text(snippet.get("textOriginal")) or comment_text(snippet.get("textDisplay"))
