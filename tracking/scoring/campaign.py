"""The campaign figures, with exactly the names the pages and `campaign_report` show.

    engagements = likes + comments + shares + saves   (a missing counter counts as 0 and is
                                                       reported in `missing_counters`)
    impressions of a post = impressions if known, else views, else reach
    engagement_rate = engagements / impressions       cpm = cost / impressions × 1000
    cpe = cost / engagements      cpc = cost / clicks  cpa = cost / conversions
    roas = revenue / cost         roi = (revenue − cost) / cost
    ctr = clicks / impressions    conversion_rate = conversions / clicks

A division by zero (or by something unknown) is None, shown as "n/a" with the reason: never
0 and never infinity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import pandas as pd

ENGAGEMENT_COUNTERS = ("likes", "comments", "shares", "saves")
# Which counter stands for a post's impressions, in order of preference.
IMPRESSION_SOURCES = ("impressions", "views", "reach")
EMV_ACTIONS = ("impressions", "views", "likes", "comments", "shares", "saves")


def ratio(numerator: float | Decimal | None, denominator: float | Decimal | None) -> float | None:
    """numerator / denominator, or None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def post_engagements(posts: pd.DataFrame) -> pd.Series:
    """likes + comments + shares + saves per post; a missing counter counts as 0."""
    present = [name for name in ENGAGEMENT_COUNTERS if name in posts]
    if not present:
        return pd.Series(0, index=posts.index, dtype="int64")
    return posts[present].fillna(0).sum(axis=1).astype("int64")


def post_impressions(posts: pd.DataFrame) -> pd.Series:
    """impressions if known, else views, else reach; NaN when none of them is."""
    result = pd.Series(float("nan"), index=posts.index, dtype="float64")
    for name in reversed(IMPRESSION_SOURCES):
        if name in posts:
            result = posts[name].astype("float64").where(posts[name].notna(), result)
    return result


def missing_counters(posts: pd.DataFrame) -> list[str]:
    """The engagement counters no post reported (the page says the total lacks them); none
    when there is no post at all."""
    if posts.empty:
        return []
    return [name for name in ENGAGEMENT_COUNTERS if name not in posts or posts[name].isna().all()]


@dataclass(frozen=True)
class Figures:
    cost: Decimal | None
    revenue: Decimal | None
    impressions: int | None
    reach: int | None
    views: int | None
    engagements: int
    clicks: float
    conversions: float
    engagement_rate: float | None
    cpm: float | None
    cpe: float | None
    cpc: float | None
    cpa: float | None
    roas: float | None
    roi: float | None
    ctr: float | None
    conversion_rate: float | None
    emv: Decimal | None
    missing_counters: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def campaign_figures(
    posts: pd.DataFrame,
    *,
    cost: Decimal | None,
    revenue: Decimal | None,
    clicks: float,
    conversions: float,
    emv_rates: Mapping[str, Mapping[str, Decimal]] | None = None,
) -> Figures:
    """The figures of a set of posts and what they cost and brought (a campaign, or one
    creator, tier or platform of it). `posts` has a `platform` column and the counters; an
    unknown cost or revenue (a missing exchange rate) makes the figures built on it None."""
    known = post_impressions(posts).dropna()
    impressions = int(known.sum()) if not known.empty else None
    engagements = int(post_engagements(posts).sum())
    return Figures(
        cost=cost,
        revenue=revenue,
        impressions=impressions,
        reach=known_total(posts, "reach"),
        views=known_total(posts, "views"),
        engagements=engagements,
        clicks=clicks,
        conversions=conversions,
        engagement_rate=ratio(engagements, impressions),
        cpm=_times(ratio(cost, impressions), 1000),
        cpe=ratio(cost, engagements),
        cpc=ratio(cost, clicks),
        cpa=ratio(cost, conversions),
        roas=ratio(revenue, cost),
        roi=None if revenue is None or cost is None else ratio(revenue - cost, cost),
        ctr=ratio(clicks, impressions),
        conversion_rate=ratio(conversions, clicks),
        emv=earned_media_value(posts, emv_rates) if emv_rates else None,
        missing_counters=missing_counters(posts),
    )


def known_total(posts: pd.DataFrame, name: str) -> int | None:
    """Σ of a counter over the posts that report it; None when none does (reach is summed
    as reported: people reached by two posts count twice, see audience overlap)."""
    if name not in posts or posts[name].isna().all():
        return None
    return int(posts[name].sum())


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def earned_media_value(posts: pd.DataFrame, rates: Mapping[str, Mapping[str, Decimal]]) -> Decimal:
    """Σ over posts and actions of count × the platform's value per action (a missing count
    adds nothing). `rates[platform][action]`, e.g. rates["instagram"]["likes"]."""
    total = Decimal(0)
    for platform, group in posts.groupby("platform"):
        platform_rates = rates.get(str(platform), {})
        for action in EMV_ACTIONS:
            if action in group and action in platform_rates:
                count = int(group[action].fillna(0).sum())
                total += Decimal(count) * Decimal(platform_rates[action])
    return total.quantize(Decimal("0.01"))
