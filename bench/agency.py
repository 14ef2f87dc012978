"""A busy agency's workspace for `make bench-scale`: 20 brands, 200 campaigns, 10,000 creators
(~15,000 accounts), ~4,000 collaborations, ~8,000 posts and ~2,000,000 snapshots.

It starts as a copy of the demo workspace (the demo's own seeders, same rows in the same
order), then grows: so each page of the demo has a twin here with the same kinds of rows
(a brief, drafts, contracts, connections), and the query counts of the two can be compared.
The demo's first campaign gets the biggest roster, so campaign pages are timed at their worst.

Built once per database with a fixed seed (the same rows every time) and reused while its
`BUILD` mark is there: the pages bench then measures in seconds instead of rebuilding for
minutes. Rows go in with bulk_create and, for the big tables, COPY (bench/scoring_data.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bench.scoring_data import copy_rows
from campaigns.demo import CAMPAIGNS as DEMO_CAMPAIGNS
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Collaboration,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftStatus,
    Installment,
    Shipment,
    Stage,
)
from campaigns.stages import COMMITTED, PIPELINE
from creators.models import AccountSnapshot, AudienceProfile, Category, Creator, SocialAccount
from creators.services.directory import set_directory_columns, tier_thresholds
from kolhub.management.commands.seed_demo import DEMO_BRANDS
from kolhub.models import Brand, Membership, Role, User, Workspace
from tracking.models import AttributionRule, ClickDay, Conversion, MetricSnapshot, Post, TrackedLink
from tracking.results.account_scores import account_scores_compute
from tracking.results.figures import workspace_results_compute

SLUG = "bench-agency"
# Change when the shape of the data changes: an older build is then dropped and rebuilt.
BUILD = "agency-v3"
PASSWORD = "bench-agency"  # noqa: S105 - a local benchmark's account
OWNER_EMAIL = "owner@bench-agency.local"
CLIENT_EMAIL = "client@bench-agency.local"

BRANDS, CAMPAIGNS, CREATORS = 20, 200, 10_000
SNAPSHOTS_PER_POST = 250
PLATFORMS = ["instagram", "youtube", "tiktok", "facebook", "threads"]
FORMATS = {
    "instagram": "ig_reel",
    "youtube": "yt_video",
    "tiktok": "tiktok",
    "facebook": "fb_post",
    "threads": "threads_post",
}
REGIONS = ["台北市", "新北市", "台中市", "台南市", "高雄市", "桃園市", "新竹市"]
# A running campaign's roster: every stage of the pipeline but the last, published three times
# over (most of the work), and some who declined.
ACTIVE_STAGES = [*PIPELINE[:-1], Stage.PUBLISHED, Stage.PUBLISHED, Stage.DECLINED]
STAGES_BY_STATUS = {
    CampaignStatus.DRAFT: [Stage.SHORTLISTED],
    CampaignStatus.PLANNING: [Stage.SHORTLISTED, Stage.CONTACTED, Stage.NEGOTIATING],
    CampaignStatus.RUNNING: ACTIVE_STAGES,
    CampaignStatus.OBSERVING: [Stage.PUBLISHED, Stage.REPORTED, Stage.REPORTED, Stage.GHOSTED],
    CampaignStatus.CLOSED: [Stage.REPORTED, Stage.REPORTED, Stage.REPORTED, Stage.DECLINED],
}
SHIPPED_OR_LATER = set(PIPELINE[PIPELINE.index(Stage.PRODUCT_SHIPPED) :])
CONTRACTED_OR_LATER = COMMITTED
DELIVERABLE_STATUS = {
    Stage.CONTRACTED: DeliverableStatus.PLANNED,
    Stage.PRODUCT_SHIPPED: DeliverableStatus.PLANNED,
    Stage.PRODUCT_RECEIVED: DeliverableStatus.DRAFTING,
    Stage.DRAFTING: DeliverableStatus.DRAFTING,
    Stage.IN_REVIEW: DeliverableStatus.IN_REVIEW,
    Stage.APPROVED: DeliverableStatus.APPROVED,
    Stage.PUBLISHED: DeliverableStatus.PUBLISHED,
    Stage.REPORTED: DeliverableStatus.PUBLISHED,
}


@dataclass(frozen=True)
class Agency:
    workspace: Workspace
    owner: User
    client: User
    largest_campaign: Campaign


def agency() -> Agency:
    """The agency workspace of this database, built first if it is missing or outdated."""
    workspace = Workspace.objects.filter(slug=SLUG).first()
    if workspace is None or workspace.name != f"Bench agency ({BUILD})":
        if workspace is not None:
            _drop(workspace)
        workspace = build()
    return Agency(
        workspace=workspace,
        owner=User.objects.get(email=OWNER_EMAIL),
        client=User.objects.get(email=CLIENT_EMAIL),
        largest_campaign=_demo_twin_campaign(workspace),
    )


def _demo_twin_campaign(workspace: Workspace) -> Campaign:
    return Campaign.objects.get(workspace=workspace, name=DEMO_CAMPAIGNS[0][1])


def _drop(workspace: Workspace) -> None:
    with connection.cursor() as cursor:
        # Cascading deletes through 2M snapshots row by row would take minutes.
        for model in (MetricSnapshot, AccountSnapshot, ClickDay):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE workspace_id = %s",  # noqa: S608 - a model table
                [workspace.pk],
            )
    workspace.delete()


def build() -> Workspace:
    rng = random.Random(21)
    today = timezone.localdate()
    with transaction.atomic():
        workspace = Workspace.objects.create(
            slug=SLUG,
            name=f"Bench agency ({BUILD})",
            timezone="Asia/Taipei",
            currency="TWD",
            language="zh-hant",
            is_demo=True,
        )
        brands = [Brand.objects.create(workspace=workspace, **data) for data in DEMO_BRANDS]
        brands += Brand.objects.bulk_create(
            [Brand(workspace=workspace, name=f"品牌 Brand {n:02d}") for n in range(3, BRANDS)]
        )
        members = _people(workspace, brands)
        _demo_copy(workspace)
        creators = _creators(workspace, rng, today)
        campaigns = [_demo_twin_campaign(workspace)]
        campaigns += _campaigns(workspace, brands, members, rng, today)
        collaborations = _collaborations(workspace, campaigns, creators, members, rng)
        deliverables = _deliverables(workspace, collaborations, rng, today)
        _shipments_drafts_payments(workspace, collaborations, deliverables, rng, today)
        posts = _posts(workspace, deliverables, rng)
        _snapshots(workspace, posts)
        _sales(workspace, collaborations, rng, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    account_scores_compute(workspace.pk)
    workspace_results_compute(workspace.pk)
    return workspace


def _people(workspace: Workspace, brands: list[Brand]) -> list[User]:
    people = []
    # The demo's seeders give the demo's work to the first manager, as in the demo.
    roles = [Role.OWNER] + [Role.MANAGER] * 3 + [Role.MEMBER] * 6
    for n, role in enumerate(roles):
        email = OWNER_EMAIL if n == 0 else f"member{n}@bench-agency.local"
        people.append(_user(email, language="zh-hant"))
        Membership.objects.create(workspace=workspace, user=people[-1], role=role)
    client = _user(CLIENT_EMAIL, language="zh-hant")
    membership = Membership.objects.create(workspace=workspace, user=client, role=Role.CLIENT)
    membership.brands.set(brands[:2])
    return people


def _demo_copy(workspace: Workspace) -> None:
    """The demo's rows, written by the demo's own seeders (as seed_demo runs them)."""
    for config in apps.get_app_configs():
        seeder = getattr(config, "demo_seeder", None)
        if seeder:
            import_string(seeder)(workspace)


def _user(email: str, *, language: str) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"language": language})
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _creators(workspace: Workspace, rng: random.Random, today: date) -> list[Creator]:
    """10,000 creators, half with a second account, each in a category, with 12 weeks of
    follower history and an audience profile per account."""
    thresholds = tier_thresholds(workspace)
    categories = list(Category.objects.filter(workspace=workspace).order_by("pk"))
    creators = [
        Creator(workspace=workspace, display_name=f"創作者 {n:05d}", region=rng.choice(REGIONS))
        for n in range(CREATORS)
    ]
    accounts: list[SocialAccount] = []
    for n, creator in enumerate(creators):
        platforms = rng.sample(PLATFORMS, k=1 if n % 2 else 2)
        mine = [
            SocialAccount(
                workspace=workspace,
                platform=platform,
                handle=f"kol{n:05d}.{platform[:2]}",
                followers=int(rng.lognormvariate(10, 1.5)) + 500,
                following=rng.randint(50, 3_000),
            )
            for platform in platforms
        ]
        for account in mine:
            account.tier = thresholds.tier_for(account.followers)
        set_directory_columns(
            creator,
            thresholds,
            followers=[a.followers for a in mine],
            handles=[a.handle for a in mine],
            labels=[categories[n % len(categories)].name],
            prices=[],
        )
        creator.accounts_to_save = mine  # type: ignore[attr-defined]
    Creator.objects.bulk_create(creators, batch_size=5000)
    for creator in creators:
        for account in creator.accounts_to_save:  # type: ignore[attr-defined]
            account.creator = creator
            accounts.append(account)
    SocialAccount.objects.bulk_create(accounts, batch_size=5000)
    through = Creator.categories.through
    through.objects.bulk_create(
        [
            through(creator_id=c.pk, category_id=categories[n % len(categories)].pk)
            for n, c in enumerate(creators)
        ],
        batch_size=5000,
    )
    copy_rows(
        AccountSnapshot,
        ["workspace_id", "account_id", "captured_on", "followers"],
        (
            (workspace.pk, a.pk, today - timedelta(weeks=week), max(a.followers - week * 40, 0))
            for a in accounts
            for week in range(12)
        ),
    )
    AudienceProfile.objects.bulk_create(
        [
            AudienceProfile(
                workspace=workspace,
                account=a,
                captured_on=today,
                source="api",
                age={"18-24": 0.3, "25-34": 0.5, "35-44": 0.2},
                gender={"female": 0.6, "male": 0.4},
                countries={"TW": 0.85, "HK": 0.1, "MY": 0.05},
            )
            for a in accounts
        ],
        batch_size=5000,
    )
    return creators


def _campaigns(workspace, brands, members, rng, today) -> list[Campaign]:
    """Ten campaigns a brand over two years (the demo's six among them): closed ones long
    ago, running ones now."""
    statuses = (
        [CampaignStatus.CLOSED] * 49
        + [CampaignStatus.OBSERVING] * 49
        + [CampaignStatus.RUNNING] * 78
        + [CampaignStatus.PLANNING] * 11
        + [CampaignStatus.DRAFT] * 7
    )
    starts = {
        CampaignStatus.CLOSED: (-720, -200),
        CampaignStatus.OBSERVING: (-150, -50),
        CampaignStatus.RUNNING: (-40, -5),
        CampaignStatus.PLANNING: (5, 60),
        CampaignStatus.DRAFT: (30, 120),
    }
    campaigns = []
    for n, status in enumerate(statuses):
        start = today + timedelta(days=rng.randint(*starts[status]))
        length = rng.randint(20, 60)
        campaigns.append(
            Campaign(
                workspace=workspace,
                brand=brands[(n + 6) % BRANDS],
                name=f"活動 Campaign {n:03d}",
                slug=f"campaign-{n:03d}",
                objective=rng.choice(["awareness", "trust", "conversion"]),
                status=status,
                starts_on=start,
                ends_on=start + timedelta(days=length),
                observation_ends_on=start + timedelta(days=length + 90),
                currency="TWD",
                total_budget=rng.randint(10, 300) * 10_000,
                owner=rng.choice(members),
            )
        )
    return Campaign.objects.bulk_create(campaigns)


def roster_sizes(rng: random.Random) -> list[int]:
    """About 4,000 collaborations: 300 more in the demo's first campaign, four campaigns of
    100, the other 190 of 5–29 (the demo's five others keep their rosters)."""
    return [300, 100, 100, 100, 100] + [rng.randint(5, 29) for _ in range(CAMPAIGNS - 10)]


def _collaborations(workspace, campaigns, creators, members, rng) -> list[Collaboration]:
    collaborations = []
    for campaign, size in zip(campaigns, roster_sizes(rng), strict=True):
        for creator in rng.sample(creators, k=size):
            stage = rng.choice(STAGES_BY_STATUS[campaign.status])
            collaborations.append(
                Collaboration(
                    workspace=workspace,
                    campaign=campaign,
                    creator=creator,
                    stage=stage,
                    owner=rng.choice(members),
                    tier=rng.choice(["nano", "micro", "micro", "mid", "macro"]),
                    currency="TWD",
                    fee=Decimal(rng.randint(3, 120) * 1000),
                    product_cost=Decimal(rng.choice([0, 800, 1500])),
                )
            )
    return Collaboration.objects.bulk_create(collaborations, batch_size=5000)


def _deliverables(workspace, collaborations, rng, today) -> list[Deliverable]:
    deliverables = []
    for collab in collaborations:
        status = DELIVERABLE_STATUS.get(collab.stage)
        if status is None:
            continue
        # Published work is where the posts are: about 4 a collaboration, ~8,000 in all.
        counts = [3, 4, 4, 5, 5] if status == DeliverableStatus.PUBLISHED else [1, 2, 2, 3, 3]
        for _ in range(rng.choice(counts)):
            platform = rng.choice(PLATFORMS)
            draft_due = today + timedelta(days=rng.randint(-10, 20))
            deliverables.append(
                Deliverable(
                    workspace=workspace,
                    collaboration=collab,
                    platform=platform,
                    format=FORMATS[platform],
                    status=status,
                    draft_due=draft_due,
                    publish_due=draft_due + timedelta(days=7),
                )
            )
    return Deliverable.objects.bulk_create(deliverables, batch_size=5000)


def _shipments_drafts_payments(workspace, collaborations, deliverables, rng, today) -> None:
    Shipment.objects.bulk_create(
        [
            Shipment(
                workspace=workspace,
                collaboration=collab,
                items="新品禮盒",
                recipient_name=collab.creator.display_name,
                recipient_address="台北市信義區松仁路 100 號",
                shipped_on=today - timedelta(days=rng.randint(3, 30)),
                received_on=None if collab.stage == Stage.PRODUCT_SHIPPED else today,
            )
            for collab in collaborations
            if collab.stage in SHIPPED_OR_LATER
        ],
        batch_size=5000,
    )
    Draft.objects.bulk_create(
        [
            Draft(
                workspace=workspace,
                deliverable=item,
                version=1,
                caption="夏日新品開箱 #合作 @brand",
                status=DraftStatus.SUBMITTED,
                submitted_at=timezone.now() - timedelta(days=rng.randint(0, 5)),
            )
            for item in deliverables
            if item.status == DeliverableStatus.IN_REVIEW
        ],
        batch_size=5000,
    )
    installments = []
    for collab in collaborations:
        if collab.stage not in CONTRACTED_OR_LATER:
            continue
        deposit = (collab.fee * Decimal("0.3")).quantize(Decimal(1))
        for position, (label, amount, days) in enumerate(
            [("訂金", deposit, -20), ("尾款", collab.fee - deposit, 25)]
        ):
            installments.append(
                Installment(
                    workspace=workspace,
                    collaboration=collab,
                    position=position,
                    label=label,
                    amount=amount,
                    currency="TWD",
                    due_on=today + timedelta(days=days + rng.randint(-10, 10)),
                )
            )
    Installment.objects.bulk_create(installments, batch_size=5000)


def _posts(workspace, deliverables, rng) -> list[Post]:
    now = timezone.now()
    published = [item for item in deliverables if item.status == DeliverableStatus.PUBLISHED]
    posts = []
    for n, item in enumerate(published):
        views = int(rng.lognormvariate(9, 1.4))
        posts.append(
            Post(
                workspace=workspace,
                collaboration_id=item.collaboration_id,
                deliverable=item,
                platform=item.platform,
                platform_id=f"agency{n:06d}",
                url=f"https://example.com/{item.platform}/agency{n:06d}",
                published_at=now - timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23)),
                status="live",
                views=views,
                likes=views // rng.randint(10, 40),
                comments=views // rng.randint(100, 400),
                shares=views // rng.randint(200, 900),
                saves=views // rng.randint(100, 600),
            )
        )
    return Post.objects.bulk_create(posts, batch_size=5000)


