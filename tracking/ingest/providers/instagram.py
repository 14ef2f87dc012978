"""Instagram Graph API: the account's media by shortcode, media insights, followers, audience,
and, with the account's own token, a sample of the comments on its latest posts.

Post URLs carry the shortcode, which the Graph API does not accept as an id, so each pull
lists the connected account's media once to find the media ids, then reads insights per post.
That is the creator's own connection; through anyone else's (a brand's account), the posts are
read as the public sees them, by business discovery (instagram_public).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from tracking.ingest.providers.base import (
    COMMENTS_PER_POST,
    RECENT_POSTS,
    AccountFigures,
    AccountRef,
    CommentTexts,
    Credentials,
    ErrorCode,
    Fetched,
    PostOutcome,
    PostRef,
    ProviderError,
    RecentPost,
    Unreadable,
    comment_sample,
    sampled_posts,
)
from tracking.ingest.providers.graph import (
    DEMOGRAPHIC_BREAKDOWNS,
    Graph,
    GraphError,
    MediaListing,
    audience_from_demographics,
    connected_account,
    cover,
    graph_time,
    insight_counts,
    oldest_published,
    recent_posts,
)
from tracking.ingest.providers.http import BadValue, as_count, client, https_url
from tracking.ingest.providers.instagram_public import public_counts, public_posts

SERVICE = "Instagram"
LISTING_FIELDS = (
    "id,shortcode,permalink,timestamp,like_count,comments_count,media_product_type,"
    "media_type,media_url,thumbnail_url"
)
# profile_picture_url is a public IG User field: business_discovery expands it too.
PROFILE_FIELDS = "followers_count,follows_count,media_count,profile_picture_url"
# The latest posts in the same call, by field expansion (business_discovery allows it too),
# with their permalinks and what their covers are made of (graph.cover).
RECENT_MEDIA = (
    f"media.limit({RECENT_POSTS}){{id,shortcode,permalink,timestamp,like_count,comments_count,"
    "media_type,media_url,thumbnail_url}"
)
# Metrics valid since v22 (PLATFORMS.md 2.3); likes and comments come from the media list.
# Never impressions, plays or video_views: asking for a removed metric fails the whole call.
FEED_METRICS = ("views", "reach", "saved", "shares")  # FEED (and AD)
# Reels also say how long they were watched in all, in milliseconds (PLATFORMS.md 2.3); asked of
# reels only, since a metric a media type lacks fails the whole call.
REEL_WATCH_TIME = "ig_reels_video_view_total_time"
REELS_METRICS = (*FEED_METRICS, REEL_WATCH_TIME)
STORY_METRICS = ("views", "reach", "shares")  # stories have no saved metric
METRICS_BY_TYPE = {"REELS": REELS_METRICS, "STORY": STORY_METRICS}
MS_PER_MINUTE = 60_000
# [S] in PLATFORMS.md 2.4: the timeframes observed since v20 are this_week and this_month.
AUDIENCE_TIMEFRAME = "this_month"
# The comments edge (ig-media/comments): the text only, so who wrote a comment is never even
# asked for. Pages of 50 ([U] no documented maximum; 50 is a size Graph edges accept).
COMMENT_FIELDS = {"fields": "text", "limit": "50"}


class InstagramProvider:
    platform: ClassVar[str] = "instagram"
    # One media listing serves the whole batch; then one insights call per post.
    batch_size: ClassVar[int] = 50
    needs_connection: ClassVar[bool] = True

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        outcomes: dict[int, PostOutcome] = {}
        listable: list[PostRef] = []
        for ref in posts:
            problem = _unlistable(ref)
            if problem is None:
                listable.append(ref)
            else:
                outcomes[ref.key] = problem
        if not listable:
            return outcomes
        account_id = connected_account(None, credentials, SERVICE)
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(
                http,
                token=credentials.token,
                service=SERVICE,
                reads_own_posts=credentials.reads_own_posts,
            )
            if not credentials.reads_own_posts:
                # Another account's media and insights are not this token's to read.
                outcomes.update(public_posts(graph, account_id, listable))
                return outcomes
            listing = graph.list_media(
                f"/{account_id}/media",
                fields=LISTING_FIELDS,
                wanted={ref.platform_id for ref in listable},
                oldest=oldest_published(listable),
            )
            for ref in listable:
                outcomes[ref.key] = _post_outcome(graph, listing, ref)
        return outcomes

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        if not account.by_owner:
            return self._discover(account, credentials)
        account_id = connected_account(account, credentials, SERVICE)
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(http, token=credentials.token, service=SERVICE)
            profile = graph.body(f"/{account_id}", {"fields": f"{PROFILE_FIELDS},{RECENT_MEDIA}"})
            # PLATFORMS.md 2.4: one breakdown per call, lifetime, as a total value.
            demographics = {
                breakdown: graph.demographics(
                    f"/{account_id}/insights",
                    {
                        "period": "lifetime",
                        "metric_type": "total_value",
                        "timeframe": AUDIENCE_TIMEFRAME,
                        "breakdown": breakdown,
                    },
                )
                for breakdown in DEMOGRAPHIC_BREAKDOWNS
            }
            recent = recent_posts(profile.get("media"), _recent_media)
            comments = _comment_sample(graph, profile.get("media"), recent)
        try:
            return AccountFigures(
                followers=as_count(profile.get("followers_count")),
                following=as_count(profile.get("follows_count")),
                posts_count=as_count(profile.get("media_count")),
                audience=audience_from_demographics(demographics),
                raw={"profile": profile, "follower_demographics": demographics},
                recent_posts=recent,
                comments=comments,
                avatar_url=https_url(profile.get("profile_picture_url")),
            )
        except BadValue as exc:
            raise ProviderError(f"Instagram account figures: {exc}") from exc

    def _discover(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        """Another professional account's public counts, through the connected account's
        business_discovery (no insights, no audience: those need the account's own token)."""
        account_id = connected_account(None, credentials, SERVICE)
        handle = account.handle.lstrip("@")
        if not handle:
            raise ProviderError("Instagram business discovery needs the account's handle")
        fields = f"business_discovery.username({handle}){{{PROFILE_FIELDS},{RECENT_MEDIA}}}"
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(http, token=credentials.token, service=SERVICE)
            body = graph.body(f"/{account_id}", {"fields": fields})
        found = body.get("business_discovery")
        if not isinstance(found, dict):
            raise ProviderError(f"Instagram has no public professional account @{handle}")
        try:
            return AccountFigures(
                followers=as_count(found.get("followers_count")),
                following=as_count(found.get("follows_count")),
                posts_count=as_count(found.get("media_count")),
                raw={"business_discovery": found},
                recent_posts=recent_posts(found.get("media"), _recent_media),
                avatar_url=https_url(found.get("profile_picture_url")),
            )
        except BadValue as exc:
            raise ProviderError(f"Instagram business discovery: {exc}") from exc


def _unlistable(ref: PostRef) -> Unreadable | None:
    """Posts the media list cannot show: stories, whose links carry no shortcode."""
    if "/stories/" in ref.url:
        # The number in a story link is not a Graph media id, and /media leaves stories out.
        return Unreadable(
            "Instagram stories cannot be looked up from their link",
            code=ErrorCode.UNSUPPORTED_LINK,
        )
    if not ref.platform_id:
        return Unreadable("The Instagram link has no shortcode", code=ErrorCode.UNSUPPORTED_LINK)
    return None


def _recent_media(media: dict[str, Any]) -> RecentPost | None:
    """A listed media by its shortcode, the id a post URL gives (organic counts only)."""
    shortcode = media.get("shortcode")
    if not isinstance(shortcode, str) or not shortcode:
        return None
    return RecentPost(
        platform_id=shortcode,
        published_at=graph_time(media.get("timestamp")),
        counters={
            "likes": as_count(media.get("like_count")),
            "comments": as_count(media.get("comments_count")),
        },
        url=https_url(media.get("permalink")),
        cover_url=cover(media),
    )


def _comment_sample(
    graph: Graph, media: Any, recent: tuple[RecentPost, ...]
) -> CommentTexts | None:
    """The texts of the comments on the account's latest media, read with its own token
    (business_discovery cannot see comments). A media deleted since it was listed gives none;
    a missing permission, throttling or any other trouble ends the sample, never the refresh."""
    media_ids = {
        item.get("shortcode"): item.get("id")
        for item in (media.get("data") if isinstance(media, dict) else None) or []
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }

    def read(post: RecentPost) -> list[Any] | None:
        media_id = media_ids.get(post.platform_id)
        if media_id is None:
            return None
        answer = graph.edge(f"/{media_id}/comments", COMMENT_FIELDS, most=COMMENTS_PER_POST)
        if isinstance(answer, GraphError):
            if answer.object_missing:
                return None
            raise answer.failure()
        return [item.get("text") for item in answer if isinstance(item, dict)]

    return comment_sample(sampled_posts(recent), read, service=SERVICE)


def _post_outcome(graph: Graph, listing: MediaListing, ref: PostRef) -> PostOutcome:
    located = listing.locate(ref.platform_id)
    if not isinstance(located, tuple):
        return located
    media, media_id = located
    try:
        public = public_counts(media)
    except BadValue as exc:
        return Unreadable(f"Instagram media: {exc}")
    published_at = graph_time(media.get("timestamp"))
    metrics = METRICS_BY_TYPE.get(str(media.get("media_product_type")), FEED_METRICS)
    insights = graph.get(f"/{media_id}/insights", {"metric": ",".join(metrics)})
    if isinstance(insights, GraphError):
        if insights.object_missing:
            return graph.gone(insights)
        if insights.insights_withheld:
            # Fewer than 5 viewers (code 10): the public counts are still worth keeping.
            raw = {"media": media, "insights_error": insights.detail}
            return Fetched(
                counters=public, raw=raw, published_at=published_at, thumbnail_url=cover(media)
            )
        raise insights.failure()
    try:
        counts = insight_counts(insights, metrics)
    except BadValue as exc:
        return Unreadable(f"Instagram insights: {exc}")
    counters = {
        "views": counts["views"],
        "reach": counts["reach"],
        **public,
        "shares": counts["shares"],
        "saves": counts.get("saved"),
    }
    raw = {"media": media, "insights": insights}
    watched = counts.get(REEL_WATCH_TIME)
    return Fetched(
        counters=counters,
        raw=raw,
        published_at=published_at,
        thumbnail_url=cover(media),
        watch_minutes=None if watched is None else (watched + MS_PER_MINUTE // 2) // MS_PER_MINUTE,
    )
