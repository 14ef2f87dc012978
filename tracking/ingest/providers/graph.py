"""What the Meta Graph APIs share (Instagram, Facebook Pages, Threads).

The three answer errors in one envelope, `{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}`, throttle with the same codes, page lists with the same cursors and report
insights in the same `data[].name/values[].value` shape, so the providers read them here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kolhub.redaction import redact, redact_json
from tracking.ingest.providers.base import (
    AccountRef,
    AuthExpired,
    Credentials,
    ErrorCode,
    Gone,
    NotConfigured,
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
    https_url,
    json_object,
    retry_after,
    send,
)
from tracking.models import PostStatus

# Error codes (developers.facebook.com/docs/graph-api/guides/error-handling; PLATFORMS.md 2.7).
AUTH_CODES = frozenset({190, 102})  # token expired, revoked or invalid; API session
TRANSIENT_CODES = frozenset({1, 2})
# 4 app, 17 user, 32 page, 613 custom, 341 app limit, 80002 Instagram business use case.
THROTTLE_CODES = frozenset({4, 17, 32, 341, 613, 80002})
INVALID_PARAMETER = 100
OBJECT_MISSING_SUBCODE = 33  # "does not exist, cannot be loaded due to missing permissions…"
# Also "(#10) Not enough viewers for the media to show insights" on Instagram media.
NO_PERMISSION = 10
# A throttled caller that is told nothing more waits this long (BUC windows are an hour).
THROTTLE_WAIT = timedelta(hours=1)

# Account media lists: newest first, about 25 a page. Campaign posts are recent, so a bounded
# look back is enough; a post older than that is reported unreadable, never deleted.
MAX_LISTING_PAGES = 10
# Our published_at may be a date a person typed, in their timezone: look a little further back.
LISTING_SLACK = timedelta(days=2)


@dataclass(frozen=True)
class GraphError:
    """A Graph API error answer, sorted into what it means for the batch."""

    service: str
    http_status: int
    code: int | None
    subcode: int | None
    message: str
    retry_at: datetime

    @property
    def detail(self) -> str:
        code = "" if self.code is None else f" code {self.code}"
        subcode = "" if self.subcode is None else f"/{self.subcode}"
        return f"{self.service} HTTP {self.http_status}{code}{subcode}: {self.message}"

    @property
    def object_missing(self) -> bool:
        """The object was deleted, or is no longer this token's to read."""
        return self.code == INVALID_PARAMETER and self.subcode == OBJECT_MISSING_SUBCODE

    @property
    def insights_withheld(self) -> bool:
        """Insights are refused for this object (too few viewers), its public counts are not."""
        return self.code == NO_PERMISSION

    def failure(self) -> ProviderError:
        """The batch-level error to raise when the caller cannot settle this for one post."""
        if self.code in AUTH_CODES:
            return AuthExpired(self.detail)
        if self.code in THROTTLE_CODES or self.http_status == 429:
            return RateLimited(self.detail, retry_at=self.retry_at)
        if self.code in TRANSIENT_CODES or self.http_status >= 500:
            return TemporaryFailure(self.detail)
        return ProviderError(self.detail, code=self.code_for_one_post)

    @property
    def code_for_one_post(self) -> ErrorCode:
        """What the error says about the object asked for, when it is not batch-level."""
        if self.object_missing:
            return ErrorCode.NOT_FOUND
        if self.insights_withheld:
            return ErrorCode.NO_PERMISSION
        return ErrorCode.FAILED


def graph_error(
    response: httpx.Response, *, service: str, secrets: Sequence[str] = ()
) -> GraphError:
    """The error envelope of a failed call; lenient, since proxies answer with HTML too. The
    message is kept on posts and shown: a token it quotes ("Malformed access token …") is not."""
    try:
        error = response.json()["error"]
        code, subcode = error.get("code"), error.get("error_subcode")
        message = redact(str(error.get("message", "")), secrets)[:300]
    except (ValueError, KeyError, TypeError, AttributeError):
        code, subcode, message = None, None, ""
    return GraphError(
        service=service,
        http_status=response.status_code,
        code=code if isinstance(code, int) else None,
        subcode=subcode if isinstance(subcode, int) else None,
        message=message,
        retry_at=_throttled_until(response),
    )


