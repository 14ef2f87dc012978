"""Insights as they were computed before the stored aggregates (tracking.results.aggregates):
every visible campaign's stored report read and added up in Python, per request. Kept, frozen,
as the reference the aggregates must agree with (tests/tracking/test_insight_aggregates.py)
and as the "before" of bench/test_insights_scale.py. Not used by the app."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Deliverable
from campaigns.selectors import visible_campaigns
from creators.models import Creator, Platform, Tier
from kolhub.models import Membership
from tracking.models import CampaignResult
from tracking.results.insights import ranked
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
