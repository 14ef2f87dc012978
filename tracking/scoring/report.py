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

from tracking.scoring.campaign import campaign_figures
from tracking.scoring.money import CENT, Rates, collaboration_costs, convert, net_revenue

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
    n/a."""
    per_collab = _per_collaboration(inputs)
    emv_rates, emv_missing = _emv_rates(inputs.emv_table, inputs.currency, inputs.rates)
    posts = inputs.posts

    def figures(rows: pd.DataFrame, group_posts: pd.DataFrame, weight: pd.Series | None = None):
        weight = pd.Series(1.0, index=rows.index) if weight is None else weight
        return campaign_figures(
            group_posts,
            cost=_weighted_money(rows["cost"], weight),
            revenue=_weighted_money(rows["revenue"], weight),
            clicks=_weighted_count(rows["clicks"], weight),
            conversions=_weighted_count(rows["conversions"], weight),
            emv_rates=None if emv_missing else emv_rates,
        ).as_dict() | {"posts": len(group_posts), "deleted_posts": _deleted(group_posts)}

    report: dict[str, Any] = {
        "currency": inputs.currency,
        # Rates the cost or revenue lacks (their figures are n/a), and those only EMV lacks.
        "missing_rates": per_collab.attrs["missing_rates"],
        "emv_missing_rates": emv_missing,
    }
    report |= figures(per_collab, posts)
    report["creators"] = [
        {
            "collaboration": int(collab_id),
            "name": row["name"],
            "handle": row["handle"],
            "tier": row["tier"],
            "platform": row["platform"],
            "authenticity": row["authenticity"],
        }
        | figures(per_collab.loc[[collab_id]], posts[posts["collaboration"] == collab_id])
        for collab_id, row in per_collab.iterrows()
    ]
    report["tiers"] = [
        {"tier": tier} | figures(rows, posts[posts["collaboration"].isin(rows.index)])
        for tier, rows in per_collab.groupby("tier", sort=True)
    ]
    shares = platform_shares(posts, inputs.deliverables, per_collab.index)
    report["platforms"] = [
        {"platform": platform}
        | figures(
            per_collab.loc[group["collaboration"]],
            posts[posts["platform"] == platform] if platform != NO_PLATFORM else posts.iloc[:0],
            pd.Series(group["share"].to_numpy(), index=group["collaboration"]),
        )
        for platform, group in shares.groupby("platform", sort=True)
    ]
    return report


def _per_collaboration(inputs: ReportInputs) -> pd.DataFrame:
    """One row per collaboration: cost, revenue, clicks, conversions, handle and platform."""
    collabs = inputs.collaborations.set_index("collaboration")
    costs = collaboration_costs(collabs, inputs.currency, inputs.rates)
    orders = inputs.conversions
    revenue = net_revenue(orders, inputs.currency, inputs.rates)
    kept = orders.loc[revenue.amounts.index]
    frame = pd.DataFrame(index=collabs.index)
    frame["name"] = collabs["name"]
    frame["tier"] = collabs["tier"].fillna(NO_TIER)
    # The creator's stored authenticity score (0–100), shown beside the campaign's figures.
    frame["authenticity"] = collabs.get("authenticity", None)
    frame["cost"] = costs.amounts
    frame["revenue"] = _sum_money_by(revenue.amounts, kept["collaboration"], frame.index)
    frame["conversions"] = kept.groupby("collaboration").size().reindex(frame.index, fill_value=0)
    clicks = inputs.clicks.set_index("collaboration")["clicks"] if len(inputs.clicks) else None
    frame["clicks"] = 0 if clicks is None else clicks.reindex(frame.index, fill_value=0)
    frame["platform"] = _main_platform(inputs.posts, inputs.deliverables, frame.index)
    frame["handle"] = _handles(inputs.accounts, frame)
    frame.attrs["missing_rates"] = sorted(set(costs.missing_rates) | set(revenue.missing_rates))
    return frame


def _sum_money_by(amounts: pd.Series, keys: pd.Series, index: pd.Index) -> pd.Series:
    """Σ amounts per key (None for a key with an unknown amount), for every key of `index`."""
    totals: dict[Any, Decimal | None] = {key: Decimal(0) for key in index}
    for key, amount in zip(keys, amounts, strict=True):
        current = totals.get(key)
        totals[key] = None if amount is None or current is None else current + amount
    return pd.Series(totals, dtype="object").reindex(index)


def _weighted_money(amounts: pd.Series, weight: pd.Series) -> Decimal | None:
    total = Decimal(0)
    for key, amount in amounts.items():
        if amount is None or (isinstance(amount, float) and pd.isna(amount)):
            return None
        total += amount * Decimal(str(weight.get(key, 1.0)))
    return total.quantize(CENT)


def _weighted_count(counts: pd.Series, weight: pd.Series) -> float | int:
    total = float((counts.astype("float64") * weight.reindex(counts.index).fillna(1.0)).sum())
    return int(total) if total.is_integer() else round(total, 2)


def _deleted(posts: pd.DataFrame) -> int:
    return int((posts["status"] == "deleted").sum()) if "status" in posts else 0


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


def _main_platform(posts: pd.DataFrame, deliverables: pd.DataFrame, collabs: pd.Index) -> pd.Series:
    shares = platform_shares(posts, deliverables, collabs)
    top = shares.sort_values(["share", "platform"], ascending=[False, True]).drop_duplicates(
        "collaboration"
    )
    return top.set_index("collaboration")["platform"].reindex(collabs).fillna(NO_PLATFORM)


def _handles(accounts: pd.DataFrame, frame: pd.DataFrame) -> pd.Series:
    """The handle on the collaboration's main platform (its biggest account there), else its
    biggest account's, else the creator's name."""
    ranked = accounts.assign(followers=accounts["followers"].fillna(-1)).sort_values(
        "followers", ascending=False
    )
    on_platform = ranked.drop_duplicates(["collaboration", "platform"]).set_index(
        ["collaboration", "platform"]
    )["handle"]
    biggest = ranked.drop_duplicates("collaboration").set_index("collaboration")["handle"]
    return pd.Series(
        [
            on_platform.get((collab, row["platform"])) or biggest.get(collab) or row["name"]
            for collab, row in frame.iterrows()
        ],
        index=frame.index,
        dtype="object",
    )


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
