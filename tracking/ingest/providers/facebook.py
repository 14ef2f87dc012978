"""Facebook Page posts (Graph API): public reactions, comments and shares, and post insights.

Two calls a post: the post with its reaction and comment totals, then its insights. The Page
token reads only the connected Page's posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tracking.ingest.providers.base import (
    RECENT_POSTS,
    AccountFigures,
    AccountRef,
    Credentials,
    ErrorCode,
    Fetched,
    PostOutcome,
    PostRef,
    ProviderError,
    RecentPost,
    Unreadable,
)
from tracking.ingest.providers.graph import (
    Graph,
    GraphError,
    connected_account,
    graph_time,
    insight_counts,
    recent_posts,
)
from tracking.ingest.providers.http import BadValue, as_count, client, https_url

SERVICE = "Facebook"
POST_FIELDS = (
    "id,created_time,shares,full_picture,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
# The Page's picture edge expanded in the same call (type large: about 200 px square), as
# {"data": {"url", "is_silhouette", "width", "height"}} (graph-api/reference/page/picture).
PAGE_FIELDS = "followers_count,fan_count,picture.type(large)"
# The Page's latest posts in the same call, by field expansion, with their permalinks.
RECENT_FIELDS = f"posts.limit({RECENT_POSTS}){{{POST_FIELDS},permalink_url}}"
# The Page's followers by country and by city (PLATFORMS.md 4.1: page_fans_country/city went
# on Nov 15 2025, replaced by page_follows_*), each day's value a map of bucket → followers.
# Only the Page's own token reads them, and only for Pages with 100 likes or more.
AUDIENCE_METRICS = {"page_follows_country": "countries", "page_follows_city": "cities"}
# Unique viewers; replaced post_impressions_unique (removed Jun 15 2025), PLATFORMS.md 4.1 [P].
REACH_METRIC = "post_total_media_view_unique"
# Tagged [U] in PLATFORMS.md 4.1 ("still-used post metrics"): check it in a smoke test. Asked
# only of video posts, where a photo or text post would read a misleading 0.
VIDEO_VIEWS_METRIC = "post_video_views"
VIDEO_PATHS = ("/videos/", "/reel/", "/watch")


class FacebookProvider:
    platform: ClassVar[str] = "facebook"
    # Posts are read one by one (an unknown id fails a multi-id call whole).
    batch_size: ClassVar[int] = 50
    needs_connection: ClassVar[bool] = True

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        outcomes: dict[int, PostOutcome] = {}
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(
                http,
                token=credentials.token,
                service=SERVICE,
                reads_own_posts=credentials.reads_own_posts,
            )
            for ref in posts:
                outcomes[ref.key] = _post_outcome(graph, ref, credentials.account_id)
        return outcomes

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        page_id = connected_account(account, credentials, SERVICE)
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(http, token=credentials.token, service=SERVICE)
            page = graph.body(f"/{page_id}", {"fields": f"{PAGE_FIELDS},{RECENT_FIELDS}"})
            audience = _follower_audience(graph, page_id) if account.by_owner else {}
        try:
            # fan_count (Page likes) is not followers, and may be absent: kept in raw only.
            return AccountFigures(
                followers=as_count(page.get("followers_count")),
                audience=audience,
                raw=page,
                recent_posts=recent_posts(page.get("posts"), _recent_post),
                avatar_url=_picture(page.get("picture")),
            )
        except BadValue as exc:
            raise ProviderError(f"Facebook Page figures: {exc}") from exc


def _follower_audience(graph: Graph, page_id: str) -> dict[str, dict[str, float]]:
    """The Page's followers by country and city as shares; {} when Facebook withholds them (a
    small Page, a missing permission): the Page's other figures still count."""
    answer = graph.get(
        f"/{page_id}/insights", {"metric": ",".join(AUDIENCE_METRICS), "period": "day"}
    )
    if isinstance(answer, GraphError):
        failure = answer.failure()
        if type(failure) is not ProviderError:
            raise failure  # the token, throttling or an outage: the refresh stops
        return {}
    audience: dict[str, dict[str, float]] = {}
    for metric in answer.get("data") or []:
        if not isinstance(metric, dict) or metric.get("name") not in AUDIENCE_METRICS:
            continue
        shares = _latest_shares(metric)
        if shares:
            audience[AUDIENCE_METRICS[metric["name"]]] = shares
    return audience


def _latest_shares(metric: dict[str, Any]) -> dict[str, float]:
    """The last day's map of bucket → followers, as shares summing to 1."""
    values = metric.get("values")
    latest = values[-1].get("value") if isinstance(values, list) and values else None
    if not isinstance(latest, dict):
        return {}
    try:
        counts = {str(bucket): as_count(count) or 0 for bucket, count in latest.items()}
    except BadValue:
        return {}
    total = sum(counts.values())
    return {bucket: count / total for bucket, count in counts.items() if count} if total else {}


