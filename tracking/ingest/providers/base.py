"""The one small interface every platform provider implements, and its typed outcomes.

A provider is given a batch of posts and the credentials to read them with, and answers, per
post, what it found. Trouble that concerns the whole batch (quota, throttling, a dead token, a
network failure) is raised as a ProviderError subclass, so the pipeline reacts once per batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from kolhub.redaction import redact

logger = logging.getLogger(__name__)

Counters = dict[str, int | None]


class ErrorCode(StrEnum):
    """Why a post (or a connection) could not be read: stored with the post next to the
    platform's own words, and shown as a translated sentence (tracking.ingest.errors)."""

    NOT_CONFIGURED = "not_configured"  # no connection or key to read with
    CONNECTION_OFF = "connection_off"  # the connection is disconnected or needs reconnecting
    AUTH_EXPIRED = "auth_expired"  # the platform refused the token (Graph 190, TikTok)
    KEY_INVALID = "key_invalid"  # YouTube keyInvalid, keyExpired, ipRefererBlocked…
    FORBIDDEN = "forbidden"  # YouTube forbidden, TikTok missing scope
    QUOTA_EXCEEDED = "quota_exceeded"  # YouTube's daily quota is used up
    RATE_LIMITED = "rate_limited"  # throttled (Graph 4, 17, 32, 613; HTTP 429)
    NO_PERMISSION = "no_permission"  # Graph 10: insights withheld
    NOT_FOUND = "not_found"  # Graph 100/33, YouTube or TikTok 404
    DELETED = "deleted"  # gone from the platform
    PRIVATE = "private"  # made private
    NOT_LISTED = "not_listed"  # older than the account's media listing reaches
    NOT_OWN_ACCOUNT = "not_own_account"  # read through an account that is not its author's
    # Public figures only, and the author's public account cannot be looked up: a personal or
    # age-gated Instagram account (business discovery answers nothing, or 110/2207013).
    NOT_DISCOVERABLE = "not_discoverable"
    NOT_PUBLICLY_LISTED = "not_publicly_listed"  # not among the author's public posts
    NO_HANDLE = "no_handle"  # the creator's profile has no handle on the post's platform
    UNSUPPORTED_LINK = "unsupported_link"  # a story or an unresolved short link
    UNSUPPORTED_PLATFORM = "unsupported_platform"  # no provider for the platform
    BAD_ANSWER = "bad_answer"  # an answer we cannot trust
    TIMEOUT = "timeout"
    NETWORK = "network"  # refused, reset, DNS
    PLATFORM_DOWN = "platform_down"  # HTTP 5xx, Graph 1/2, TikTok internal_error
    FAILED = "failed"  # anything else


# The codes that say a connection is missing or broken: a person fixes them in Settings →
# Platform connections, and retrying alone cannot.
SETUP_CODES = frozenset(
    {
        ErrorCode.NOT_CONFIGURED,
        ErrorCode.CONNECTION_OFF,
        ErrorCode.AUTH_EXPIRED,
        ErrorCode.KEY_INVALID,
        ErrorCode.FORBIDDEN,
        ErrorCode.UNSUPPORTED_PLATFORM,
        ErrorCode.NOT_OWN_ACCOUNT,
        ErrorCode.NOT_DISCOVERABLE,
    }
)
GONE_CODES = frozenset({ErrorCode.DELETED, ErrorCode.PRIVATE, ErrorCode.NOT_FOUND})


@dataclass(frozen=True)
class PostRef:
    """A post as a provider needs it: our key, the platform's id and the URL."""

    key: int
    platform_id: str
    url: str = ""
    published_at: datetime | None = None
    # The author's handle on the post's platform (from the creator's accounts), by which a
    # connection that is not the author's finds the post among their public posts.
    author_handle: str = ""


@dataclass(frozen=True)
class AccountRef:
    key: int
    platform_id: str
    handle: str = ""
    # Whether the credentials are this account's own (its insights and audience are readable)
    # rather than a workspace connection that can see only public figures.
    by_owner: bool = False


@dataclass(frozen=True)
class Credentials:
    """What a provider calls the platform with: an API key or an access token, and where."""

    token: str
    base_url: str
    account_id: str = ""  # the connected account's platform id (Instagram user, Page)
    connection_id: int | None = None
    # Whether the connected account is the posts' author's (a creator's own connection). Only
    # then does a post missing from its media, or an object the platform cannot find, prove a
    # deletion: through a brand's account a creator's post is simply not there to see.
    reads_own_posts: bool = False
    # Whether `token` is an OAuth access token (sent as a Bearer token) rather than an API key;
    # a YouTube connection may be either: a key, or a creator's Google grant.
    bearer: bool = False


# Per-post outcomes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    counters: Counters
    raw: dict[str, Any] = field(default_factory=dict)
    published_at: datetime | None = None
    # Where the platform serves the post's cover image now; CDN addresses expire (TikTok's
    # after 6 h, Meta's signed ones sooner), so the worker copies the image at once.
    thumbnail_url: str = ""
    # How long the post was watched in all, in minutes (YouTube Analytics, Instagram reels):
    # only its author's own token reads it; None when the platform did not say.
    watch_minutes: int | None = None


@dataclass(frozen=True)
class Gone:
    """The platform no longer shows the post publicly."""

    status: str  # PostStatus.DELETED or PostStatus.PRIVATE
    detail: str

    @property
    def code(self) -> ErrorCode:
        return ErrorCode.PRIVATE if self.status == "private" else ErrorCode.DELETED