def _throttled_until(response: httpx.Response) -> datetime:
    """BUC's estimated_time_to_regain_access (minutes) first, then Retry-After, else an hour."""
    minutes = _minutes_to_regain_access(response.headers.get("X-Business-Use-Case-Usage", ""))
    if minutes:
        return timezone.now() + timedelta(minutes=minutes)
    return retry_after(response, default=THROTTLE_WAIT)


def _minutes_to_regain_access(header: str) -> int:
    """The longest wait the header names: {"<business-id>": [{"type", …, "estimated_…"}]}."""
    try:
        usage = json.loads(header) if header else {}
    except ValueError:
        return 0
    if not isinstance(usage, dict):
        return 0
    minutes = [
        entry.get("estimated_time_to_regain_access")
        for entries in usage.values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    return max((m for m in minutes if isinstance(m, int) and not isinstance(m, bool)), default=0)


class Graph:
    """One Graph API host as a provider calls it: with the token, errors sorted."""

    def __init__(
        self, http: httpx.Client, *, token: str, service: str, reads_own_posts: bool = False
    ):
        self.http = http
        self.token = token
        self.service = service
        # Whether the token is the posts' author's: only then is "not there" a deletion.
        self.reads_own_posts = reads_own_posts

    def gone(self, error: GraphError) -> PostOutcome:
        """What "the object does not exist or cannot be loaded" (100/33) means for a post: a
        deletion when the token is its author's; through another account, the post was simply
        never this token's to see, and a false take-down alert is worse than an unread post."""
        if self.reads_own_posts:
            return Gone(PostStatus.DELETED, error.detail)
        return not_own_post(self.service)

    def get(self, path: str, params: dict[str, str]) -> dict[str, Any] | GraphError:
        """The answer's body, or its error for the caller to settle per post or raise."""
        # The token goes in a header, not in `access_token=`: request URLs are logged (httpx,
        # at INFO). The answer's paging URLs may still quote it, so they are redacted.
        response = send(
            self.http, "GET", path, params=params, headers={"Authorization": f"Bearer {self.token}"}
        )
        if response.status_code != 200:
            return graph_error(response, service=self.service, secrets=(self.token,))
        return redact_json(json_object(response), (self.token,))

    def body(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """The answer's body; any error stops the batch."""
        answer = self.get(path, params)
        if isinstance(answer, GraphError):
            raise answer.failure()
        return answer

    def edge(self, path: str, params: dict[str, str], *, most: int) -> list[Any] | GraphError:
        """Up to `most` items of a cursor-paged edge (`{"data": [...], "paging": {...}}`), page
        after page, at most MAX_LISTING_PAGES; an error answer is returned for the caller to
        settle, an answer without data ends the list."""
        items: list[Any] = []
        for _page in range(MAX_LISTING_PAGES):
            answer = self.get(path, params)
            if isinstance(answer, GraphError):
                return answer
            data = answer.get("data")
            if not isinstance(data, list):
                break
            items += data
            cursor = _after_cursor(answer) if _more(answer, None, data) else None
            if len(items) >= most or cursor is None:
                break
            # The cursor, not the `next` URL, so the call stays on our base URL and client.
            params = {**params, "after": cursor}
        return items[:most]

    def demographics(self, path: str, params: dict[str, str]) -> dict[str, Any] | None:
        """One follower_demographics breakdown as answered; None when the platform withholds
        it (fewer than 100 followers, no permission): the account's other figures still
        count. A dead token, throttling or an outage stops the refresh."""
        answer = self.get(path, {"metric": "follower_demographics", **params})
        if isinstance(answer, GraphError):
            failure = answer.failure()
            if type(failure) is not ProviderError:
                raise failure
            return None
        return answer

    def list_media(
        self, path: str, *, fields: str, wanted: Collection[str], oldest: datetime | None
    ) -> MediaListing:
        """The connected account's media (`/{ig-user-id}/media`), page after page."""

        def page(after: str | None) -> dict[str, Any]:
            # The cursor, not the `next` URL, so the call stays on our base URL and client.
            return self.body(path, {"fields": fields, **({"after": after} if after else {})})

        return self.walk_media(page, wanted=wanted, oldest=oldest, owned=self.reads_own_posts)

    def walk_media(
        self,
        page: Callable[[str | None], dict[str, Any]],
        *,
        wanted: Collection[str],
        oldest: datetime | None,
        owned: bool,
        public: bool = False,
        page_size: int | None = None,
        max_pages: int = MAX_LISTING_PAGES,
    ) -> MediaListing:
        """A media list read page after page (`page(after_cursor)` answers one page's
        `{"data", "paging"}`) until every wanted post is found, the list ends, it reaches back
        past `oldest`, or `max_pages` pages were read."""
        media: dict[str, dict[str, Any]] = {}
        after: str | None = None
        for _page in range(max_pages):
            edge = page(after)
            items = edge.get("data")
            if not isinstance(items, list):
                raise ProviderError(f"{self.service} listed the account's media without data")
            media.update(_by_shortcode_and_id(items))
            found_all = all(code in media for code in wanted)
            if found_all or _reaches_back_to(items, oldest) or not _more(edge, page_size, items):
                return MediaListing(media, True, self.service, owned=owned, public=public)
            after = _after_cursor(edge)
            if after is None:
                break
        return MediaListing(media, False, self.service, owned=owned, public=public)


@dataclass(frozen=True)
class MediaListing:
    """The media an account listed, by shortcode and by media id."""

    media: dict[str, dict[str, Any]]
    complete: bool  # whether every post the account still has that we asked for was seen
    service: str
    owned: bool = False  # whether the account is the posts' author's
    # Whether it is the author's public list read through another account (business
    # discovery): a post missing from it is not shown, which proves no deletion.
    public: bool = False

    def locate(self, platform_id: str) -> tuple[dict[str, Any], str] | PostOutcome:
        """The listed media and its media id, or the post's outcome when it has none."""
        media = self.media.get(platform_id) if platform_id else None
        if media is None:
            return self._missing()
        media_id = media.get("id")
        if not isinstance(media_id, str):
            return Unreadable(f"{self.service} listed the post without a media id")
        return media, media_id

    def _missing(self) -> PostOutcome:
        if not self.complete:
            return Unreadable(
                f"{self.service}: the post is not among the account's most recent media; "
                "older posts are not looked up",
                code=ErrorCode.NOT_LISTED,
            )
        if self.owned:
            return Gone(
                PostStatus.DELETED, f"{self.service} no longer lists this post on the account"
            )
        if self.public:
            return Unreadable(
                f"{self.service} does not list this post among its author's public posts",
                code=ErrorCode.NOT_PUBLICLY_LISTED,
            )
        return not_own_post(self.service)


def not_own_post(service: str) -> Unreadable:
    return Unreadable(
        f"{service}: the post is not on the connected account; its creator's own connection "
        "reads it",
        code=ErrorCode.NOT_OWN_ACCOUNT,
    )


def _by_shortcode_and_id(items: list[Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in ("id", "shortcode"):
            if isinstance(item.get(key), str) and item[key]:
                found[item[key]] = item
    return found


def _reaches_back_to(items: list[Any], oldest: datetime | None) -> bool:
    if oldest is None:
        return False
    times = [graph_time(item.get("timestamp")) for item in items if isinstance(item, dict)]
    return any(when is not None and when < oldest - LISTING_SLACK for when in times)


def _more(edge: dict[str, Any], page_size: int | None, items: list[Any]) -> bool:
    """Whether the list goes on after this page.

    Graph keeps `cursors` on the last page too, so a `next` URL says there is more. An edge
    read by field expansion (business discovery's `media`) may carry only the cursors: there a
    full page with an after cursor is taken to go on, and a short page is the last.
    """
    paging = edge.get("paging")
    if not isinstance(paging, dict):
        return False
    if isinstance(paging.get("next"), str):
        return True
    return page_size is not None and len(items) >= page_size and _after_cursor(edge) is not None


def _after_cursor(edge: dict[str, Any]) -> str | None:
    paging = edge.get("paging")
    if not isinstance(paging, dict):
        return None
    cursors = paging.get("cursors")
    if isinstance(cursors, dict) and isinstance(cursors.get("after"), str) and cursors["after"]:
        return cursors["after"]
    if not isinstance(paging.get("next"), str):
        return None
    after = parse_qs(urlsplit(paging["next"]).query).get("after")
    return after[0] if after else None


def oldest_published(posts: Sequence[PostRef]) -> datetime | None:
    """How far back a listing must look; None (no limit but the page bound) if any is unknown."""
    dates = [ref.published_at for ref in posts]
    if not dates or any(when is None for when in dates):
        return None
    return min(when for when in dates if when is not None)


def insight_counts(body: dict[str, Any], metrics: Sequence[str]) -> dict[str, int | None]:
    """Each asked metric's count; a metric left out of `data` is unknown (None), never 0.

    Raises BadValue when the answer or a value is not what the insights reference shows.
    """
    data = body.get("data")
    if not isinstance(data, list):
        raise BadValue("insights answered without a data list")
    counts: dict[str, int | None] = dict.fromkeys(metrics)
    for entry in data:
        if isinstance(entry, dict) and entry.get("name") in counts:
            counts[entry["name"]] = as_count(_metric_value(entry))
    return counts


def _metric_value(entry: dict[str, Any]) -> Any:
    # Lifetime media metrics come as values[0].value; user totals as total_value.value.
    values = entry.get("values")
    if isinstance(values, list) and values:
        latest = values[-1]
        if not isinstance(latest, dict):
            raise BadValue(f"{entry['name']}: expected a value object, got {latest!r}")
        return latest.get("value")
    total = entry.get("total_value")
    return total.get("value") if isinstance(total, dict) else None


def recent_posts(
    edge: Any, read: Callable[[dict[str, Any]], RecentPost | None]
) -> tuple[RecentPost, ...]:
    """The posts of an expanded edge (`media{…}`, `posts{…}`): `{"data": [...]}`; a post the
    reader cannot read is left out rather than failing the account."""
    items = edge.get("data") if isinstance(edge, dict) else None
    if not isinstance(items, list):
        return ()
    found = []
    for item in items:
        if isinstance(item, dict):
            try:
                post = read(item)
            except BadValue:
                post = None
            if post is not None:
                found.append(post)
    return tuple(found)


def cover(media: dict[str, Any]) -> str:
    """A media's cover image: a video's thumbnail_url, else the image itself (media_url; Meta
    leaves it out for video with licensed audio, so a video may have no cover)."""
    return https_url(media.get("thumbnail_url")) or (
        https_url(media.get("media_url")) if media.get("media_type") != "VIDEO" else ""
    )


def graph_time(value: Any) -> datetime | None:
    """A Graph timestamp ("2026-11-20T10:00:00+0000"); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def connected_account(account: AccountRef | None, credentials: Credentials, service: str) -> str:
    """The id of the account the token reads: the connection's, else the account's own."""
    account_id = credentials.account_id or (account.platform_id if account else "")
    if not account_id:
        raise NotConfigured(
            f"The {service} connection does not say which account it reads",
            code=ErrorCode.CONNECTION_OFF,
        )
    return account_id


# follower_demographics breakdowns (Instagram and Threads alike) → AccountFigures.audience keys.
DEMOGRAPHIC_BREAKDOWNS = {
    "age": "age",
    "gender": "gender",
    "country": "countries",
    "city": "cities",
}


def audience_from_demographics(answers: dict[str, dict[str, Any] | None]) -> dict[str, dict]:
    """AccountFigures.audience from one answer per breakdown (None: withheld). The buckets stay
    as the platform writes them ("F", "18-24", "TW", "Taipei, Taiwan"): creators stores them
    under its vocabulary's keys (creators.audience_labels)."""
    audience: dict[str, dict[str, float]] = {}
    for breakdown, body in answers.items():
        shares = demographic_shares(body) if body is not None else {}
        if shares:
            audience[DEMOGRAPHIC_BREAKDOWNS[breakdown]] = shares
    return audience


def demographic_shares(body: dict[str, Any]) -> dict[str, float]:
    """Each bucket's share of one breakdown, summing to 1.0: `data[0].total_value.breakdowns[0]
    .results[].{dimension_values[0], value}`. Empty when there is nothing, as Meta answers
    an account below the threshold (an empty `data`), or when the answer is not that shape."""
    try:
        results = body["data"][0]["total_value"]["breakdowns"][0]["results"]
        counts = {
            str(result["dimension_values"][0]): as_count(result["value"]) or 0 for result in results
        }
    except (KeyError, IndexError, TypeError, BadValue):
        return {}
    total = sum(counts.values())
    if not total:
        return {}
    return {bucket: count / total for bucket, count in counts.items() if count}