def graph_post_id(ref: PostRef, page_id: str) -> str | None:
    """The Graph id of a Page post: "{page-id}_{post-id}".

    Our URL parser keeps only the post's own number (the last part of /{page}/posts/{id},
    /{page}/videos/{id}, /reel/{id}, or story_fbid, fbid or v of the query), so the Page id is
    added: the owner named in the link when it is a number, else the connected Page. Video,
    reel and photo numbers are object ids that Graph also serves as `{page}_{id}` posts for
    most Pages; when it does not, it answers code 100/33 and the post reads as deleted.
    "pfbid…" links and unresolved short links have no number to build an id from.
    """
    post_id = ref.platform_id
    if "_" in post_id and all(part.isdigit() for part in post_id.split("_")):
        return post_id
    if not post_id.isdigit():
        return None
    owner = _owner_in_url(ref.url) or page_id
    return f"{owner}_{post_id}" if owner else None


def _owner_in_url(url: str) -> str:
    parts = urlsplit(url)
    owner = parse_qs(parts.query).get("id", [""])[0]
    if owner.isdigit():
        return owner
    # /{page}/posts/{id} with a numeric Page id rather than its vanity name.
    first = parts.path.strip("/").split("/")[0]
    return first if first.isdigit() and "/posts/" in parts.path else ""


def _post_outcome(graph: Graph, ref: PostRef, page_id: str) -> PostOutcome:
    graph_id = graph_post_id(ref, page_id)
    if graph_id is None:
        return Unreadable(
            "This Facebook link has no numeric post id to read it by",
            code=ErrorCode.UNSUPPORTED_LINK,
        )
    post = graph.get(f"/{graph_id}", {"fields": POST_FIELDS})
    if isinstance(post, GraphError):
        if post.object_missing:
            return graph.gone(post)
        raise post.failure()
    try:
        public = _public_counters(post)
    except BadValue as exc:
        return Unreadable(f"Facebook post: {exc}")
    published_at = graph_time(post.get("created_time"))
    metrics = _metrics_for(ref)
    insights = graph.get(f"/{graph_id}/insights", {"metric": ",".join(metrics)})
    if isinstance(insights, GraphError):
        if insights.object_missing:
            return graph.gone(insights)
        if insights.insights_withheld:
            # The Page has too few likes for insights, or the token may not analyse it.
            raw = {"post": post, "insights_error": insights.detail}
            return Fetched(
                counters=public,
                raw=raw,
                published_at=published_at,
                thumbnail_url=https_url(post.get("full_picture")),
            )
        raise insights.failure()
    try:
        counts = insight_counts(insights, metrics)
    except BadValue as exc:
        return Unreadable(f"Facebook insights: {exc}")
    counters = {**public, "reach": counts[REACH_METRIC], "views": counts.get(VIDEO_VIEWS_METRIC)}
    raw = {"post": post, "insights": insights}
    return Fetched(
        counters=counters,
        raw=raw,
        published_at=published_at,
        thumbnail_url=https_url(post.get("full_picture")),
    )


def _metrics_for(ref: PostRef) -> tuple[str, ...]:
    if any(part in ref.url for part in VIDEO_PATHS):
        return (REACH_METRIC, VIDEO_VIEWS_METRIC)
    return (REACH_METRIC,)


def _recent_post(post: dict[str, Any]) -> RecentPost | None:
    """A Page post by its own number: the part of "{page-id}_{post-id}" a post URL gives."""
    graph_id = post.get("id")
    if not isinstance(graph_id, str) or not graph_id:
        return None
    return RecentPost(
        platform_id=graph_id.rpartition("_")[2],
        published_at=graph_time(post.get("created_time")),
        counters=_public_counters(post),
        url=https_url(post.get("permalink_url")),
        cover_url=https_url(post.get("full_picture")),
    )


def _picture(edge: Any) -> str:
    """The Page picture's address; none for the grey silhouette of a Page without one (the
    initials we show say as much, and honestly)."""
    data = edge.get("data") if isinstance(edge, dict) else None
    if not isinstance(data, dict) or data.get("is_silhouette") is True:
        return ""
    return https_url(data.get("url"))


def _public_counters(post: dict[str, Any]) -> dict[str, int | None]:
    shares = post.get("shares")
    if shares is not None and not isinstance(shares, dict):
        raise BadValue(f"expected a shares object, got {shares!r}")
    return {
        # All reaction kinds (like, love, haha…): Facebook's counterpart of likes.
        "likes": _summary_total(post, "reactions"),
        "comments": _summary_total(post, "comments"),
        # Graph seems to leave `shares` out of posts nobody shared (unverified); a missing
        # field cannot be told from a withheld one, so it stays unknown, not 0.
        "shares": as_count(shares.get("count")) if shares else None,
    }


def _summary_total(post: dict[str, Any], edge: str) -> int | None:
    """`{edge}.summary.total_count`; None when Facebook leaves the edge or summary out."""
    value = post.get(edge)
    if value is None:
        return None
    summary = value.get("summary") if isinstance(value, dict) else value
    if summary is None:
        return None
    if not isinstance(summary, dict):
        raise BadValue(f"expected a {edge} summary, got {value!r}")
    return as_count(summary.get("total_count"))
