"""Made-up workspaces at the sizes of issue 6, written fast (COPY), and the naive per-row ORM
computation that the scoring benchmark measures itself against."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign, Collaboration
from creators.models import AccountSnapshot, AudienceProfile, Creator, SocialAccount
from kolhub.models import Workspace
from tests.factories import BrandFactory, CampaignFactory, WorkspaceFactory
from tracking.models import MetricSnapshot, Post

TIERS = ["nano", "micro", "mid", "macro", "mega"]


def copy_rows(model, columns: list[str], rows) -> None:
    """COPY rows into a model's table (text format), the fastest way to fill a bench table."""
    table = model._meta.db_table
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def roster(workspace: Workspace, campaign: Campaign, creators: int, rng: random.Random):
    """`creators` contracted creators with an Instagram account each; their collaborations."""
    people = Creator.objects.bulk_create(
        [
            Creator(workspace=workspace, display_name=f"Bench {campaign.pk}-{n}", region="台北市")
            for n in range(creators)
        ],
        batch_size=5000,
    )
    SocialAccount.objects.bulk_create(
        [
            SocialAccount(
                workspace=workspace,
                creator=person,
                platform="instagram",
                handle=f"b{campaign.pk}_{n}",
                followers=rng.randint(2_000, 2_000_000),
                following=rng.randint(100, 3_000),
                tier=rng.choice(TIERS),
            )
            for n, person in enumerate(people)
        ],
        batch_size=5000,
    )
    return Collaboration.objects.bulk_create(
        [
            Collaboration(
                workspace=workspace,
                campaign=campaign,
                creator=person,
                stage="published",
                tier=rng.choice(TIERS),
                currency="TWD",
                fee=Decimal(rng.randint(3, 300) * 1000),
            )
            for person in people
        ],
        batch_size=5000,
    )


def posts_for(collaborations, per_collaboration: int, rng: random.Random) -> list[int]:
    now = timezone.now()
    posts = Post.objects.bulk_create(
        [
            Post(
                workspace_id=collab.workspace_id,
                collaboration=collab,
                platform="instagram",
                platform_id=f"p{collab.pk}x{n}",
                url=f"https://www.instagram.com/p/p{collab.pk}x{n}/",
                published_at=now - timedelta(days=rng.randint(1, 90)),
                status="live",
                views=rng.randint(100, 500_000),
                likes=rng.randint(10, 20_000),
                comments=rng.randint(0, 800),
                shares=rng.randint(0, 300),
                saves=rng.randint(0, 500),
            )
            for collab in collaborations
            for n in range(per_collaboration)
        ],
        batch_size=5000,
    )
    return [post.pk for post in posts]


def snapshots_for(workspace_id: int, post_ids: list[int], per_post: int) -> None:
    """`per_post` snapshots a day apart for each post, growing towards its counters."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=per_post)
    columns = [
        "workspace_id",
        "post_id",
        "captured_at",
        "bucket",
        "source",
        "raw",
        "views",
        "likes",
        "comments",
        "shares",
        "saves",
    ]

    def rows():
        for post_id in post_ids:
            for day in range(per_post):
                moment = start + timedelta(days=day)
                grown = day + 1
                yield (
                    workspace_id,
                    post_id,
                    moment,
                    moment,
                    "api",
                    "{}",
                    1000 * grown,
                    40 * grown,
                    3 * grown,
                    grown,
                    grown,
                )

    copy_rows(MetricSnapshot, columns, rows())


def campaign_with_history(*, creators: int, posts: int, snapshots: int) -> Campaign:
    rng = random.Random(6)
    campaign = CampaignFactory(brand=BrandFactory(workspace=WorkspaceFactory()))
    collaborations = roster(campaign.workspace, campaign, creators, rng)
    post_ids = posts_for(collaborations, posts // creators, rng)
    snapshots_for(campaign.workspace_id, post_ids, snapshots // len(post_ids))
    return campaign


@dataclass(frozen=True)
class BenchWorkspace:
    workspace: Workspace
    campaigns: list[Campaign]
    accounts: int
    posts: int
    snapshots: int


def scored_workspace(*, scale: float = 1.0) -> BenchWorkspace:
    """20,000 accounts in 100 campaigns of 200, 10 posts each (200,000), 10 daily snapshots a
    post (2,000,000), 30 days of follower history an account and an audience profile each."""
    rng = random.Random(20_000)
    workspace = WorkspaceFactory()
    brand = BrandFactory(workspace=workspace)
    campaign_count, per_campaign = max(1, int(100 * scale)), 200
    campaigns, post_ids = [], []
    for _ in range(campaign_count):
        campaign = CampaignFactory(brand=brand, workspace=workspace)
        campaigns.append(campaign)
        post_ids += posts_for(roster(workspace, campaign, per_campaign, rng), 10, rng)
    snapshots_for(workspace.pk, post_ids, 10)
    accounts = list(
        SocialAccount.objects.filter(workspace=workspace).values_list("pk", "followers")
    )
    today = timezone.localdate()
    copy_rows(
        AccountSnapshot,
        ["workspace_id", "account_id", "captured_on", "followers"],
        (
            (workspace.pk, pk, today - timedelta(days=30 - day), followers - (30 - day) * 50)
            for pk, followers in accounts
            for day in range(30)
        ),
    )
    AudienceProfile.objects.bulk_create(
        [
            AudienceProfile(
                workspace=workspace,
                account_id=pk,
                captured_on=today,
                source="api",
                countries={"TW": 0.8, "HK": 0.1, "MY": 0.1},
            )
            for pk, _followers in accounts
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Statistics for the planner, as autovacuum gathers them after a bulk load (VACUUM only
        # outside a transaction, when the test allows it).
        cursor.execute("VACUUM ANALYZE" if connection.get_autocommit() else "ANALYZE")
    return BenchWorkspace(workspace, campaigns, len(accounts), len(post_ids), len(post_ids) * 10)


def naive_scores(size: BenchWorkspace, *, fraction: float) -> tuple[float, float]:
    """The same figures the way a first version would get them: one ORM query per account, per
    post and per snapshot list, Python loops. Run on `fraction` of the accounts and campaigns;
    returns (seconds, the share of the data it covered)."""
    accounts = list(
        SocialAccount.objects.filter(workspace=size.workspace).select_related("creator")
    )
    accounts = accounts[: max(1, int(len(accounts) * fraction))]
    campaigns = size.campaigns[: max(1, int(len(size.campaigns) * fraction))]
    started = time.perf_counter()
    for account in accounts:
        recent = Post.objects.filter(
            collaboration__creator=account.creator, platform=account.platform
        ).order_by("-published_at")[:12]
        rates = [
            ((p.likes or 0) + (p.comments or 0) + (p.shares or 0) + (p.saves or 0))
            / account.followers
            for p in recent
        ]
        if rates:
            statistics.median(rates)
        history = [s.followers for s in AccountSnapshot.objects.filter(account=account)]
        gains = [b - a for a, b in pairwise(history)]
        if gains:
            statistics.median(gains)
        AudienceProfile.objects.filter(account=account).order_by("-captured_on").first()
    for campaign in campaigns:
        for collaboration in campaign.collaborations.all():
            for post in collaboration.posts.all():
                latest = post.snapshots.order_by("-bucket").first()
                for snapshot in post.snapshots.all():
                    _ = snapshot.views, latest
    seconds = time.perf_counter() - started
    share = (len(accounts) / size.accounts + len(campaigns) / len(size.campaigns)) / 2
    return seconds, share
