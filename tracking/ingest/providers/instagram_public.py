"""Instagram's public door: a creator's posts read through someone else's connection.

A brand's or agency's Instagram account can neither list nor load another account's media,
but business discovery shows another professional account's public profile and latest media
(PLATFORMS.md 2.5): like and comment counts, never views, reach or any insight. A post found
there is read with those counts; a post not found there is "not shown", never "deleted": only
its author's own connection can say that. Personal and age-gated accounts are not shown at
all, which leaves the creator's own connection or the figures they report in the portal.

Posts are grouped by their author's handle, so one listing serves all of a creator's posts in
a batch (tracking.ingest.pulls orders a batch by creator).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tracking.ingest.providers.base import (
    Counters,
    ErrorCode,
    Fetched,
    PostOutcome,
    PostRef,
    ProviderError,
    Unreadable,
)
from tracking.ingest.providers.graph import (
    Graph,
    GraphError,
    MediaListing,
    cover,
    graph_time,
    oldest_published,
)
from tracking.ingest.providers.http import BadValue, as_count

SERVICE = "Instagram"
# Public media fields only: asking business discovery for an owner-only one fails the call.
MEDIA_FIELDS = (
    "id,shortcode,permalink,timestamp,like_count,comments_count,media_product_type,"
    "media_type,media_url"
)
# Media per page, and pages per creator: 200 of a creator's latest posts reach well past a
# campaign's posts, and business discovery calls are rate-limited on their own (2.5).
PAGE_SIZE = 50
MAX_PAGES = 4
# Instagram usernames: letters, digits, periods and underscores, at most 30. Anything else
# could not be an account, and would change the meaning of the field expression it goes in.
USERNAME = re.compile(r"[A-Za-z0-9._]{1,30}")
# Graph cursors are base64-like; one that is not is not put into a field expression either.
CURSOR = re.compile(r"[A-Za-z0-9_\-=]{1,1000}")
# "Invalid user id" (subcode 2207013, "Cannot find User"): no professional account by that
# name; Meta answers the same for a personal account and for no account at all.
UNKNOWN_USER = 110
CANNOT_FIND_USER_SUBCODE = 2207013


class _Unanswered(Exception):
    """Business discovery said nothing about this account; its posts get `outcome`."""

    def __init__(self, outcome: Unreadable):
        super().__init__(outcome.detail)
        self.outcome = outcome


def public_posts(graph: Graph, account_id: str, posts: Sequence[PostRef]) -> dict[int, PostOutcome]:
    """Each post's public counts, found in its author's media through `account_id`'s
    business discovery; one listing per author."""
    outcomes: dict[int, PostOutcome] = {}
    by_author: dict[str, list[PostRef]] = {}
    for ref in posts:
        handle = ref.author_handle.strip().lstrip("@")
        if USERNAME.fullmatch(handle):
            by_author.setdefault(handle.lower(), []).append(ref)
        else:
            outcomes[ref.key] = Unreadable(
                f"{SERVICE}: the creator has no usable Instagram handle "
                f"({handle or 'none'}) to find the post by",
                code=ErrorCode.NO_HANDLE,
            )
    for handle, refs in by_author.items():
        try:
            listing = _author_media(graph, account_id, handle, refs)
        except _Unanswered as unanswered:
            outcomes.update(dict.fromkeys((ref.key for ref in refs), unanswered.outcome))
            continue
        for ref in refs:
            outcomes[ref.key] = _outcome(listing, ref)
    return outcomes


def discovery_fields(handle: str, after: str | None = None) -> str:
    """business_discovery.username(h){media.limit(n)[.after(c)]{…}}: a page of h's media."""
    if after is not None and not CURSOR.fullmatch(after):
        raise ProviderError(f"{SERVICE} business discovery answered an unusable cursor")
    media = f"media.limit({PAGE_SIZE})" + (f".after({after})" if after else "")
    return f"business_discovery.username({handle}){{{media}{{{MEDIA_FIELDS}}}}}"


def _author_media(
    graph: Graph, account_id: str, handle: str, refs: Sequence[PostRef]
) -> MediaListing:
    def page(after: str | None) -> dict[str, Any]:
        answer = graph.get(f"/{account_id}", {"fields": discovery_fields(handle, after)})
        if isinstance(answer, GraphError):
            raise _Unanswered(_refusal(answer, handle))
        found = answer.get("business_discovery")
        if not isinstance(found, dict):
            # Age-gated accounts come back as nothing at all (2.5).
            raise _Unanswered(
                Unreadable(
                    f"{SERVICE} business discovery shows nothing of @{handle}",
                    code=ErrorCode.NOT_DISCOVERABLE,
                )
            )
        media = found.get("media")
        # An account without a post has no media edge: an empty, complete list.
        return media if isinstance(media, dict) else {"data": []}

    return graph.walk_media(
        page,
        wanted={ref.platform_id for ref in refs},
        oldest=oldest_published(refs),
        owned=False,
        public=True,
        page_size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )


def _refusal(error: GraphError, handle: str) -> Unreadable:
    """What a refused discovery means for this creator's posts; trouble that is the
    connection's (token, throttling, an outage) stops the batch instead."""
    if error.code == UNKNOWN_USER or error.subcode == CANNOT_FIND_USER_SUBCODE:
        return Unreadable(
            f"{SERVICE} business discovery cannot see @{handle} (not a public professional "
            f"account): {error.detail}",
            code=ErrorCode.NOT_DISCOVERABLE,
        )
    failure = error.failure()
    if type(failure) is not ProviderError:
        raise failure
    return Unreadable(f"{SERVICE} business discovery of @{handle}: {error.detail}", failure.code)


def public_counts(media: dict[str, Any]) -> Counters:
    """A media's public counts (organic likes and comments). Raises BadValue."""
    return {
        "likes": as_count(media.get("like_count")),
        "comments": as_count(media.get("comments_count")),
    }


def _outcome(listing: MediaListing, ref: PostRef) -> PostOutcome:
    located = listing.locate(ref.platform_id)
    if not isinstance(located, tuple):
        return located
    media, _media_id = located
    try:
        counters = public_counts(media)
    except BadValue as exc:
        return Unreadable(f"{SERVICE} business discovery: {exc}")
    # Views and reach are not public: left out, they stay unknown rather than read as 0.
    return Fetched(
        counters=counters,
        raw={"business_discovery": {"media": media}},
        published_at=graph_time(media.get("timestamp")),
        thumbnail_url=cover(media),
    )