def _snapshots(workspace, posts: list[Post]) -> None:
    """SNAPSHOTS_PER_POST snapshots a post, hourly then further apart, growing to its counters."""
    columns = ["workspace_id", "post_id", "captured_at", "bucket", "source"]
    counters = ["views", "likes", "comments", "shares", "saves"]

    def rows():
        for post in posts:
            for step in range(SNAPSHOTS_PER_POST):
                moment = _capture_time(post.published_at, step)
                share = (step + 1) / SNAPSHOTS_PER_POST
                yield (
                    workspace.pk,
                    post.pk,
                    moment,
                    moment,
                    "api",
                    "{}",
                    *(int(getattr(post, name) * share) for name in counters),
                )

    copy_rows(MetricSnapshot, [*columns, "raw", *counters], rows())


def _capture_time(published_at: datetime, step: int) -> datetime:
    # Hourly for two days, then every six hours: the pull cadence, compressed.
    hours = step + 1 if step < 48 else 48 + (step - 47) * 6
    return (published_at + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def _sales(workspace, collaborations, rng, today) -> None:
    """A tracked link with 30 days of clicks for every contracted collaboration, and orders."""
    contracted = [c for c in collaborations if c.stage in CONTRACTED_OR_LATER]
    links = TrackedLink.objects.bulk_create(
        [
            TrackedLink(
                workspace=workspace,
                collaboration=collab,
                destination="https://shop.example.com/new",
                utm_source="kol",
                utm_medium="influencer",
                utm_campaign=collab.campaign.slug,
                code=f"ag{collab.pk:07d}",
            )
            for collab in contracted
        ],
        batch_size=5000,
    )
    copy_rows(
        ClickDay,
        ["workspace_id", "link_id", "day", "clicks", "unique_visitors", "bot_clicks"],
        (
            (workspace.pk, link.pk, today - timedelta(days=day), clicks, clicks * 4 // 5, 0)
            for link in links
            for day in range(30)
            for clicks in [rng.randint(0, 40)]
        ),
    )
    now = timezone.now()
    Conversion.objects.bulk_create(
        [
            Conversion(
                workspace=workspace,
                channel="shopify",
                order_id=f"#A{n:07d}",
                amount=Decimal(rng.randint(300, 5000)),
                currency="TWD",
                occurred_at=now - timedelta(days=rng.randint(0, 60)),
                collaboration=collab,
                rule=AttributionRule.CLICK_ID,
            )
            for n, collab in enumerate(rng.choices(contracted, k=20_000))
        ],
        batch_size=5000,
    )
