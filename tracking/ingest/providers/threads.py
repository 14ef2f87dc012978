"""Threads API: the account's threads by shortcode, media insights, followers and their
demographics.

Like Instagram, post URLs carry the shortcode, so each pull lists the connected account's
threads once to find the media ids, then reads insights per post.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from tracking.ingest.providers.base import (
    AccountFigures,
    AccountRef,
    Credentials,
    ErrorCode,
    Fetched,
    PostOutcome,
    PostRef,
    ProviderError,
    Unreadable,
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
)
from tracking.ingest.providers.http import BadValue, client, https_url

SERVICE = "Threads"
LISTING_FIELDS = "id,shortcode,permalink,timestamp,media_type,media_url,thumbnail_url"
PROFILE_FIELDS = "id,username,threads_profile_picture_url"
# PLATFORMS.md 4.2. `shares` is left out: "in development", and reposts + quotes are what we
# count as shares. `views` is "in development" too, but it is the post's only view count.
METRICS = ("views", "likes", "replies", "reposts", "quotes")


class ThreadsProvider:
    platform: ClassVar[str] = "threads"
    # One threads listing serves the whole batch; then one insights call per post.
    batch_size: ClassVar[int] = 50
    needs_connection: ClassVar[bool] = True

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        outcomes: dict[int, PostOutcome] = {
            ref.key: Unreadable(
                "The Threads link has no shortcode", code=ErrorCode.UNSUPPORTED_LINK
            )
            for ref in posts
            if not ref.platform_id
        }
        listable = [ref for ref in posts if ref.platform_id]
        if not listable:
            return outcomes
        user_id = connected_account(None, credentials, SERVICE)
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(
                http,
                token=credentials.token,
                service=SERVICE,
                reads_own_posts=credentials.reads_own_posts,
            )
            listing = graph.list_media(
                f"/{user_id}/threads",
                fields=LISTING_FIELDS,
                wanted={ref.platform_id for ref in listable},
                oldest=oldest_published(listable),
            )
            for ref in listable:
                outcomes[ref.key] = _post_outcome(graph, listing, ref)
        return outcomes

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        user_id = connected_account(account, credentials, SERVICE)
        with client(credentials.base_url, platform=self.platform) as http:
            graph = Graph(http, token=credentials.token, service=SERVICE)
            body = graph.body(f"/{user_id}/threads_insights", {"metric": "followers_count"})
            try:
                followers = insight_counts(body, ("followers_count",))["followers_count"]
            except BadValue as exc:
                raise ProviderError(f"Threads user insights: {exc}") from exc
            # PLATFORMS.md 4.2: one breakdown a call, no since/until; withheld below 100
            # followers. Only the account's own token reads its insights at all.
            demographics = (
                {
                    breakdown: graph.demographics(
                        f"/{user_id}/threads_insights", {"breakdown": breakdown}
                    )
                    for breakdown in DEMOGRAPHIC_BREAKDOWNS
                }
                if account.by_owner
                else {}
            )
            picture = _profile_picture(graph, user_id)
        # Threads reports no following or post count for a user.
        return AccountFigures(
            followers=followers,
            audience=audience_from_demographics(demographics),
            raw={"followers_count": body, "follower_demographics": demographics},
            avatar_url=picture,
        )


def _profile_picture(graph: Graph, user_id: str) -> str:
    """The user's picture (threads-profiles: only the token's own user is readable, which is
    whom a Threads connection reads). One more call: the insights edge cannot expand fields.
    Trouble with the token or throttling stops the refresh; anything else costs only the
    picture."""
    profile = graph.get(f"/{user_id}", {"fields": PROFILE_FIELDS})
    if isinstance(profile, GraphError):
        failure = profile.failure()
        if type(failure) is not ProviderError:
            raise failure
        return ""
    return https_url(profile.get("threads_profile_picture_url"))


def _post_outcome(graph: Graph, listing: MediaListing, ref: PostRef) -> PostOutcome:
    located = listing.locate(ref.platform_id)
    if not isinstance(located, tuple):
        return located
    media, media_id = located
    insights = graph.get(f"/{media_id}/insights", {"metric": ",".join(METRICS)})
    if isinstance(insights, GraphError):
        if insights.object_missing:
            return graph.gone(insights)
        raise insights.failure()
    try:
        counts = insight_counts(insights, METRICS)
    except BadValue as exc:
        return Unreadable(f"Threads insights: {exc}")
    counters = {
        "views": counts["views"],
        "likes": counts["likes"],
        # On a root post `replies` counts every reply; on a reply, only the direct ones.
        "comments": counts["replies"],
        "shares": _sum_known(counts["reposts"], counts["quotes"]),
    }
    raw = {"media": media, "insights": insights}
    return Fetched(
        counters=counters,
        raw=raw,
        published_at=graph_time(media.get("timestamp")),
        thumbnail_url=cover(media),
    )


def _sum_known(*counts: int | None) -> int | None:
    """The sum, or None when a part is unknown: a partial sum would read as a drop."""
    if any(count is None for count in counts):
        return None
    return sum(count for count in counts if count is not None)
