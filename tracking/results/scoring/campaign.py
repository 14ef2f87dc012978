"""The campaign figures, with exactly the names the pages and `campaign_report` show.

    engagements = likes + comments + shares + saves   (a missing counter counts as 0 and is
                                                       reported in `missing_counters`)
    impressions of a post = impressions if known, else views, else reach
    engagement_rate = engagements / impressions       cpm = cost / impressions × 1000
    cpe = cost / engagements      cpc = cost / clicks  cpa = cost / conversions
    roas = revenue / cost         roi = (revenue − cost) / cost
    ctr = clicks / impressions    conversion_rate = conversions / clicks

Totals (cost, impressions, engagements…) add up every post. A rate, though, is computed over
the posts that report its counters, and says how many those are (`coverage`, "over 7 of 9
posts"): a post whose likes are hidden would put its impressions in the denominator without
its likes in the numerator, and bias the rate low.

    engagement_rate   over the posts that report likes and impressions (or their fallback)
    cpe               over the posts that report likes
    cpm, ctr          over the posts that report impressions (or their fallback)

Likes stand for "the post reports its engagements": every platform API reports them unless
the owner hides them, while comments, shares and saves are absent on whole platforms. Money
and clicks belong to a collaboration, not to a post: for cpe, cpm and ctr a collaboration's
cost and clicks are spread evenly over its posts (as the platform breakdown spreads them) and
only the share of the reporting posts counts. A collaboration with no post yet has no post to
carry its cost or clicks: they wait out of these rates until it posts (the total cost, cpc,
cpa, roas and roi count them). When every post reports every counter and every creator has
posted these are the plain formulas.

roas and roi are None while a group has nothing to measure them on (no post, click or
order): before then −100 % would be arithmetic, not a result.

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


# Per-post sums that group totals add up: the counts each rate and ratio is computed over.
SUMMED = (
    "engagements",
    "emv",
    "deleted",
    "liked_posts",  # posts that report likes: the cpe and sponsored_vs_organic
    "liked_engagements",
    "seen_posts",  # posts that report impressions (or their fallback): cpm and ctr
    "rated_posts",  # posts that report both: the engagement rate
    "rated_engagements",
    "rated_impressions",
    "usual_posts",  # posts that report views and whose account has usual views
    "usual_views",
    "usual_expected",
    "organic_posts",  # posts that report likes and whose account has an organic rate
    "organic_engagements",
    "organic_expected",
)
# The posts each rate is computed over, by the name of the rate.
COVERAGE = {
    "engagement_rate": "rated_posts",
    "cpe": "liked_posts",
    "cpm": "seen_posts",
    "ctr": "seen_posts",
    "views_vs_usual": "usual_posts",
    "sponsored_vs_organic": "organic_posts",
}


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
    views_vs_usual: float | None = None
    sponsored_vs_organic: float | None = None
    posts: int = 0
    # How many of the posts each rate is computed over (see the module's docstring).
    coverage: dict[str, int] = field(default_factory=dict)
    missing_counters: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        # Shallow (dataclasses.asdict deep-copies): this runs once per creator per campaign.
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Reporting:
    """The part of a group's cost and clicks that belongs to its posts that report likes (for
    the cpe) and impressions (for the cpm and ctr)."""

    cost_liked: Decimal | None
    cost_seen: Decimal | None
    clicks_seen: float


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
    unknown cost or revenue (a missing exchange rate) makes the figures built on it None.
    The cost and clicks are spread evenly over the posts (one collaboration's)."""
    totals = group_totals(post_totals(posts, emv_rates), pd.Series(0, index=posts.index))
    row = totals.iloc[0] if len(totals) else empty_totals()
    posts_count = int(row["posts"])
    return figures_from(
        row,
        cost=cost,
        revenue=revenue,
        clicks=clicks,
        conversions=conversions,
        emv_known=bool(emv_rates),
        reporting=Reporting(
            cost_liked=_spread(cost, row["liked_posts"], posts_count),
            cost_seen=_spread(cost, row["seen_posts"], posts_count),
            clicks_seen=clicks * row["seen_posts"] / posts_count if posts_count else clicks,
        ),
    )


def _spread(amount: Decimal | None, part: int, whole: int) -> Decimal | None:
    """The share of `amount` that `part` of `whole` posts carry (all of it without posts)."""
    if amount is None or not whole:
        return amount
    return amount * Decimal(int(part)) / Decimal(int(whole))


