"""Across campaigns, from their stored figures: the portfolio of brands, a brand's campaigns
over time with its repeat creators, and what worked best by tier, category, format and
platform. Reads CampaignResult rows (one query) and a few small tables; no recomputation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Deliverable
from campaigns.selectors import visible_campaigns
from creators.models import Creator, Platform, Tier
from kolhub.models import Membership
from tracking.models import CampaignResult
from tracking.results.scoring.campaign import ratio

# A group with fewer collaborations than this is flagged: its figures say little yet.
SMALL_SAMPLE = 5
LEARNING_METRICS = {"cpe": "engagements", "cpc": "clicks", "cpa": "conversions", "roi": None}


def visible_results(membership: Membership, brand_id: int | None = None) -> list[CampaignResult]:
    """The stored figures of the campaigns this member may see (a client: their brands)."""
    campaigns = visible_campaigns(membership)
    if brand_id is not None:
        campaigns = campaigns.filter(brand_id=brand_id)
    return list(
        CampaignResult.objects.filter(campaign__in=campaigns)
        .select_related("campaign__brand")
        .order_by("-campaign__starts_on", "campaign__name")
    )


@dataclass
class Totals:
    """Money, counts and results added up over collaborations or campaigns."""

    cost: float = 0.0
    revenue: float = 0.0
    impressions: float = 0.0
    engagements: float = 0.0
    clicks: float = 0.0
    conversions: float = 0.0
    collaborations: int = 0
    campaigns: set[int] = field(default_factory=set)

    def add(self, row: dict[str, Any], campaign_id: int) -> None:
        self.cost += float(row.get("cost") or 0)
        self.revenue += float(row.get("revenue") or 0)
        self.impressions += float(row.get("impressions") or 0)
        self.engagements += float(row.get("engagements") or 0)
        self.clicks += float(row.get("clicks") or 0)
        self.conversions += float(row.get("conversions") or 0)
        self.collaborations += 1
        self.campaigns.add(campaign_id)

    def figures(self) -> dict[str, Any]:
        return {
            "cost": self.cost,
            "revenue": self.revenue,
            "impressions": self.impressions or None,
            "engagement_rate": ratio(self.engagements, self.impressions),
            "cpe": ratio(self.cost, self.engagements),
            "cpc": ratio(self.cost, self.clicks),
            "cpa": ratio(self.cost, self.conversions),
            "roi": ratio(self.revenue - self.cost, self.cost),
            "collaborations": self.collaborations,
            "campaigns": len(self.campaigns),
            "small_sample": self.collaborations < SMALL_SAMPLE,
        }


def same_currency(results: list[CampaignResult], currency: str) -> tuple[list, int]:
    """The results in `currency`, and how many were left out for being in another one (adding
    money across currencies would be wrong)."""
    kept = [
        r
        for r in results
        if r.report.get("currency") == currency and r.report.get("cost") is not None
    ]
    return kept, len(results) - len(kept)


# --- Portfolio -----------------------------------------------------------------


def portfolio(results: list[CampaignResult], currency: str) -> dict[str, Any]:
    """Every brand with its headline figures over its campaigns in `currency`."""
    kept, left_out = same_currency(results, currency)
    brands: dict[int, dict[str, Any]] = {}
    today = timezone.localdate()
    for result in results:
        brand = result.campaign.brand
        entry = brands.setdefault(
            brand.pk, {"brand": brand, "totals": Totals(), "campaigns": 0, "live": 0}
        )
        entry["campaigns"] += 1
        entry["live"] += int(result.campaign.observation_ends_on >= today)
    for result in kept:
        brands[result.campaign.brand_id]["totals"].add(result.report, result.campaign_id)
    rows = [entry | {"figures": entry["totals"].figures()} for entry in brands.values()]
    rows.sort(key=lambda row: -row["figures"]["cost"])
    return {"rows": rows, "left_out": left_out}


# --- A brand over time -----------------------------------------------------------


def observation_progress(campaign: Campaign, today: date) -> int:
    total = (campaign.observation_ends_on - campaign.starts_on).days or 1
    return round(min(max((today - campaign.starts_on).days / total, 0), 1) * 100)


def brand_timeline(results: list[CampaignResult]) -> list[dict[str, Any]]:
    """The brand's campaigns, oldest first, with their headline figures and how far their
    observation window has run."""
    today = timezone.localdate()
    return [
        {
            "campaign": result.campaign,
            "report": result.report,
            "progress": observation_progress(result.campaign, today),
        }
        for result in sorted(results, key=lambda r: r.campaign.starts_on)
    ]


def repeat_creators(results: list[CampaignResult]) -> list[dict[str, Any]]:
    """Creators who worked on two or more of these campaigns, with their results in each
    (oldest first) and the trend of their cost per engagement from first to last."""
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for result in sorted(results, key=lambda r: r.campaign.starts_on):
        for row in result.report.get("creators", []):
            if row.get("creator"):
                history[row["creator"]].append(
                    row | {"campaign": result.campaign, "currency": result.report["currency"]}
                )
    repeats = []
    for rows in history.values():
        if len({row["campaign"].pk for row in rows}) < 2:
            continue
        first, last = rows[0].get("cpe"), rows[-1].get("cpe")
        trend = None if first is None or last is None else ("better" if last < first else "worse")
        repeats.append({"name": rows[-1]["name"], "handle": rows[-1]["handle"], "rows": rows,
                        "trend": trend})  # fmt: skip
    repeats.sort(key=lambda item: (-len(item["rows"]), item["name"]))
    return repeats


# --- Learning ----------------------------------------------------------------------


def learning(results: list[CampaignResult], currency: str, metric: str) -> dict[str, Any]:
    """Which tiers, categories, formats and platforms gave the best `metric` (cpe, cpc, cpa
    or roi) over the campaigns in `currency`, each with its counts."""
    kept, left_out = same_currency(results, currency)
    collaborations = [
        (row, result.campaign_id) for result in kept for row in result.report.get("creators", [])
    ]
    categories = creator_categories({row.get("creator") for row, _c in collaborations})
    formats = collaboration_formats({row["collaboration"] for row, _c in collaborations})
    groups: dict[str, dict[str, Totals]] = {
        name: defaultdict(Totals) for name in ("tier", "category", "format", "platform")
    }
    for row, campaign_id in collaborations:
        unset = str(_("Not set"))
        tier, platform = row["tier"], row["platform"]
        groups["tier"][str(Tier(tier).label) if tier in Tier.values else unset].add(
            row, campaign_id
        )
        groups["platform"][
            str(Platform(platform).label) if platform in Platform.values else unset
        ].add(row, campaign_id)
        for category in categories.get(row.get("creator"), [unset]):
            groups["category"][category].add(row, campaign_id)
        for deliverable_format in formats.get(row["collaboration"], [unset]):
            groups["format"][deliverable_format].add(row, campaign_id)
    return {
        "left_out": left_out,
        "campaigns": len(kept),
        "tables": {name: ranked(table, metric) for name, table in groups.items()},
    }


def ranked(table: dict[str, Totals], metric: str) -> list[dict[str, Any]]:
    """Best first: the lowest cost per result, the highest ROI; n/a last."""
    rows = [{"label": label} | totals.figures() for label, totals in table.items()]
    known = [row for row in rows if row[metric] is not None]
    unknown = [row for row in rows if row[metric] is None]
    known.sort(key=lambda row: row[metric], reverse=metric == "roi")
    for rank, row in enumerate(known, start=1):
        row["rank"] = rank
    return known + unknown


def creator_categories(creator_ids: set[int | None]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for creator, name in Creator.categories.through.objects.filter(
        creator_id__in={pk for pk in creator_ids if pk}
    ).values_list("creator_id", "category__name"):
        found[creator].append(name)
    return found


def collaboration_formats(collaboration_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    labels = dict(Deliverable._meta.get_field("format").flatchoices)
    for collaboration, deliverable_format in Deliverable.objects.filter(
        collaboration_id__in=collaboration_ids
    ).values_list("collaboration_id", "format"):
        found[collaboration].add(str(labels.get(deliverable_format, deliverable_format)))
    return {pk: sorted(names) for pk, names in found.items()}
