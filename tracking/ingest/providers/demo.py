"""The demo workspace's provider: plausible growth curves, no network, marked as demo."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import ClassVar

from django.utils import timezone

from tracking.ingest.providers.base import (
    AccountFigures,
    AccountRef,
    Credentials,
    Fetched,
    PostOutcome,
    PostRef,
)
from tracking.ingest.providers.demo_data import (
    demo_audiences,
    demo_continued,
    demo_followers,
    demo_latest,
    demo_recent_posts,
)


class DemoProvider:
    platform: ClassVar[str] = "demo"
    batch_size: ClassVar[int] = 200
    needs_connection: ClassVar[bool] = False

    def fetch_posts(
        self, posts: Sequence[PostRef], credentials: Credentials
    ) -> dict[int, PostOutcome]:
        """Each post continues from its last stored reading (the seeded history, then what
        the worker read), growing as its curve grows, never drawn anew: a demo post's counts
        only go up, as a real post's do."""
        now = timezone.now()
        keys = [ref.key for ref in posts]
        audiences, latest = demo_audiences(keys), demo_latest(keys)
        return {
            ref.key: Fetched(
                counters=demo_continued(
                    ref.platform_id or ref.url,
                    published_at=published(ref, now),
                    now=now,
                    audience=audiences.get(ref.key),
                    latest=latest.get(ref.key),
                ),
                raw={"demo": True},
                thumbnail_url=f"demo:{ref.platform_id or ref.url}",
            )
            for ref in posts
        }

    def fetch_account(self, account: AccountRef, credentials: Credentials) -> AccountFigures:
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
            recent_posts=demo_recent_posts(account.handle, followers, account.key),
        )


def published(ref: PostRef, now: datetime) -> datetime:
    return ref.published_at or (now - timedelta(days=3))