def post_totals(
    posts: pd.DataFrame,
    emv_rates: Mapping[str, Mapping[str, Decimal]] | None = None,
    *,
    usual_views: pd.Series | None = None,
    usual_engagements: pd.Series | None = None,
) -> pd.DataFrame:
    """Per post: engagements, impressions (with the fallbacks), EMV (0 without rates),
    whether it was deleted, which engagement counters it reported, and the sums each rate is
    computed over (SUMMED). `usual_views` and `usual_engagements` (aligned with `posts`) are
    what the post's account usually gets per post: average views, followers × organic rate."""
    result = pd.DataFrame(index=posts.index)
    engagements = post_engagements(posts)
    impressions = post_impressions(posts)
    result["engagements"] = engagements
    result["impressions"] = impressions
    for name in ("reach", "views"):
        result[name] = posts[name].astype("float64") if name in posts else float("nan")
    result["emv"] = _post_emv(posts, emv_rates or {})
    status = posts["status"] if "status" in posts else pd.Series("", index=posts.index)
    result["deleted"] = (status == "deleted").astype("int64")
    for name in ENGAGEMENT_COUNTERS:
        result[f"has_{name}"] = posts[name].notna() if name in posts else False
    liked = result["has_likes"].astype(bool)
    seen = impressions.notna()
    rated = liked & seen
    _counted(result, "liked", liked, engagements=engagements)
    result["seen_posts"] = seen.astype("int64")
    _counted(result, "rated", rated, engagements=engagements, impressions=impressions)
    nothing = pd.Series(float("nan"), index=posts.index)
    usual = _positive(nothing if usual_views is None else usual_views)
    organic = _positive(nothing if usual_engagements is None else usual_engagements)
    with_usual = result["views"].notna() & usual.notna()
    _counted(result, "usual", with_usual, views=result["views"], expected=usual)
    _counted(result, "organic", liked & organic.notna(), engagements=engagements, expected=organic)
    return result


def _positive(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return numbers.where(numbers > 0)


def _counted(result: pd.DataFrame, prefix: str, kept: pd.Series, **values: pd.Series) -> None:
    """`prefix`_posts: 1 for the posts kept; `prefix`_<name>: their values, 0 elsewhere."""
    result[f"{prefix}_posts"] = kept.astype("int64")
    for name, value in values.items():
        result[f"{prefix}_{name}"] = value.astype("float64").where(kept, 0.0)


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
    """post_totals (or group totals) summed per group: counts add, a counter no post of the
    group reported stays unknown (NaN), and has_* tell whether any post reported it."""
    grouped = totals.groupby(keys, sort=False)
    summed = grouped[list(SUMMED)].sum()
    unknown = ["impressions", "reach", "views"]
    summed[unknown] = grouped[unknown].sum(min_count=1)
    reported = [f"has_{name}" for name in ENGAGEMENT_COUNTERS]
    summed[reported] = grouped[reported].any()
    summed["posts"] = grouped["posts"].sum() if "posts" in totals else grouped.size()
    return summed


def empty_totals() -> pd.Series:
    nan = float("nan")
    values: dict[str, object] = dict.fromkeys(SUMMED, 0) | {"emv": 0.0, "posts": 0}
    values |= {"impressions": nan, "reach": nan, "views": nan}
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
    reporting: Reporting,
) -> Figures:
    """The figures of one group from its summed post totals and its money, clicks and orders
    (with the part of them that belongs to the posts reporting each counter)."""
    impressions = _count(totals["impressions"])
    engagements = int(totals["engagements"])
    seen_impressions = impressions if int(totals["seen_posts"]) else None
    measured = bool(int(totals["posts"]) or clicks or conversions)
    return Figures(
        cost=cost,
        revenue=revenue,
        impressions=impressions,
        reach=_count(totals["reach"]),
        views=_count(totals["views"]),
        engagements=engagements,
        clicks=clicks,
        conversions=conversions,
        engagement_rate=ratio(totals["rated_engagements"], totals["rated_impressions"]),
        cpm=_times(ratio(reporting.cost_seen, seen_impressions), 1000),
        cpe=ratio(reporting.cost_liked, totals["liked_engagements"]),
        cpc=ratio(cost, clicks),
        cpa=ratio(cost, conversions),
        roas=ratio(revenue, cost) if measured else None,
        roi=None
        if revenue is None or cost is None or not measured
        else ratio(revenue - cost, cost),
        ctr=ratio(reporting.clicks_seen, seen_impressions),
        conversion_rate=ratio(conversions, clicks),
        emv=Decimal(str(round(float(totals["emv"]), 2))).quantize(Decimal("0.01"))
        if emv_known
        else None,
        views_vs_usual=_rounded(ratio(totals["usual_views"], totals["usual_expected"])),
        sponsored_vs_organic=_rounded(
            ratio(totals["organic_engagements"], totals["organic_expected"])
        ),
        posts=int(totals["posts"]),
        coverage={name: int(totals[column]) for name, column in COVERAGE.items()},
        missing_counters=[
            name
            for name in ENGAGEMENT_COUNTERS
            if int(totals["posts"]) and not bool(totals[f"has_{name}"])
        ],
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor
