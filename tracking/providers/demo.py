"""The demo workspace's provider: plausible growth curves, no network, marked as demo."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import timedelta
from typing import ClassVar

from django.utils import timezone

from tracking.providers.base import (
    RECENT_POSTS,
    AccountFigures,
    AccountRef,
    Credentials,
    Fetched,
    PostOutcome,
    PostRef,
    RecentPost,
)


class DemoProvider:
    platform: ClassVar[str] = "demo"
    batch_size: ClassVar[int] = 200
    needs_connection: ClassVar[bool] = False

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        from tracking.demo import demo_audiences  # the demo's own data, not an API

        now = timezone.now()
        audiences = demo_audiences([ref.key for ref in posts])
        return {
            ref.key: Fetched(
                counters=demo_counters(
                    ref.platform_id or ref.url, hours_since(ref, now), audiences.get(ref.key)
                ),
                raw={"demo": True},
                thumbnail_url=f"demo:{ref.platform_id or ref.url}",
            )
            for ref in posts
        }

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
        from tracking.demo import demo_followers  # the demo's own data, not an API

        current = demo_followers(account.key)
        if current:
            # The account as seeded, a little bigger each day it is read.
            followers = int(current * 1.0015) + 1
        else:
            rng = random.Random(f"account:{account.platform_id or account.handle}")
            days = timezone.now().toordinal() % 365
            followers = int(rng.randint(8_000, 600_000) * (1 + 0.0015 * days))
        return AccountFigures(
            followers=followers,
            raw={"demo": True},
            recent_posts=demo_recent_posts(account.handle, followers),
        )


def demo_recent_posts(handle: str, followers: int) -> tuple[RecentPost, ...]:
    """An account's own latest posts, one every few days. Each account's audience engages
    with its own posts by a lift of its own (0.8–1.8×), so sponsored posts fall below the
    organic baseline for some creators and not for others, as they do in life."""
    rng = random.Random(f"organic:{handle}")
    lift = rng.uniform(0.8, 1.8)
    now = timezone.now()
    posts = []
    for index in range(RECENT_POSTS):
        age = timedelta(days=2 + index * rng.uniform(2, 4))
        counters = demo_counters(f"organic:{handle}:{index}", age.total_seconds() / 3600, followers)
        for name in ("likes", "comments", "shares", "saves"):
            counters[name] = int((counters[name] or 0) * lift)
        posts.append(RecentPost(f"demo-{handle}-{index}", now - age, counters))
    return tuple(posts)


def hours_since(ref: PostRef, now) -> float:
    published = ref.published_at or (now - timedelta(days=3))
    return max((now - published).total_seconds() / 3600, 0.0)


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
