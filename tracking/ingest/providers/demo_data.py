"""The demo's made-up figures: counters of demo posts, an account's own latest posts, the
followers they are scaled to. The one module of demo data that both the demo provider (while
the app runs) and the seeder (tracking.demo, at `seed_demo`) read, so neither imports the other.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from django.utils import timezone

from creators.models import SocialAccount
from tracking.ingest.providers.base import RECENT_POSTS, RecentPost
from tracking.ingest.thumbnails import DEMO_SOURCE
from tracking.models import COUNTERS, Post


def demo_recent_posts(handle: str, followers: int, account_id: int) -> tuple[RecentPost, ...]:
    """An account's own latest posts, one every few days. Each account's audience engages
    with its own posts by a lift of its own (0.8–1.8×), so sponsored posts fall below the
    organic baseline for some creators and not for others, as they do in life. Their covers
    are drawn (and stamped DEMO), never downloaded; they link nowhere, being made up."""
    rng = random.Random(f"organic:{handle}")
    lift = rng.uniform(0.8, 1.8)
    now = timezone.now()
    posts = []
    for index in range(RECENT_POSTS):
        age = timedelta(days=2 + index * rng.uniform(2, 4))
        counters = demo_counters(f"organic:{handle}:{index}", age.total_seconds() / 3600, followers)
        for name in ("likes", "comments", "shares", "saves"):
            counters[name] = int((counters[name] or 0) * lift)
        # Drawn per account: a creator's accounts on several platforms share a handle.
        cover = f"{DEMO_SOURCE}account-{account_id}-{index}"
        posts.append(RecentPost(f"demo-{handle}-{index}", now - age, counters, cover_url=cover))
    return tuple(posts)


def demo_counters(
    seed: str, age_hours: float, audience: int | None = None
) -> dict[str, int | None]:
    """Counters of a demo post `age_hours` after publication; they never go down with age.

    Views saturate like real posts do (most in the first two days) at a share of the
    creator's `audience` (their followers on the platform) when it is known, so engagement by
    followers looks like a real account's; the ratios of likes, comments, shares and saves to
    views are drawn once per post.
    """
    rng = random.Random(f"post:{seed}")
    final_views = rng.randint(4_000, 320_000)
    if audience:
        final_views = max(int(audience * rng.uniform(0.15, 0.9)), 50)
    half_life = rng.uniform(10, 48)
    progress = 1 - math.exp(-age_hours * math.log(2) / half_life)
    views = int(final_views * progress)
    reach = int(views * rng.uniform(0.55, 0.85))
    return {
        "views": views,
        "impressions": int(views * rng.uniform(1.1, 1.4)),
        "reach": reach,
        "likes": int(views * rng.uniform(0.02, 0.08)),
        "comments": int(views * rng.uniform(0.001, 0.006)),
        "shares": int(views * rng.uniform(0.0005, 0.004)),
        "saves": int(views * rng.uniform(0.001, 0.01)),
    }


def demo_continued(
    seed: str,
    *,
    published_at: datetime,
    now: datetime,
    audience: int | None,
    latest: tuple[datetime, dict[str, int | None]] | None,
) -> dict[str, int | None]:
    """A demo post's counters now, continued from its `latest` stored reading (when, counters):
    each grows by the ratio its curve grew by since then, and none goes down. Without a
    reading (or one at zero) the curve's own values."""
    fresh = demo_counters(seed, _hours(published_at, now), audience)
    if latest is None or not latest[1].get("views"):
        return fresh
    read_at, counters = latest
    before = demo_counters(seed, _hours(published_at, read_at), audience)
    growth = max((fresh["views"] or 0) / max(before["views"] or 0, 1), 1.0)
    return {
        name: None if value is None else max(value, round(value * growth))
        for name, value in counters.items()
    }


def _hours(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 3600, 0.0)


def demo_latest(post_ids: list[int]) -> dict[int, tuple[datetime, dict[str, int | None]]]:
    """post → (when it was last read, its counters then), for the posts read before."""
    rows = Post.objects.filter(pk__in=post_ids, last_pulled_at__isnull=False).values_list(
        "pk", "last_pulled_at", *COUNTERS
    )
    return {pk: (at, dict(zip(COUNTERS, values, strict=True))) for pk, at, *values in rows}


def demo_audiences(post_ids: list[int]) -> dict[int, int]:
    """post → the followers of its creator's account on its platform (their biggest account
    otherwise), which the demo's made-up counters are scaled to."""
    posts = list(
        Post.objects.filter(pk__in=post_ids).values_list(
            "pk", "platform", "collaboration__creator_id"
        )
    )
    followers: dict[tuple[int, str], int] = {}
    biggest: dict[int, int] = {}
    for creator, platform, count in SocialAccount.objects.filter(
        creator_id__in={creator for _pk, _platform, creator in posts}, followers__isnull=False
    ).values_list("creator_id", "platform", "followers"):
        size = int(count or 0)
        followers[(creator, platform)] = max(size, followers.get((creator, platform), 0))
        biggest[creator] = max(size, biggest.get(creator, 0))
    return {
        pk: followers.get((creator, platform)) or biggest.get(creator, 0)
        for pk, platform, creator in posts
    }


def demo_followers(account_id: int) -> int | None:
    return SocialAccount.objects.filter(pk=account_id).values_list("followers", flat=True).first()
