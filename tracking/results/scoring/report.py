"""A campaign's figures as a whole and per creator, tier and platform (the report's shape).

Inputs are plain DataFrames built by `tracking.selectors.campaign_frames`:
    collaborations: collaboration, name, tier, currency, fee, product_cost, shipping_cost,
                    other_cost (and optionally authenticity)
    accounts:       creator's accounts per collaboration: collaboration, platform, handle, followers
    posts:          collaboration, platform, status and the counters of its latest snapshot
    deliverables:   collaboration, platform (where a collaboration has no post yet)
    clicks:         collaboration, clicks (human clicks on its tracked links)
    conversions:    collaboration, amount, refunded, currency, cancelled (one row per order)
    emv_table:      platform, action, value, currency

A creator who posted on several platforms has their cost, clicks and orders split between the
platforms by their number of posts there (by deliverables before anything is posted): the
platform rows then add up to the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from tracking.results.scoring.campaign import (
    Reporting,
    empty_totals,
    figures_from,
    group_totals,
    post_totals,
)
from tracking.results.scoring.money import (
    CENT,
    Rates,
    collaboration_costs,
    convert,
    net_revenue,
    split_exactly,
)

NO_PLATFORM = ""
NO_TIER = ""


@dataclass(frozen=True)
class ReportInputs:
    currency: str
    collaborations: pd.DataFrame
    accounts: pd.DataFrame
    posts: pd.DataFrame
    deliverables: pd.DataFrame
    clicks: pd.DataFrame
    conversions: pd.DataFrame
    emv_table: pd.DataFrame
    rates: Rates


def campaign_report(inputs: ReportInputs) -> dict[str, Any]:
    """{currency, missing_rates, emv_missing_rates, the campaign figures, creators: [...],
    tiers: [...], platforms: [...]}; money in the campaign currency, None where a figure is
    n/a. Post counters are summed per group in one pass (no per-creator DataFrame work).

    Every group (the campaign, a creator, a tier, a platform) is computed by the same
    `figures_from` over the same per-post sums, so a tier's or the campaign's ratio is never
    n/a while its creators have one: views against the usual is Σ views of the posts that
    report views / Σ, over those posts, of their row's account's usual views (a mean of the
    creators' ratios weighted by their posts); sponsored against organic is Σ engagements of
    the posts that report likes / Σ, over those posts, of followers × organic rate of their
    row's account."""
    # Each collaboration's share on each platform: its costs' split and its main platform.
    shares = platform_shares(
        inputs.posts, inputs.deliverables, pd.Index(inputs.collaborations["collaboration"])
    )
    per_collab = _per_collaboration(inputs, shares)
    emv_rates, emv_missing = _emv_rates(inputs.emv_table, inputs.currency, inputs.rates)
    emv_known = bool(emv_rates) and not emv_missing
    posts = inputs.posts
    keys = posts["collaboration"]
    totals = post_totals(
        posts,
        emv_rates if emv_known else None,
        usual_views=keys.map(per_collab["usual_views"]),
        usual_engagements=keys.map(
            pd.to_numeric(per_collab["followers"], errors="coerce")
            * pd.to_numeric(per_collab["organic_rate"], errors="coerce")
        ),
    )
    by_collab = _reindexed(group_totals(totals, keys), per_collab.index)
    hidden = _hidden_shares(posts, totals)
    posted = set(keys)

    money = per_collab[["cost", "revenue", "clicks", "conversions"]].to_dict("index")

    def figures(
        group: Any,
        weights: dict[Any, float],
        hides: dict[str, dict],
        parts: dict[Any, dict] | None = None,
    ) -> dict:
        """The figures of a group: its summed post totals, and its collaborations' money,
        clicks and orders (`parts`: on a platform, each collaboration's part there, else the
        whole of it); `weights` are those parts as shares (1 for the whole) and `hides` the
        share of each collaboration's money on the group's posts hiding a counter."""
        liked = _reporting(weights, hides["likes"], posted)
        seen = _reporting(weights, hides["seen"], posted)
        own = parts if parts is not None else {key: money[key] for key in weights}
        return figures_from(
            group,
            cost=_total_money(own, "cost"),
            revenue=_total_money(own, "revenue"),
            clicks=_total_count(own, "clicks"),
            conversions=_total_count(own, "conversions"),
            emv_known=emv_known,
            reporting=Reporting(
                cost_liked=_weighted_money(money, liked, "cost"),
                cost_seen=_weighted_money(money, seen, "cost"),
                clicks_seen=_weighted_count(money, seen, "clicks"),
            ),
        ).as_dict() | {"deleted_posts": int(group["deleted"])}

    def whole(keys) -> dict[Any, float]:
        return dict.fromkeys(keys, 1.0)

    report: dict[str, Any] = {
        "currency": inputs.currency,
        # Rates the cost or revenue lacks (their figures are n/a), and those only EMV lacks.
        "missing_rates": per_collab.attrs["missing_rates"],
        "emv_missing_rates": emv_missing,
    }
    campaign = group_totals(totals, pd.Series(0, index=posts.index))
    report |= figures(
        campaign.iloc[0] if len(campaign) else empty_totals(), whole(money), hidden[None]
    )
    collab_totals = by_collab.to_dict("index")
    collab_rows = per_collab[
        ["creator", "name", "handle", "tier", "platform", "authenticity"]
    ].to_dict("index")
    report["creators"] = [
        {
            "collaboration": int(collab_id),
            "creator": None if pd.isna(row["creator"]) else int(row["creator"]),
            "name": row["name"],
            "handle": row["handle"],
            "tier": row["tier"],
            "platform": row["platform"],
            "authenticity": row["authenticity"],
        }
        | figures(collab_totals[collab_id], {collab_id: 1.0}, hidden[None])
        for collab_id, row in collab_rows.items()
    ]
    by_tier = group_totals(by_collab, per_collab["tier"])
    report["tiers"] = [
        {"tier": tier} | figures(by_tier.loc[tier], whole(rows.index), hidden[None])
        for tier, rows in per_collab.groupby("tier", sort=True)
    ]
    by_platform = group_totals(totals, posts["platform"])
    split = _split_by_platform(money, shares)
    report["platforms"] = [
        {"platform": platform}
        | figures(
            by_platform.loc[platform] if platform in by_platform.index else empty_totals(),
            dict(zip(group["collaboration"], group["share"], strict=True)),
            hidden.get(platform, NOTHING_HIDDEN),
            split[platform],
        )
        for platform, group in shares.groupby("platform", sort=True)
    ]
    return report


NOTHING_HIDDEN: dict[str, dict] = {"likes": {}, "seen": {}}


def _hidden_shares(posts: pd.DataFrame, totals: pd.DataFrame) -> dict[Any, dict[str, dict]]:
    """{None (all platforms) or a platform: {"likes" | "seen": {collaboration: the share of
    its money on the posts there that hide their likes | report no impressions}}}: a
    collaboration's money is spread evenly over its posts."""
    flags = pd.DataFrame(
        {
            "collaboration": posts["collaboration"],
            "platform": posts["platform"],
            "likes": 1 - totals["liked_posts"],
            "seen": 1 - totals["seen_posts"],
        }
    )
    flags = flags[(flags["likes"] > 0) | (flags["seen"] > 0)]
    counts = posts.groupby("collaboration").size()
    result: dict[Any, dict[str, dict]] = {None: {"likes": {}, "seen": {}}}
    for (platform, collab), group in flags.groupby(["platform", "collaboration"]):
        for name in ("likes", "seen"):
            share = float(group[name].sum()) / float(counts[collab])
            if share:
                per_platform = result.setdefault(platform, {"likes": {}, "seen": {}})
                per_platform[name][collab] = share
                result[None][name][collab] = result[None][name].get(collab, 0.0) + share
    return result


def _reporting(
    weights: dict[Any, float], hidden: dict[Any, float], posted: set[Any]
) -> dict[Any, float]:
    """The weights less the share of each collaboration's money on posts hiding a counter;
    a collaboration with no post yet has no post to carry its money, so none of it counts
    (a cost per engagement would otherwise charge the creators who posted for those who
    have not)."""
    return {key: weight - hidden.get(key, 0.0) for key, weight in weights.items() if key in posted}


def _reindexed(totals: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Group totals for every collaboration, those without posts filled as empty."""
    empty = empty_totals()
    result = totals.reindex(index)
    for column in result.columns:
        result[column] = result[column].fillna(empty[column]) if column in empty else result[column]
    return result


def _per_collaboration(inputs: ReportInputs, shares: pd.DataFrame) -> pd.DataFrame:
    """One row per collaboration: cost, revenue, clicks, conversions, handle and platform."""
    collabs = inputs.collaborations.set_index("collaboration")
    costs = collaboration_costs(collabs, inputs.currency, inputs.rates)
    orders = inputs.conversions
    revenue = net_revenue(orders, inputs.currency, inputs.rates)
    kept = orders.loc[revenue.amounts.index]
    frame = pd.DataFrame(index=collabs.index)
    frame["name"] = collabs["name"]
    frame["creator"] = collabs.get("creator", None)
    frame["tier"] = collabs["tier"].fillna(NO_TIER)
    # The creator's stored authenticity score (0–100), shown beside the campaign's figures.
    frame["authenticity"] = collabs.get("authenticity", None)
    frame["cost"] = costs.amounts
    frame["revenue"] = _sum_money_by(revenue.amounts, kept["collaboration"], frame.index)
    frame["conversions"] = kept.groupby("collaboration").size().reindex(frame.index, fill_value=0)
    clicks = inputs.clicks.set_index("collaboration")["clicks"] if len(inputs.clicks) else None
    frame["clicks"] = 0 if clicks is None else clicks.reindex(frame.index, fill_value=0)
    frame["platform"] = _main_platform(shares, frame.index)
    sources = [name for name in MAIN_ACCOUNT_COLUMNS if name in inputs.accounts]
    main = _main_accounts(inputs.accounts, frame, sources)
    frame["handle"] = _handles(main["handle"], frame)
    # The account's average views as the platform or an import states them: the baseline a
    # sponsored post is held against (an audience that ignores ads shows below 1).
    for column, source in (
        ("usual_views", "avg_views"),
        ("followers", "followers"),
        ("organic_rate", "organic_rate"),
    ):
        frame[column] = main.get(source)
    frame.attrs["missing_rates"] = sorted(set(costs.missing_rates) | set(revenue.missing_rates))
    return frame


def _sum_money_by(amounts: pd.Series, keys: pd.Series, index: pd.Index) -> pd.Series:
    """Σ amounts per key (None for a key with an unknown amount), for every key of `index`."""
    totals: dict[Any, Decimal | None] = {key: Decimal(0) for key in index}
    for key, amount in zip(keys, amounts, strict=True):
        current = totals.get(key)
        totals[key] = None if amount is None or current is None else current + amount
    return pd.Series(totals, dtype="object").reindex(index)


def _weighted_money(rows: dict, weights: dict[Any, float], field: str) -> Decimal | None:
    """Σ weight × amount; None as soon as one amount is unknown (a missing exchange rate)."""
    total = Decimal(0)
    for key, weight in weights.items():
        amount = rows[key][field]
        if amount is None or (isinstance(amount, float) and amount != amount):
            return None
        total += amount if weight == 1.0 else amount * Decimal(str(weight))
    return total.quantize(CENT)


def _weighted_count(rows: dict, weights: dict[Any, float], field: str) -> float | int:
    total = float(sum(float(rows[key][field]) * weight for key, weight in weights.items()))
    return int(total) if total.is_integer() else round(total, 2)


def _total_money(rows: dict[Any, dict], field: str) -> Decimal | None:
    """Σ of the rows' amounts; None as soon as one is unknown (a missing exchange rate)."""
    amounts = [row[field] for row in rows.values()]
    if any(_unknown(amount) for amount in amounts):
        return None
    return sum(amounts, Decimal(0)).quantize(CENT)


def _unknown(amount: Any) -> bool:
    return amount is None or (isinstance(amount, float) and amount != amount)


def _total_count(rows: dict[Any, dict], field: str) -> float | int:
    """Σ of the rows' counts, exact (a platform's part of a count is in hundredths)."""
    total = sum((Decimal(str(row[field])) for row in rows.values()), Decimal(0))
    return int(total) if total == total.to_integral_value() else float(total)


# Money is split to the cent, counts to the hundredth.
SPLIT_STEPS = {"cost": CENT, "revenue": CENT, "clicks": CENT, "conversions": CENT}


def _split_by_platform(money: dict[Any, dict], shares: pd.DataFrame) -> dict[str, dict]:
    """{platform: {collaboration: its cost, revenue, clicks and orders there}}: each split by
    its shares with the largest remainders, so that the platforms add up to the campaign to
    the cent (rounding each part alone would lose or add a cent)."""
    result: dict[str, dict[Any, dict]] = {}
    # Rows grouped by collaboration in the order they come (a pandas groupby per
    # collaboration costs more than the splitting).
    groups: dict[Any, tuple[list[str], list[float]]] = {}
    for collab, platform, share in zip(
        shares["collaboration"], shares["platform"], shares["share"], strict=True
    ):
        platforms_of, weights_of = groups.setdefault(collab, ([], []))
        platforms_of.append(platform)
        weights_of.append(share)
    for collab, (platforms, weights) in groups.items():
        for name, step in SPLIT_STEPS.items():
            value = money[collab][name]
            amounts = (
                [None] * len(platforms)
                if _unknown(value)
                else split_exactly(Decimal(str(value)), weights, step)
            )
            for platform, amount in zip(platforms, amounts, strict=True):
                result.setdefault(platform, {}).setdefault(collab, {})[name] = amount
    return result


def platform_shares(
    posts: pd.DataFrame, deliverables: pd.DataFrame, collabs: pd.Index
) -> pd.DataFrame:
    """collaboration, platform, share: a collaboration's share on each platform by its posts,
    or by its deliverables before it has posted, or all of it on NO_PLATFORM."""
    counted = posts.groupby(["collaboration", "platform"]).size().rename("n").reset_index()
    waiting = deliverables[~deliverables["collaboration"].isin(counted["collaboration"])]
    counted = pd.concat(
        [counted, waiting.groupby(["collaboration", "platform"]).size().rename("n").reset_index()]
    )
    counted = counted[counted["collaboration"].isin(collabs)]
    bare = collabs.difference(counted["collaboration"])
    counted = pd.concat(
        [counted, pd.DataFrame({"collaboration": bare, "platform": NO_PLATFORM, "n": 1})]
    )
    counted["share"] = counted["n"] / counted.groupby("collaboration")["n"].transform("sum")
    return counted[["collaboration", "platform", "share"]].reset_index(drop=True)


def _main_platform(shares: pd.DataFrame, collabs: pd.Index) -> pd.Series:
    """Each collaboration's platform with the largest share (platform_shares)."""
    top = shares.sort_values(["share", "platform"], ascending=[False, True]).drop_duplicates(
        "collaboration"
    )
    return top.set_index("collaboration")["platform"].reindex(collabs).fillna(NO_PLATFORM)


# The columns of a collaboration's main account that the report reads.
MAIN_ACCOUNT_COLUMNS = ("handle", "avg_views", "followers", "organic_rate")


def _main_accounts(
    accounts: pd.DataFrame, frame: pd.DataFrame, columns: list[str]
) -> dict[str, pd.Series]:
    """Columns of each collaboration's main account: its biggest account on the
    collaboration's main platform, else its biggest account (NaN without accounts)."""
    ranked = accounts.assign(followers=accounts["followers"].fillna(-1)).sort_values(
        "followers", ascending=False
    )
    keys = pd.MultiIndex.from_arrays([frame.index, frame["platform"]])
    on_platform = (
        ranked.drop_duplicates(["collaboration", "platform"])
        .set_index(["collaboration", "platform"])[columns]
        .reindex(keys)
    )
    biggest = ranked.drop_duplicates("collaboration").set_index("collaboration")[columns]
    biggest = biggest.reindex(frame.index)
    return {
        column: pd.Series(on_platform[column].to_numpy(), index=frame.index, dtype="object").fillna(
            biggest[column]
        )
        for column in columns
    }


def _handles(handles: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """The main account's handle, else the creator's name."""
    return handles.fillna(frame["name"]).where(handles.astype(bool), frame["name"])


def _emv_rates(table: pd.DataFrame, into: str, rates: Rates) -> tuple[dict, list[str]]:
    """The EMV value table as rates[platform][action] in `into`, and the FX rates it lacks."""
    converted = convert(table["value"], table["currency"], into, rates, table.index, to_cents=False)
    values: dict[str, dict[str, Decimal]] = {}
    for (platform, action), value in zip(
        zip(table["platform"], table["action"], strict=True), converted.amounts, strict=True
    ):
        if value is not None:
            values.setdefault(platform, {})[action] = value
    return values, converted.missing_rates