@dataclass(frozen=True)
class Unreadable:
    """The platform answered with something we cannot trust; the last good counters stay."""

    detail: str
    code: ErrorCode = ErrorCode.BAD_ANSWER


PostOutcome = Fetched | Gone | Unreadable


@dataclass(frozen=True)
class RecentPost:
    """One of an account's latest posts as the platform lists them, sponsored or not: the
    baseline a campaign's posts are held against. `platform_id` is in the form a post URL
    parses to (tracking.Post.platform_id), so campaign posts can be told apart."""

    platform_id: str
    published_at: datetime | None
    counters: Counters
    # The post on the platform (its permalink), and where the platform serves its cover now
    # (an address that expires; the worker copies the image). Empty when not given.
    url: str = ""
    cover_url: str = ""


@dataclass(frozen=True)
class CommentTexts:
    """Comments left on an account's latest posts, for the duplicate-or-generic-comments
    signal: their texts only, never who wrote them."""

    texts: tuple[str, ...]
    posts: tuple[str, ...]  # the posts whose comments were read, by RecentPost.platform_id


@dataclass(frozen=True)
class AccountFigures:
    followers: int | None
    following: int | None = None
    posts_count: int | None = None
    audience: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    recent_posts: tuple[RecentPost, ...] = ()
    # None when no sample was read: comments off, not permitted, or the quota kept for posts.
    comments: CommentTexts | None = None
    # Where the platform serves the account's profile picture now (https, or "" when it
    # has none or did not say); copied by the worker like covers.
    avatar_url: str = ""


# How many of an account's latest posts are read for its baseline (and engagement rate).
RECENT_POSTS = 12
# A comment sample: up to COMMENTS_PER_POST comments of each of the account's latest few posts
# that have any (YouTube: one page, one quota unit a post). Enough for the signal (it needs
# 30) at a few calls an account a day.
COMMENT_POSTS = 3
COMMENTS_PER_POST = 100
UNDATED = datetime.min.replace(tzinfo=UTC)  # sorts a post without a date last


def sampled_posts(recent: Sequence[RecentPost]) -> list[RecentPost]:
    """The latest COMMENT_POSTS posts that have comments: a post known to have none is not
    worth a call (an unknown count is tried)."""
    with_comments = [post for post in recent if post.counters.get("comments") != 0]
    with_comments.sort(key=lambda post: post.published_at or UNDATED, reverse=True)
    return with_comments[:COMMENT_POSTS]


def comment_text(value: Any) -> str:
    """A comment's text as a sample keeps it; "" (left out) when there is none."""
    return value.strip() if isinstance(value, str) else ""


def comment_sample(
    posts: Sequence[RecentPost],
    read: Callable[[RecentPost], Iterable[Any] | None],
    *,
    service: str,
) -> CommentTexts | None:
    """The comment texts of these posts, `read` one post at a time: it gives the post's texts,
    None to leave the post out (comments off, deleted), or raises the ProviderError that ends
    the sample (throttled, out of quota, not permitted), which the account's figures survive.
    Blank texts are left out; no text at all is no sample."""
    texts: list[str] = []
    read_from: list[str] = []
    try:
        for post in posts:
            found = read(post)
            if found is not None:
                texts += [text for text in map(comment_text, found) if text]
                read_from.append(post.platform_id)
    except ProviderError as exc:
        logger.info("%s comments not sampled: %s", service, exc.detail)
        return None
    return CommentTexts(tuple(texts), tuple(read_from)) if texts else None


# Batch-level outcomes ------------------------------------------------------------------------


class ProviderError(Exception):
    """Something stopped the whole batch; `code` and `detail` are kept on each post it left
    unread as its last error."""

    default_code: ClassVar[ErrorCode] = ErrorCode.FAILED

    def __init__(self, detail: str, *, code: ErrorCode | None = None):
        # Kept on posts and connections, shown and printed: never with a credential in it.
        detail = redact(detail)
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code


class RateLimited(ProviderError):
    """Throttled or out of quota: nothing is tried again before `retry_at`."""

    default_code = ErrorCode.RATE_LIMITED

    def __init__(self, detail: str, *, retry_at: datetime, code: ErrorCode | None = None):
        super().__init__(detail, code=code)
        self.retry_at = retry_at


class AuthExpired(ProviderError):
    """The token is expired or revoked: a person must reconnect; retrying cannot help."""

    default_code = ErrorCode.AUTH_EXPIRED


class TemporaryFailure(ProviderError):
    """A network error or a 5xx: worth retrying after a backoff."""

    default_code = ErrorCode.PLATFORM_DOWN


class NotConfigured(ProviderError):
    """No API key or connection to read these posts with."""

    default_code = ErrorCode.NOT_CONFIGURED


class CommentsUnavailable(ProviderError):
    """A post's comments cannot be read: turned off by its owner, or not this token's to read.
    That post gives no comments; the account's figures are not affected."""

    default_code = ErrorCode.NO_PERMISSION


class Provider(Protocol):
    platform: ClassVar[str]
    batch_size: ClassVar[int]
    # Whether the provider needs a workspace connection (a token) or can work from settings.
    needs_connection: ClassVar[bool]

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]: ...

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures: ...
