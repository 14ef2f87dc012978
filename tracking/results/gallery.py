"""The content gallery of a campaign's results: its posts as tiles with their covers, live or
gone, newest first, a page at a time (two queries per page whatever the campaign's size)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from django.http import FileResponse

from campaigns.models import Campaign
from kolhub.files import file_response
from kolhub.http import whole_number
from tracking.models import COUNTERS, Post, PostStatus
from tracking.models.posts import Covered
from tracking.results.scoring.campaign import (
    ENGAGEMENT_COUNTERS,
    post_engagements,
    post_impressions,
)

PAGE = 24
# Paging further than this is no gallery a person reads; a larger ?from= starts over.
MAX_OFFSET = 1_000_000
GONE = (PostStatus.DELETED, PostStatus.PRIVATE)


def gallery_context(
    campaign: Campaign, start: str | None, cover_url: Callable[[int], str]
) -> dict[str, Any]:
    offset = whole_number(start, at_most=MAX_OFFSET) or 0
    posts = (
        Post.objects.filter(collaboration__campaign=campaign)
        .select_related("collaboration__creator")
        .order_by("-published_at", "-pk")
    )
    page = list(posts[offset : offset + PAGE])
    total = posts.count()
    return {
        "campaign": campaign,
        "tiles": tiles(page, cover_url),
        "total": total,
        "gone": sum(post.status in GONE for post in page),
        "offset": offset,
        "next_from": offset + PAGE if offset + PAGE < total else None,
    }


def tiles(posts: list[Post], cover_url: Callable[[int], str]) -> list[dict[str, Any]]:
    """Each post with its figures: engagements and impressions by the campaign's formulas."""
    if not posts:
        return []
    counters = pd.DataFrame(
        [[getattr(post, name) for name in COUNTERS] for post in posts],
        columns=list(COUNTERS),
        dtype="float64",
    )
    engagements = post_engagements(counters)
    impressions = post_impressions(counters)
    return [
        {
            "post": post,
            "creator": post.collaboration.creator,
            "cover": cover_url(post.pk) if post.thumbnail else "",
            "gone": post.status in GONE,
            "impressions": None if pd.isna(shown) else int(shown),
            "engagements": int(engaged),
            "engagement_rate": None if pd.isna(shown) or not shown else engaged / shown,
            "missing": [name for name in ENGAGEMENT_COUNTERS if getattr(post, name) is None],
        }
        for post, engaged, shown in zip(posts, engagements, impressions, strict=True)
    ]


def cover_response(post: Covered, *, name: str = "post") -> FileResponse:
    response = file_response(
        post.thumbnail, name=f"{name}-{post.pk}.jpg", content_type="image/jpeg"
    )
    # A post keeps the first cover stored for it, so the browser may keep it a day.
    response["Cache-Control"] = "private, max-age=86400"
    return response
