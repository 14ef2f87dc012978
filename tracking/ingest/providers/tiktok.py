"""TikTok Display API v2: the connected creator's own videos 20 ids a call, and their figures.

Every answer, success or not, comes in one envelope: `{"data": {...}, "error": {"code": "ok",
"message": "", "log_id": "..."}}`; `code` names the error when it is not "ok".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

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
from tracking.models import PostStatus

logger = logging.getLogger(__name__)

VIDEO_FIELDS = (
    "id,create_time,share_url,cover_image_url,view_count,like_count,comment_count,share_count"
)
# avatar_url needs user.info.basic, the counts user.info.stats (PLATFORMS.md 3.1).
USER_FIELDS = "open_id,avatar_url,follower_count,following_count,likes_count,video_count"
# developers.tiktok.com/doc/tiktok-api-v2-error-handling (PLATFORMS.md 3.1).
AUTH_CODES = {"access_token_invalid"}
SCOPE_CODES = {"scope_not_authorized", "scope_permission_missed"}
THROTTLE_CODES = {"rate_limit_exceeded"}
TRANSIENT_CODES = {"internal_error"}
# The limit is 600 calls per one-minute sliding window per endpoint.
THROTTLE_WAIT = timedelta(minutes=1)


class TikTokProvider:
    platform: ClassVar[str] = "tiktok"
    batch_size: ClassVar[int] = 20  # /v2/video/query/ takes at most 20 ids
    needs_connection: ClassVar[bool] = True

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        # Short links (vm.tiktok.com) have no video id until they are resolved.
        outcomes: dict[int, PostOutcome] = {
            ref.key: Unreadable(
                "The TikTok short link has not been resolved to a video id",
                code=ErrorCode.UNSUPPORTED_LINK,
            )
            for ref in posts
            if not ref.platform_id
        }
        with_ids = [ref for ref in posts if ref.platform_id]
        with client(credentials.base_url, platform=self.platform) as http:
            for batch in chunks(with_ids, self.batch_size):
                body = _call(
                    http,
                    credentials,
                    "POST",
                    "/v2/video/query/",
                    params={"fields": VIDEO_FIELDS},
                    json={"filters": {"video_ids": [ref.platform_id for ref in batch]}},
                )
                outcomes.update(_read_videos(batch, body))
        return outcomes

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        # user/info reads the token's own user: the connection is the creator's account.
        with client(credentials.base_url, platform=self.platform) as http:
            body = _call(http, credentials, "GET", "/v2/user/info/", params={"fields": USER_FIELDS})
            recent = _recent_videos(http, credentials)
        user = _section(body, "data").get("user")
        if not isinstance(user, dict):
            raise ProviderError("TikTok answered user info without a user")
        try:
            return AccountFigures(
                followers=as_count(user.get("follower_count")),
                following=as_count(user.get("following_count")),
                posts_count=as_count(user.get("video_count")),
                raw=user,
                recent_posts=recent,
                avatar_url=https_url(user.get("avatar_url")),
            )
        except BadValue as exc:
            raise ProviderError(f"TikTok user info: {exc}") from exc


def _recent_videos(http: httpx.Client, credentials: Credentials) -> tuple[RecentPost, ...]:
    """The token user's latest videos (video.list scope); any trouble leaves them out and
    keeps the user's own figures."""
    try:
        body = _call(
            http,
            credentials,
            "POST",
            "/v2/video/list/",
            params={"fields": VIDEO_FIELDS},
            json={"max_count": RECENT_POSTS},
        )
    except ProviderError as exc:
        logger.info("TikTok video list not read: %s", exc.detail)
        return ()
    videos = _section(body, "data").get("videos")
    recent = []
    for video in videos if isinstance(videos, list) else []:
        outcome = _video_outcome(video) if isinstance(video, dict) else None
        if isinstance(outcome, Fetched) and video.get("id"):
            recent.append(
                RecentPost(
                    str(video["id"]),
                    outcome.published_at,
                    outcome.counters,
                    url=https_url(video.get("share_url")),
                    cover_url=outcome.thumbnail_url,
                )
            )
    return tuple(recent)


def _call(
    http: httpx.Client, credentials: Credentials, method: str, path: str, **kwargs: Any
) -> dict[str, Any]:
    response = send(
        http, method, path, headers={"Authorization": f"Bearer {credentials.token}"}, **kwargs
    )
    if response.status_code != 200:
        raise _failure(response)
    body = json_object(response)
    if _error(body)[0] not in ("ok", ""):
        raise _failure(response)
    return body


def _failure(response: httpx.Response) -> ProviderError:
    try:
        code, message, log_id = _error(response.json())
    except ValueError:
        code, message, log_id = "", "", ""
    detail = f"TikTok HTTP {response.status_code} {code}: {message} (log_id {log_id or '-'})"
    if code in SCOPE_CODES:
        return AuthExpired(detail, code=ErrorCode.FORBIDDEN)
    if code in AUTH_CODES or response.status_code == 401:
        return AuthExpired(detail)
    if code in THROTTLE_CODES or response.status_code == 429:
        return RateLimited(detail, retry_at=retry_after(response, default=THROTTLE_WAIT))
    if code in TRANSIENT_CODES or response.status_code >= 500:
        return TemporaryFailure(detail)
    return ProviderError(detail)


def _error(body: Any) -> tuple[str, str, str]:
    """Code, message and log_id of the envelope's error object; empty strings when absent."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "", "", ""
    return (
        str(error.get("code") or ""),
        str(error.get("message") or "")[:300],
        str(error.get("log_id") or ""),
    )


def _read_videos(batch: Sequence[PostRef], body: dict[str, Any]) -> dict[int, PostOutcome]:
    videos = _section(body, "data").get("videos")
    if not isinstance(videos, list):
        return {ref.key: Unreadable("TikTok answered without a videos list") for ref in batch}
    found = {str(video.get("id")): video for video in videos if isinstance(video, dict)}
    outcomes: dict[int, PostOutcome] = {}
    for ref in batch:
        video = found.get(ref.platform_id)
        if video is None:
            # The query returns only the token user's videos that still exist.
            outcomes[ref.key] = Gone(
                PostStatus.DELETED, "TikTok no longer returns this video for the connected account"
            )
        else:
            outcomes[ref.key] = _video_outcome(video)
    return outcomes


def _video_outcome(video: dict[str, Any]) -> PostOutcome:
    try:
        # The Display API has no saves (favorites) count and no reach: left out, not 0.
        counters = {
            "views": as_count(video.get("view_count")),
            "likes": as_count(video.get("like_count")),
            "comments": as_count(video.get("comment_count")),
            "shares": as_count(video.get("share_count")),
        }
    except BadValue as exc:
        return Unreadable(f"TikTok video: {exc}")
    return Fetched(
        counters=counters,
        raw=video,
        published_at=_epoch(video.get("create_time")),
        thumbnail_url=https_url(video.get("cover_image_url")),
    )


def _epoch(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def _section(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    return value if isinstance(value, dict) else {}
