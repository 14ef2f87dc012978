"""The demo workspace's evidence: followed posts with snapshot histories, tracked links with
clicks, promo codes and a few hundred orders, so the dashboards have data on first run."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Deliverable, DeliverableStatus
from creators.models import SocialAccount
from kolhub.models import ExchangeRate, Workspace
from tracking.ingest.accounts import account_posts_record
from tracking.ingest.faces import account_posts_wanting_cover
from tracking.ingest.providers.demo_data import demo_audiences, demo_counters, demo_recent_posts
from tracking.ingest.pulls import next_pull_for, next_pull_time, window_end
from tracking.ingest.services import post_register
from tracking.ingest.snapshots import SnapshotRow, snapshots_write
from tracking.ingest.thumbnails import DEMO_SOURCE, thumbnails_fetch
from tracking.models import (
    AccountPost,
    Click,
    MetricSnapshot,
    Post,
    PostStatus,
    SalesChannel,
    SalesFeed,
    SnapshotSource,
)
from tracking.results.account_scores import account_scores_compute
from tracking.results.figures import workspace_results_compute
from tracking.sales import conversions, services
from tracking.sales.clicks import recount_days
from tracking.sales.orders import Order


def seed(workspace: Workspace) -> None:
    """Follow the demo's published posts and give each the history the cadence would have.

    Posts that already have snapshots are left alone; the worker's demo provider keeps
    adding to them while the app runs.
    """
    now = timezone.now()
    published = (
        Deliverable.objects.for_workspace(workspace)
        .filter(status=DeliverableStatus.PUBLISHED)
        .exclude(live_url="")
        .select_related("collaboration")
    )
    with transaction.atomic():
        for deliverable in published:
            post = post_register(deliverable=deliverable, url=deliverable.live_url)
            if MetricSnapshot.objects.filter(post=post).exists():
                continue
            post = Post.objects.select_related("collaboration__campaign", "workspace").get(
                pk=post.pk
            )
            post.published_at = post.published_at or deliverable.published_at or now
            post.status = PostStatus.LIVE
            post.thumbnail_source = f"{DEMO_SOURCE}{post.platform_id or post.url}"
            post.save(update_fields=["published_at", "status", "thumbnail_source"])
            snapshots_write(rows=list(history(post, now)))
            post.next_pull_at = next_pull_for(post, now) if post.next_pull_at else None
            Post.objects.filter(pk=post.pk).update(next_pull_at=post.next_pull_at)
        seed_sales(workspace)
        seed_own_posts(workspace)
        # The EMV defaults are in USD (docs/scoring.md); the demo states the rate it uses.
        ExchangeRate.objects.get_or_create(
            workspace=workspace, currency="USD", into="TWD", defaults={"rate": Decimal("32")}
        )
    # The dashboards open on figures at once; the worker keeps them current afterwards.
    thumbnails_fetch(list(Post.objects.filter(workspace=workspace).values_list("pk", flat=True)))
    accounts = SocialAccount.objects.filter(workspace=workspace).values_list("pk", flat=True)
    thumbnails_fetch(account_posts_wanting_cover(list(accounts)), model=AccountPost)
    account_scores_compute(workspace.pk)
    workspace_results_compute(workspace.pk)


def seed_own_posts(workspace: Workspace) -> None:
    """Each account's own latest posts, as a refresh by the demo provider reads them."""
    accounts = SocialAccount.objects.filter(workspace=workspace, followers__isnull=False)
    account_posts_record(
        workspace_id=workspace.pk,
        recent={
            account.pk: demo_recent_posts(account.handle, account.followers or 0, account.pk)
            for account in accounts
        },
    )


def history(post: Post, now: datetime):
    """Snapshots at the cadence's times from publication until now (or the window's end)."""
    assert post.published_at is not None
    ends = window_end(post.collaboration.campaign.observation_ends_on, post.workspace.timezone)
    audience = demo_audiences([post.pk]).get(post.pk)
    moment: datetime | None = post.published_at + timedelta(hours=1)
    while moment is not None and moment <= now:
        age = (moment - post.published_at).total_seconds() / 3600
        yield SnapshotRow(
            post_id=post.pk,
            workspace_id=post.workspace_id,
            captured_at=moment,
            source=SnapshotSource.DEMO,
            counters=demo_counters(post.platform_id or post.url, age, audience),
            raw={"demo": True},
        )
        moment = next_pull_time(published_at=post.published_at, pulled_at=moment, window_ends=ends)


def seed_sales(workspace: Workspace) -> None:
    """Tracked links with clicks, promo codes and a few hundred orders for the demo's posts."""
    if SalesFeed.objects.for_workspace(workspace).exists():
        return
    rng = random.Random(7)
    now = timezone.now()
    feed = conversions.sales_feed_create(
        workspace_id=workspace.pk, channel=SalesChannel.PIXEL, label="Demo shop (pixel)"
    )
    posts = Post.objects.for_workspace(workspace).select_related(
        "collaboration__campaign", "collaboration__creator"
    )
    for post in posts:
        collaboration = post.collaboration
        link = services.tracked_link_create(
            collaboration=collaboration,
            user=None,
            destination="https://shop.example.com/coldbrew",
            **services.utm_defaults(collaboration, None),
        )
        code = conversions.promo_code_suggestion(collaboration, "{HANDLE}15")
        try:
            conversions.promo_code_add(collaboration=collaboration, code=code)
        except ValidationError:
            code = ""
        stored = _demo_clicks(link, post.published_at or now, now, rng)
        _demo_orders(workspace, stored, code, rng, now)
    conversions.feed_touch(feed)


def _demo_clicks(link, start: datetime, now: datetime, rng: random.Random) -> list[Click]:
    hours = max(int((now - start).total_seconds() // 3600), 1)
    count = rng.randint(60, 500)
    # Some people click twice: about three visitors for every four clicks.
    visitors = [f"{rng.getrandbits(128):032x}" for _ in range(max(count * 3 // 4, 1))]
    clicks = []
    for _ in range(count):
        # Most clicks come in the first two days after the post, as real ones do.
        offset = min(rng.expovariate(1 / 30), hours - 0.01)
        agent_bot = rng.random() < 0.08
        clicks.append(
            Click(
                workspace_id=link.workspace_id,
                link=link,
                click_id=uuid.uuid4().hex,
                occurred_at=start + timedelta(hours=offset),
                visitor=rng.choice(visitors),
                is_bot=agent_bot,
                country="TW" if rng.random() < 0.85 else rng.choice(["HK", "MY", "SG", "JP"]),
            )
        )
    Click.objects.bulk_create(clicks, batch_size=1000)
    recount_days({(c.link_id, c.occurred_at.date()) for c in clicks})
    return [c for c in clicks if not c.is_bot]


def _demo_orders(
    workspace, human: list[Click], code: str, rng: random.Random, now: datetime
) -> None:
    for click in human:
        if rng.random() > 0.085:  # about one human click in twelve buys
            continue
        by_code = bool(code) and rng.random() < 0.4
        order = Order(
            order_id=f"DEMO-{click.click_id[:8].upper()}",
            amount=Decimal(rng.choice([680, 980, 1280, 1580, 2380])),
            currency="TWD",
            occurred_at=min(click.occurred_at + timedelta(minutes=rng.randint(3, 600)), now),
            promo_codes=(code,) if by_code else (),
            click_id="" if by_code else click.click_id,
            refunded=Decimal(680) if rng.random() < 0.05 else Decimal(0),
        )
        conversions.conversion_record(
            workspace_id=workspace.pk, channel=SalesChannel.PIXEL, order=order
        )
