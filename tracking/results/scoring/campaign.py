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
from dataclasses import dataclass, field
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
        # Shallow (dataclasses.asdict deep-copies): this runs once per creator per campaign.
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


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
    totals = group_totals(post_totals(posts, emv_rates), pd.Series(0, index=posts.index))
    row = totals.iloc[0] if len(totals) else empty_totals()
    return figures_from(
        row,
        cost=cost,
        revenue=revenue,
        clicks=clicks,
        conversions=conversions,
        emv_known=bool(emv_rates),
    )


def post_totals(
    posts: pd.DataFrame, emv_rates: Mapping[str, Mapping[str, Decimal]] | None = None
) -> pd.DataFrame:
    """Per post: engagements, impressions (with the fallbacks), EMV (0 without rates),
    whether it was deleted, and which engagement counters it reported."""
    result = pd.DataFrame(index=posts.index)
    result["engagements"] = post_engagements(posts)
    result["impressions"] = post_impressions(posts)
    for name in ("reach", "views"):
        result[name] = posts[name].astype("float64") if name in posts else float("nan")
    result["emv"] = _post_emv(posts, emv_rates or {})
    status = posts["status"] if "status" in posts else pd.Series("", index=posts.index)
    result["deleted"] = (status == "deleted").astype("int64")
    for name in ENGAGEMENT_COUNTERS:
        result[f"has_{name}"] = posts[name].notna() if name in posts else False
    return result


def _post_emv(posts: pd.DataFrame, rates: Mapping[str, Mapping[str, Decimal]]) -> pd.Series:
    value = pd.Series(0.0, index=posts.index)
    if not rates or posts.empty:
        return value
    for action in EMV_ACTIONS:
        if action not in posts:
            continue
        unit = posts["platform"].map(lambda p, a=action: float(rates.get(str(p), {}).get(a, 0)))
        value += posts[action].astype("float64").fillna(0) * unit
    return value


def group_totals(totals: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """post_totals summed per group: counts add, a counter no post of the group reported stays
    unknown (NaN), and has_* tell whether any post reported it."""
    grouped = totals.groupby(keys, sort=False)
    summed = grouped[["engagements", "emv", "deleted"]].sum()
    for name in ("impressions", "reach", "views"):
        summed[name] = grouped[name].sum(min_count=1)
    for name in ENGAGEMENT_COUNTERS:
        summed[f"has_{name}"] = grouped[f"has_{name}"].any()
    summed["posts"] = grouped.size()
    return summed


def empty_totals() -> pd.Series:
    nan = float("nan")
    values: dict[str, object] = {
        "engagements": 0,
        "emv": 0.0,
        "deleted": 0,
        "posts": 0,
        "impressions": nan,
        "reach": nan,
        "views": nan,
    }
    values |= {f"has_{name}": False for name in ENGAGEMENT_COUNTERS}
    return pd.Series(values)


def _count(value) -> int | None:
    return None if value is None or value != value else int(value)


def figures_from(
    totals: Mapping,
    *,
    cost: Decimal | None,
    revenue: Decimal | None,
    clicks: float,
    conversions: float,
    emv_known: bool,
) -> Figures:
    """The figures of one group from its summed post totals and its money, clicks and orders."""
    impressions = _count(totals["impressions"])
    engagements = int(totals["engagements"])
    return Figures(
        cost=cost,
        revenue=revenue,
        impressions=impressions,
        reach=_count(totals["reach"]),
        views=_count(totals["views"]),
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
        emv=Decimal(str(round(float(totals["emv"]), 2))).quantize(Decimal("0.01"))
        if emv_known
        else None,
        missing_counters=[
            name
            for name in ENGAGEMENT_COUNTERS
            if int(totals["posts"]) and not bool(totals[f"has_{name}"])
        ],
    )


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor
