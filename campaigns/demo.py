"""Demo campaigns for the demo agency: every status, every stage, drafts in review, overdue work.

Dates are relative to today, so the demo always has something due, late or expiring.
Idempotent: a campaign that already exists (by brand and name) is left as it is.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from campaigns import services, stages
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Collaboration,
    CollaborationEvent,
    Decision,
    Deliverable,
    DeliverableStatus,
    EventKind,
    InsightReport,
    InstallmentStatus,
    KpiMetric,
    Objective,
    PayeeKind,
    PayeeSource,
    Shipment,
    Stage,
)
from campaigns.services import payouts as payout_services
from creators.models import Creator, DeliverableFormat, Platform, Tier
from kolhub.models import Brand, Membership, Role, Workspace

BRIEF = {
    "key_messages": "冷泡 8 小時，回甘不苦澀。\n台灣高山茶葉，無糖也好喝。",
    "dos": "自然光拍攝產品與茶湯顏色\n分享自己真實的飲用時機",
    "donts": "不可宣稱療效\n不可與其他飲料品牌同框",
    "hashtags": "#山嵐冷泡 #夏日好茶",
    "mentions": "@mountainmist.tea",
    "disclosure": "#合作",
    "required_link": "https://shop.example.com/coldbrew",
    "promo_code": "MIST15",
    "forbidden_words": "治療, 減肥, 最便宜",
    "format_requirements": "Reel：15–30 秒直式，前 3 秒出現產品。\n貼文：至少 3 張照片。",
}
# brand index, name, objective, status, starts (days from today), length (days), budget
# Young urban Taiwanese, mostly women: what the demo brands (skincare, tea) are after.
DEMO_TARGET_AUDIENCE = {
    "age": {"18-24": 0.35, "25-34": 0.45, "35-44": 0.2},
    "gender": {"female": 0.75, "male": 0.25},
    "countries": {"TW": 1.0},
    "cities": {"台北市": 0.4, "新北市": 0.3, "台中市": 0.3},
}

CAMPAIGNS = [
    (0, "山嵐冷泡茶 夏日開箱", Objective.CONVERSION, CampaignStatus.RUNNING, -24, 40, 600_000),
    (0, "春節茶禮盒 2026", Objective.AWARENESS, CampaignStatus.CLOSED, -300, 30, 300_000),
    (1, "露米精華 30 天挑戰", Objective.TRUST, CampaignStatus.RUNNING, -10, 35, 450_000),
    (1, "露米防曬 預購季", Objective.CONVERSION, CampaignStatus.PLANNING, 20, 40, 380_000),
    (2, "Ledgerly 報稅季", Objective.TRUST, CampaignStatus.OBSERVING, -75, 30, 250_000),
    (2, "Ledgerly 年度方案上市", Objective.AWARENESS, CampaignStatus.DRAFT, 60, 30, 200_000),
]
# The stages each campaign's roster walks through, one collaboration per entry.
ROSTERS = {
    CampaignStatus.RUNNING: [*stages.PIPELINE, *stages.OUTCOMES],
    CampaignStatus.CLOSED: [Stage.REPORTED] * 4 + [Stage.PUBLISHED, Stage.DECLINED],
    CampaignStatus.OBSERVING: [Stage.REPORTED] * 3 + [Stage.PUBLISHED, Stage.GHOSTED],
    CampaignStatus.PLANNING: [
        Stage.SHORTLISTED,
        Stage.SHORTLISTED,
        Stage.CONTACTED,
        Stage.NEGOTIATING,
    ],
    CampaignStatus.DRAFT: [Stage.SHORTLISTED, Stage.SHORTLISTED],
}
FORMAT_BY_PLATFORM = {
    Platform.INSTAGRAM: DeliverableFormat.IG_REEL,
    Platform.YOUTUBE: DeliverableFormat.YT_VIDEO,
    Platform.TIKTOK: DeliverableFormat.TIKTOK,
    Platform.FACEBOOK: DeliverableFormat.FB_POST,
    Platform.THREADS: DeliverableFormat.THREADS_POST,
    Platform.BLOG: DeliverableFormat.BLOG,
    Platform.PODCAST: DeliverableFormat.PODCAST,
}
SLOPPY_CAPTION = (
    "夏天就是要喝冷泡茶!这个茶真的很顺口,推荐给大家\n"
    "#山嵐冷泡 @mountainmist.tea 用MIST15折扣码 delicous and refreshing"
)
FIXED_CAPTION = (
    "夏天就是要喝冷泡茶！這款茶真的很順口，推薦給大家。\n"
    "#山嵐冷泡 #夏日好茶 @mountainmist.tea #合作\n"
    "用 MIST15 折扣碼 → https://shop.example.com/coldbrew\n"
    "Delicious and refreshing."
)


def seed(workspace: Workspace) -> None:
    """Create the demo campaigns of this workspace (existing ones are kept as they are)."""
    rng = random.Random(4)
    brands = list(Brand.objects.for_workspace(workspace).order_by("pk")[:3])
    owner = (
        Membership.objects.for_workspace(workspace)
        .filter(role=Role.MANAGER)
        .select_related("user")
        .first()
    )
    creators = list(
        Creator.objects.for_workspace(workspace)
        .exclude(top_tier="")
        .prefetch_related("accounts")
        .order_by("pk")
    )
    if len(brands) < 3 or not creators or owner is None:
        return
    today = timezone.localdate()
    for brand_index, name, objective, status, start, length, budget in CAMPAIGNS:
        if Campaign.objects.filter(brand=brands[brand_index], name=name).exists():
            continue
        with transaction.atomic():
            campaign = _campaign(
                workspace,
                brands[brand_index],
                owner.user,
                today,
                name,
                objective,
                status,
                start,
                length,
                budget,
            )
            roster = ROSTERS[CampaignStatus(status)]
            picked = rng.sample(creators, k=min(len(roster), len(creators)))
            for position, (creator, stage) in enumerate(zip(picked, roster, strict=False)):
                _collaboration(campaign, creator, stage, owner.user, today, position, rng)


def _campaign(workspace, brand, user, today, name, objective, status, start, length, budget):
    starts = today + timedelta(days=start)
    campaign = services.campaign_save(
        campaign=Campaign(
            workspace=workspace,
            brand=brand,
            name=name,
            objective=objective,
            status=status,
            starts_on=starts,
            ends_on=starts + timedelta(days=length),
            currency=workspace.currency,
            total_budget=Decimal(budget),
            owner=user,
            brand_approval=brand.pk % 2 == 0,
            auto_approve_days=3 if brand.pk % 2 == 0 else None,
        ),
        user=user,
    )
    services.campaign_target_audience_set(campaign=campaign, target=DEMO_TARGET_AUDIENCE)
    services.kpi_targets_set(
        campaign=campaign,
        targets={
            KpiMetric.IMPRESSIONS: Decimal(budget * 4),
            KpiMetric.ENGAGEMENT_RATE: Decimal("3.5"),
            KpiMetric.CPE: Decimal("12"),
            KpiMetric.CONVERSIONS: Decimal(budget // 1500),
            KpiMetric.ROAS: Decimal("2.5"),
        },
    )
    services.tier_budgets_set(
        campaign=campaign,
        plans={
            Tier.MEGA: (Decimal(25), None),
            Tier.MACRO: (Decimal(20), None),
            Tier.MID: (Decimal(20), None),
            Tier.MICRO: (Decimal(30), None),
            Tier.NANO: (Decimal(5), None),
        },
    )
    services.brief_publish(campaign=campaign, user=user, fields=BRIEF)
    return campaign


def _collaboration(campaign, creator, stage, user, today, position, rng) -> None:
    """One collaboration, built up to `stage` with what that stage implies."""
    services.collaborations_add(campaign=campaign, creators=[creator], user=user)
    collaboration = Collaboration.objects.get(campaign=campaign, creator=creator)
    account = next(iter(creator.accounts.all()), None)
    platform = account.platform if account else Platform.INSTAGRAM
    reached = _reached(stage)
    moved_at = timezone.now() - timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 20))
    if Stage.CONTRACTED in reached:
        fee = (creator.min_price or Decimal(8000)).quantize(Decimal(1))
        collaboration.fee = fee
        collaboration.product_cost = Decimal(1200)
        collaboration.shipping_cost = Decimal(150)
        collaboration.rights_organic = True
        collaboration.rights_paid_ads = position % 2 == 0
        collaboration.rights_territory = "台灣 Taiwan"
        collaboration.rights_starts_on = campaign.starts_on
        # One set of rights expires within two weeks: the reminder shows it.
        collaboration.rights_ends_on = (
            today + timedelta(days=10) if position == 9 else campaign.ends_on + timedelta(days=180)
        )
        collaboration.min_live_days = 30
        collaboration.brief_sent = services.latest_brief(campaign)
    collaboration.stage = stage
    collaboration.stage_changed_at = moved_at
    collaboration.save()
    CollaborationEvent.objects.create(
        workspace_id=campaign.workspace_id,
        collaboration=collaboration,
        kind=EventKind.STAGE,
        from_stage=Stage.SHORTLISTED,
        to_stage=stage,
        actor=user,
        created_at=moved_at,
    )
    if Stage.CONTRACTED in reached:
        _payouts(collaboration, stage, user, today, position)
        deliverable = _deliverable(campaign, collaboration, platform, stage, today, position)
        if Stage.PRODUCT_SHIPPED in reached:
            _shipment(collaboration, creator, stage, today, position)
        if Stage.IN_REVIEW in reached:
            _drafts(deliverable, stage, user)
        if Stage.PUBLISHED in reached:
            deliverable.published_at = _published_at(deliverable, today)
            services.live_post_submit(
                deliverable=deliverable,
                url=_demo_post_url(platform, account.handle if account else "", collaboration.pk),
            )
            Collaboration.objects.filter(pk=collaboration.pk).update(stage=stage)
        if stage == Stage.REPORTED:
            InsightReport.objects.create(
                workspace_id=campaign.workspace_id,
                deliverable=deliverable,
                reach=rng.randint(8_000, 90_000),
                impressions=rng.randint(12_000, 140_000),
                likes=rng.randint(300, 6_000),
                comments=rng.randint(20, 400),
                saves=rng.randint(30, 900),
                by_creator=True,
            )


def _payouts(collaboration, stage, user, today, position) -> None:
    """A 30/70 schedule: the deposit paid once the work is under way, the rest when reported;
    every third payee a studio that invoices (nothing withheld), the others residents."""
    if position % 3 == 0:
        payee = {"kind": PayeeKind.BUSINESS, "legal_name": f"{collaboration.creator} 工作室"}
        payee |= {"tax_id": "22099131"}
    else:
        payee = {"kind": PayeeKind.RESIDENT, "legal_name": str(collaboration.creator)}
        payee |= {"tax_id": "A123456789"}
    payee |= {
        "bank_code": "812",
        "branch_code": "0012",
        "account_number": f"00123456{position:04d}",
        "account_holder": payee["legal_name"],
        "nhi_exempt": False,
    }
    services.payee_save(collaboration=collaboration, data=payee, via=PayeeSource.PORTAL, actor=None)
    with translation.override(collaboration.workspace.language):
        parts = [
            (gettext("On signing"), Decimal(30), today - timedelta(days=20)),
            (gettext("After the post is live"), Decimal(70), today + timedelta(days=position % 9)),
        ]
    deposit, rest = payout_services.installments_schedule(
        collaboration=collaboration, parts=parts, actor=user
    )
    reached = _reached(stage)
    for installment, paid in (
        (deposit, Stage.DRAFTING in reached),
        (rest, stage == Stage.REPORTED),
    ):
        if paid or installment is deposit:
            payout_services.installment_move(
                installment=installment, to=InstallmentStatus.APPROVED, actor=user, can_manage=True
            )
        if paid:
            payout_services.installment_move(
                installment=installment,
                to=InstallmentStatus.PAID,
                actor=user,
                can_manage=True,
                paid_on=today - timedelta(days=3 if installment is rest else 15),
                reference=f"DEMO-{collaboration.pk}-{installment.position}",
            )


def _published_at(deliverable: Deliverable, today) -> datetime:
    """Published on the due date, in the evening (when Taiwanese feeds are busiest)."""
    day = min(deliverable.publish_due or today, today - timedelta(days=1))
    return timezone.make_aware(datetime.combine(day, time(20, 0)))


def _demo_post_url(platform: str, handle: str, number: int) -> str:
    """A well-formed post URL of the platform (the ids are made up, as the demo is)."""
    handle = handle or "demo.creator"
    urls = {
        Platform.YOUTUBE: f"https://www.youtube.com/watch?v=demo{number:07d}",
        Platform.TIKTOK: f"https://www.tiktok.com/@{handle}/video/73{number:017d}",
        Platform.FACEBOOK: f"https://www.facebook.com/{handle}/posts/{10_000_000_000 + number}",
        Platform.THREADS: f"https://www.threads.net/@{handle}/post/DEMO{number:05d}",
    }
    return urls.get(platform, f"https://www.instagram.com/reel/DEMO{number:05d}/")


def _reached(stage: str) -> set[str]:
    """The pipeline stages a collaboration in `stage` has been through (outcomes: up to a point)."""
    if stage in stages.PIPELINE:
        return set(stages.PIPELINE[: stages.PIPELINE.index(stage) + 1])
    if stage == Stage.GHOSTED:
        return set(stages.PIPELINE[: stages.PIPELINE.index(Stage.PRODUCT_SHIPPED) + 1])
    return set()


def _deliverable(campaign, collaboration, platform, stage, today, position) -> Deliverable:
    publish_due = max(campaign.starts_on, today + timedelta(days=position - 4))
    draft_due = max(campaign.starts_on, publish_due - timedelta(days=5))
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.OBSERVING):
        publish_due = campaign.starts_on + timedelta(days=10 + position)
        draft_due = publish_due - timedelta(days=5)
    if stage == Stage.DRAFTING:  # a late draft for the overdue board
        draft_due = today - timedelta(days=3)
        publish_due = today + timedelta(days=4)
    if stage == Stage.CONTRACTED:  # due in two days: a "due soon" reminder
        draft_due = today + timedelta(days=1)
        publish_due = today + timedelta(days=8)
    return Deliverable.objects.create(
        workspace_id=campaign.workspace_id,
        collaboration=collaboration,
        format=FORMAT_BY_PLATFORM.get(platform, DeliverableFormat.OTHER),
        platform=platform,
        draft_due=draft_due,
        publish_due=publish_due,
        requirements="直式影片 15–30 秒，前 3 秒出現產品；字幕請用繁體中文。",
        status=DeliverableStatus.DRAFTING if stage == Stage.DRAFTING else DeliverableStatus.PLANNED,
    )


def _shipment(collaboration, creator, stage, today, position) -> None:
    shipped = today - timedelta(days=10 if stage == Stage.PRODUCT_SHIPPED else 14 + position)
    received = (
        None if stage in (Stage.PRODUCT_SHIPPED, Stage.GHOSTED) else shipped + timedelta(days=2)
    )
    Shipment.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        items="冷泡茶禮盒（6 入）",
        quantity=1,
        value=Decimal(1200),
        recipient_name=creator.real_name or creator.display_name,
        recipient_phone="0912-345-678",
        recipient_address="台北市信義區松仁路 100 號 12 樓",
        carrier="黑貓宅急便",
        tracking_number=f"9{collaboration.pk:011d}",
        shipped_on=shipped,
        delivered_on=shipped + timedelta(days=1) if received else None,
        received_on=received,
    )


def _drafts(deliverable: Deliverable, stage: str, reviewer) -> None:
    """A sloppy first version sent back, then a clean second one (approved past review)."""
    first = services.draft_submit(deliverable=deliverable, caption=SLOPPY_CAPTION, by_creator=True)
    services.draft_review(
        draft=first,
        user=reviewer,
        decision=Decision.CHANGES,
        body="請改用繁體中文並補上 #夏日好茶、#合作 與購買連結，英文拼字也請再確認。",
    )
    second = services.draft_submit(deliverable=deliverable, caption=FIXED_CAPTION, by_creator=True)
    if stage == Stage.IN_REVIEW:
        return
    services.draft_review(draft=second, user=reviewer, decision=Decision.APPROVE, body="很棒！")
    if second.status == "brand":
        services.draft_review(
            draft=second, user=None, decision=Decision.BRAND_APPROVE, body="品牌端確認 OK"
        )
