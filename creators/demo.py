"""Demo roster: about 60 creators across tiers, platforms and categories, with history.

Deterministic (a seeded random generator) and idempotent: accounts are keyed by platform +
handle, snapshots by account + day.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from creators import services
from creators.models import (
    AccountSnapshot,
    AudienceProfile,
    AudienceSource,
    Category,
    Classification,
    CommentSample,
    Creator,
    DeliverableFormat,
    Platform,
    RateCardItem,
    RelationshipStatus,
    SocialAccount,
)
from kolhub.models import Workspace

CATEGORIES = [
    "美妝 Beauty",
    "美食 Food",
    "健身 Fitness",
    "科技 Tech",
    "親子 Parenting",
    "理財 Finance",
    "旅遊 Travel",
]
# (display name, handle stem, category index, KOL reason or "" for an influencer)
PEOPLE = [
    ("小美日常", "meimei.daily", 0, ""),
    ("皮膚科林醫師", "dr.lin.skin", 0, "皮膚科專科醫師"),
    ("Ivy 彩妝實驗室", "ivy.makeuplab", 0, ""),
    ("阿蘭保養筆記", "alan.skincare", 0, ""),
    ("Coco 的化妝包", "coco.pouch", 0, ""),
    ("藥師 Jenny", "pharmacist.jenny", 0, "執業藥師"),
    ("小花美甲", "flower.nails", 0, ""),
    ("台中胖虎吃什麼", "taichung.foodie", 1, ""),
    ("Chef 阿宏", "chef.ahong", 1, "飯店主廚"),
    ("夜市女王", "nightmarket.queen", 1, ""),
    ("甜點控 Mia", "mia.dessert", 1, ""),
    ("營養師 Grace", "dietitian.grace", 1, "註冊營養師"),
    ("巷弄咖啡地圖", "alley.coffee", 1, ""),
    ("早午餐日記", "brunch.diary", 1, ""),
    ("健身教練 Leo", "coach.leo", 2, "NSCA 認證教練"),
    ("瑜伽 Yuki", "yoga.yuki", 2, ""),
    ("跑者阿德", "runner.ade", 2, ""),
    ("物理治療師 Ken", "pt.ken", 2, "物理治療師"),
    ("重訓女孩 Amber", "amber.lifts", 2, ""),
    ("登山小隊長", "hiking.captain", 2, ""),
    ("3C 達人 Tony", "tony.gadgets", 3, "前硬體工程師"),
    ("科技宅 Neo", "neo.techtalk", 3, ""),
    ("開箱王", "unbox.king", 3, ""),
    ("程式媽媽", "coding.mama", 3, "軟體工程師"),
    ("手機評測室", "phone.review.tw", 3, ""),
    ("遊戲電競 Ray", "ray.esports", 3, ""),
    ("AI 工具箱", "ai.toolbox.tw", 3, "資料科學家"),
    ("三寶媽日記", "mom.of.three", 4, ""),
    ("小兒科王醫師", "dr.wang.kids", 4, "小兒科醫師"),
    ("爸爸育兒中", "dad.parenting", 4, ""),
    ("親子旅遊趣", "family.trips", 4, ""),
    ("繪本老師 Anna", "anna.picturebooks", 4, "幼教老師"),
    ("寶寶副食品", "baby.food.tw", 4, ""),
    ("理財館長", "finance.curator", 5, "CFP 理財規劃顧問"),
    ("存股阿姨", "dividend.auntie", 5, ""),
    ("會計師 Vincent", "cpa.vincent", 5, "執業會計師"),
    ("小資女理財", "budget.girl", 5, ""),
    ("房地產小幫手", "realestate.helper", 5, ""),
    ("ETF 研究室", "etf.lab.tw", 5, "證券分析師"),
    ("背包客 Sam", "backpacker.sam", 6, ""),
    ("日本自由行", "japan.diy.trip", 6, ""),
    ("環島日記", "round.taiwan", 6, ""),
    ("飯店控 Hana", "hotel.hana", 6, ""),
    ("導遊阿傑", "guide.ajie", 6, "領隊導遊"),
    ("露營家族", "camping.family", 6, ""),
    ("空服員 Kelly", "cabin.kelly", 6, ""),
    ("Mika 穿搭", "mika.ootd", 0, ""),
    ("健康廚房", "healthy.kitchen", 1, ""),
    ("單車環台", "cycle.taiwan", 2, ""),
    ("數位遊牧 Jay", "nomad.jay", 3, ""),
    ("雙寶爸", "two.kids.dad", 4, ""),
    ("保險老實說", "insurance.honest", 5, "保險經紀人"),
    ("海島潛水", "island.diving", 6, ""),
    ("韓系保養", "kbeauty.tw", 0, ""),
    ("拉麵巡禮", "ramen.tour", 1, ""),
    ("居家健身", "home.workout", 2, ""),
    ("Mac 小教室", "mac.classroom", 3, ""),
    ("學齡前遊戲", "preschool.play", 4, ""),
    ("加密貨幣觀察", "crypto.watch.tw", 5, ""),
    ("鐵道旅行", "rail.journeys", 6, ""),
]
REGIONS = ["台北市", "新北市", "桃園市", "台中市", "台南市", "高雄市", "新竹市", "宜蘭縣", "花蓮縣"]
PLATFORM_MIX = [
    (Platform.INSTAGRAM, 1.0),
    (Platform.YOUTUBE, 0.45),
    (Platform.FACEBOOK, 0.4),
    (Platform.TIKTOK, 0.3),
    (Platform.THREADS, 0.35),
    (Platform.BLOG, 0.15),
]
# Follower bands that give a healthy spread of tiers (mostly micro, a few faces).
BANDS = [
    (2_000, 9_500),
    (12_000, 60_000),
    (15_000, 90_000),
    (110_000, 380_000),
    (20_000, 80_000),
    (4_000, 9_800),
    (30_000, 95_000),
    (520_000, 950_000),
    (12_000, 70_000),
    (1_100_000, 2_600_000),
]
RATE_PER_FOLLOWER = Decimal("0.12")
HISTORY_DAYS = 182


def seed(workspace: Workspace) -> None:
    """Create or refresh the demo roster of this workspace."""
    rng = random.Random(20261123)
    categories = {
        name: Category.objects.get_or_create(workspace=workspace, name=name)[0]
        for name in CATEGORIES
    }
    with transaction.atomic():
        creator_ids = [
            _seed_creator(workspace, rng, index, person, categories)
            for index, person in enumerate(PEOPLE)
        ]
    services.creators_refresh_summary(workspace=workspace, creator_ids=creator_ids)


def _seed_creator(workspace, rng, index, person, categories) -> int:
    name, stem, category_index, reason = person
    low, high = BANDS[index % len(BANDS)]
    followers = rng.randint(low, high)
    primary = (
        SocialAccount.objects.for_workspace(workspace)
        .filter(platform=Platform.INSTAGRAM, handle=stem)
        .select_related("creator")
        .first()
    )
    creator = primary.creator if primary else Creator(workspace=workspace)
    creator.display_name = name
    creator.region = REGIONS[index % len(REGIONS)]
    creator.classification = Classification.KOL if reason else Classification.INFLUENCER
    creator.classification_reason = reason
    creator.bio = f"{CATEGORIES[category_index].split()[0]}創作者，分享真實使用心得。"
    creator.email = f"{stem.replace('.', '_')}@example.com"
    creator.line_id = stem.replace(".", "_")
    creator.languages = "中文" if index % 4 else "中文, English"
    creator.rate_currency = workspace.currency
    creator.relationship_status = [
        RelationshipStatus.ACTIVE,
        RelationshipStatus.NEW,
        RelationshipStatus.NEW,
        RelationshipStatus.PAUSED,
    ][index % 4]
    if index % 17 == 5:
        creator.relationship_status = RelationshipStatus.DO_NOT_WORK
        creator.do_not_work_reason = "上次合作未依約發文"
    creator.save()
    creator.categories.add(categories[CATEGORIES[category_index]])
    for platform, chance in PLATFORM_MIX:
        if platform == Platform.INSTAGRAM or rng.random() < chance:
            scale = 1.0 if platform == Platform.INSTAGRAM else rng.uniform(0.05, 0.9)
            _seed_account(
                workspace, rng, creator, platform, stem, int(followers * scale), category_index
            )
    price = _hundreds(Decimal(followers) * RATE_PER_FOLLOWER)
    RateCardItem.objects.update_or_create(
        workspace=workspace,
        creator=creator,
        format=DeliverableFormat.IG_POST,
        defaults={"price": max(price, Decimal(3000))},
    )
    RateCardItem.objects.update_or_create(
        workspace=workspace,
        creator=creator,
        format=DeliverableFormat.IG_REEL,
        defaults={"price": max(_hundreds(price * Decimal("1.6")), Decimal(5000))},
    )
    return creator.pk


def _hundreds(amount: Decimal) -> Decimal:
    return (amount / 100).quantize(Decimal(1)) * 100


def _seed_account(workspace, rng, creator, platform, stem, followers, category) -> None:
    handle = stem if platform != Platform.BLOG else f"{stem.replace('.', '')}.blogspot.com"
    account, _ = SocialAccount.objects.update_or_create(
        workspace=workspace,
        platform=platform,
        handle=handle,
        defaults={
            "creator": creator,
            "followers": followers,
            "following": rng.randint(150, 1800),
            "posts_count": rng.randint(120, 2400),
            "avg_views": int(followers * rng.uniform(0.1, 0.6)),
            "verified": followers > 500_000,
            "last_refreshed_at": timezone.now(),
        },
    )
    _seed_history(workspace, rng, account)
    if platform == Platform.INSTAGRAM:
        _seed_audience(workspace, rng, account)
        _seed_sample(rng, account, category)
        _seed_comments(rng, account)


def _seed_sample(rng, account, category: int) -> None:
    """Commenter handles drawn from the category's fans and from everyone's, so creators of
    one category share part of their audience (the overlap heatmap has something to show)."""
    if account.audience_samples.exists():
        return
    fans = [f"fan.{category}.{n}" for n in rng.sample(range(4_000), 1_200)]
    fans += [f"fan.all.{n}" for n in rng.sample(range(30_000), 800)]
    services.audience_sample_add(account=account, identifiers=fans, description="Demo commenters")


# Demo comments: what an engaged audience asks and tells, in two halves that combine …
COMMENT_OPENERS = (
    "請問", "想問一下，", "說真的，", "看完覺得", "之前就在觀望，", "身為新手，", "剛好需要，",
    "Honestly, ", "Quick question: ", "Thanks for this! ",
)  # fmt: skip
COMMENT_BODIES = (
    "這個在哪裡買得到？", "敏感肌也可以用嗎？", "價格跟上一代比起來差多少？",
    "你用多久才看到效果？", "有沒有更平價的替代品？",
    "可以出一集比較不同品牌的嗎？", "小孩用會不會太刺激？",
    "我照你上次推薦買了，真的很實用", "影片裡說的缺點我也遇過",
    "這集資訊量好大，先收藏", "想看你實際用一個月後的心得", "運費和保固怎麼算？",
    "does it ship to Kaohsiung?", "how long did it last for you?",
    "is the discount code still valid?",
)  # fmt: skip
# … and what bots and pods leave.
STOCK_COMMENTS = ("讚讚讚", "好美😍", "推推", "🔥🔥🔥", "Nice pic!", "👍", "太讚了!!", "好可愛❤️")
COPIED_COMMENT = "這個真的好用推薦給大家 👍 快去買"
# Accounts whose comments look bought (the generic-comments signal fires for them).
BOUGHT_COMMENTS = {"nightmarket.queen", "crypto.watch.tw"}


def _seed_comments(rng, account) -> None:
    """80 comments: mostly real questions and stories with some stock praise; for the
    BOUGHT_COMMENTS accounts, mostly stock praise and one line copied over and over."""
    if account.comment_samples.exists():
        return
    real = [a + b for a in COMMENT_OPENERS for b in COMMENT_BODIES]
    if account.handle in BOUGHT_COMMENTS:
        comments = rng.choices(STOCK_COMMENTS, k=40) + [COPIED_COMMENT] * 14 + rng.sample(real, 26)
    else:
        comments = rng.choices(STOCK_COMMENTS, k=12) + rng.sample(real, 68)
    rng.shuffle(comments)
    services.comment_sample_add(
        account=account,
        comments=comments,
        source=CommentSample.Source.UPLOADED,
        description="Demo comments, last 10 posts",
    )


def _seed_history(workspace, rng, account) -> None:
    """Daily followers over half a year, growing 0.05–0.3 % a day; two accounts gained a
    third of their followers in one day two months ago (the growth-spike signal fires)."""
    today = timezone.localdate()
    followers = account.followers
    rows = []
    spike_day = 60 if account.handle in {"unbox.king", "budget.girl"} else None
    for day in range(HISTORY_DAYS):
        rows.append(
            AccountSnapshot(
                workspace=workspace,
                account=account,
                captured_on=today - timedelta(days=day),
                followers=int(followers),
                following=account.following,
                posts_count=max(0, (account.posts_count or 0) - day // 2),
            )
        )
        shrink = rng.uniform(0.0005, 0.003) + (0.35 if day == spike_day else 0)
        followers = followers / (1 + shrink)
    AccountSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["account", "captured_on"],
        update_fields=["followers", "following", "posts_count"],
    )


def _shares(rng, buckets: list[str], weights: list[float]) -> dict[str, float]:
    noisy = [w * rng.uniform(0.7, 1.3) for w in weights]
    total = sum(noisy)
    return {bucket: round(w / total, 3) for bucket, w in zip(buckets, noisy, strict=True)}


def _seed_audience(workspace, rng, account) -> None:
    AudienceProfile.objects.update_or_create(
        workspace=workspace,
        account=account,
        source=AudienceSource.DEMO,
        defaults={
            "captured_on": timezone.localdate(),
            "age": _shares(
                rng, ["13-17", "18-24", "25-34", "35-44", "45-54", "55+"], [3, 28, 38, 18, 9, 4]
            ),
            "gender": _shares(rng, ["female", "male", "other"], [rng.uniform(30, 75), 40, 1.5]),
            "countries": _shares(rng, ["TW", "HK", "MY", "US", "JP"], [82, 6, 4, 4, 4]),
            "cities": _shares(
                rng, ["台北市", "新北市", "台中市", "高雄市", "台南市"], [30, 25, 18, 15, 12]
            ),
            "languages": _shares(rng, ["zh-TW", "en", "ja"], [88, 9, 3]),
        },
    )
