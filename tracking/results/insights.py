"""Across campaigns, from their stored figures: the portfolio of brands, a brand's campaigns
over time with its repeat creators, and what worked best by tier, category, format and
platform. The portfolio and what worked best add up the small rows stored beside each report
(tracking.results.aggregates) in the database, in a fixed number of queries; a brand's page
reads its campaigns' reports. No recomputation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Deliverable
from campaigns.selectors import visible_campaigns
from creators.models import Platform, Tier
from kolhub.models import Brand, Membership
from tracking.models import CampaignResult, CampaignResultLine
from tracking.results.aggregates import ADDED_UP
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
    """Money, counts and results added up over collaborations or campaigns (by the database,
    from the stored aggregates of tracking.results.aggregates)."""

    cost: float = 0.0
    revenue: float = 0.0
    impressions: float = 0.0
    engagements: float = 0.0
    clicks: float = 0.0
    conversions: float = 0.0
    collaborations: int = 0
    campaigns: int = 0

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
            "campaigns": self.campaigns,
            "small_sample": self.collaborations < SMALL_SAMPLE,
        }


def _sums(filter: Q | None = None) -> dict[str, Sum]:
    return {f"sum_{name}": Sum(name, filter=filter) for name in ADDED_UP}


def _totals(row: Mapping[str, Any], collaborations: str, campaigns: str) -> Totals:
    # A sum over no row is NULL: nothing added is 0, as it always was.
    return Totals(
        **{name: float(row[f"sum_{name}"] or 0) for name in ADDED_UP},
        collaborations=row[collaborations],
        campaigns=row[campaigns],
    )


def _results(membership: Membership, brand_id: int | None = None) -> QuerySet[CampaignResult]:
    campaigns = visible_campaigns(membership)
    if brand_id is not None:
        campaigns = campaigns.filter(brand_id=brand_id)
    return CampaignResult.objects.filter(campaign__in=campaigns)


def _in_currency(currency: str) -> Q:
    """The campaigns whose money can be added up in `currency` (adding money across
    currencies would be wrong): reported in it, with a known cost."""
    return Q(currency=currency, cost__isnull=False)


def visible_brands_with_results(membership: Membership) -> list[Brand]:
    """The brands of the campaigns with figures that this member may see, by name."""
    brands = Brand.objects.filter(pk__in=_results(membership).values("campaign__brand_id"))
    return sorted(brands, key=lambda brand: brand.name)


# --- Portfolio -----------------------------------------------------------------


def portfolio(membership: Membership, currency: str) -> dict[str, Any]:
    """Every brand with its headline figures over its campaigns in `currency`, the costliest
    first; added up by the database from each campaign's stored totals (two queries)."""
    results = _results(membership)
    kept = _in_currency(currency)
    per_brand = {
        row["campaign__brand_id"]: row
        for row in results.values("campaign__brand_id").annotate(
            all=Count("pk"),
            live=Count("pk", filter=Q(campaign__observation_ends_on__gte=timezone.localdate())),
            kept=Count("pk", filter=kept),
            **_sums(kept),
        )
    }
    # Equal costs keep the brands in the order of their latest campaign (by start, then name).
    first = results.filter(campaign__brand_id=OuterRef("pk")).order_by(
        "-campaign__starts_on", "campaign__name"
    )
    brands = (
        Brand.objects.filter(pk__in=list(per_brand))
        .annotate(
            latest=Subquery(first.values("campaign__starts_on")[:1]),
            latest_name=Subquery(first.values("campaign__name")[:1]),
        )
        .order_by("-latest", "latest_name")
    )
    rows = []
    for brand in brands:
        row = per_brand[brand.pk]
        figures = _totals(row, "kept", "kept").figures()
        rows.append({"brand": brand, "campaigns": row["all"], "live": row["live"],
                     "figures": figures})  # fmt: skip
    rows.sort(key=lambda row: -row["figures"]["cost"])
    left_out = sum(row["all"] - row["kept"] for row in per_brand.values())
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


def learning(
    membership: Membership, currency: str, metric: str, brand_id: int | None = None
) -> dict[str, Any]:
    """Which tiers, categories, formats and platforms gave the best `metric` (cpe, cpc, cpa
    or roi) over the campaigns in `currency`, each with its counts; added up by the database
    from the campaigns' stored lines, a creator's categories and a collaboration's formats as
    they are now (five queries)."""
    results = _results(membership, brand_id)
    kept = _in_currency(currency)
    counts = results.aggregate(all=Count("pk"), kept=Count("pk", filter=kept))
    lines = CampaignResultLine.objects.filter(
        campaign_id__in=results.filter(kept).values("campaign_id")
    )
    unset = Value(str(_("Not set")))
    # A collaboration counts once per format however many deliverables it has of it: join
    # only the first deliverable of each format (or none at all).
    formats = lines.filter(
        ~Exists(
            Deliverable.objects.filter(
                collaboration_id=OuterRef("collaboration_id"),
                format=OuterRef("collaboration__deliverables__format"),
                pk__lt=OuterRef("collaboration__deliverables__pk"),
            )
        )
    )
    format_labels = Deliverable._meta.get_field("format").flatchoices
    groups = {
        "tier": (lines, _labelled("tier", Tier.choices, unset)),
        "category": (lines, Coalesce("creator__categories__name", unset)),
        "format": (
            formats,
            _labelled(
                "collaboration__deliverables__format",
                format_labels,
                Coalesce("collaboration__deliverables__format", unset),
            ),
        ),
        "platform": (lines, _labelled("platform", Platform.choices, unset)),
    }
    tables = {
        name: ranked(
            {
                row["label"]: _totals(row, "collaborations", "campaigns")
                for row in rows.values(label=label)
                .annotate(
                    **_sums(),
                    collaborations=Count("pk"),
                    campaigns=Count("campaign_id", distinct=True),
                )
                .order_by("label")
            },
            metric,
        )
        for name, (rows, label) in groups.items()
    }
    return {"left_out": counts["all"] - counts["kept"], "campaigns": counts["kept"],
            "tables": tables}  # fmt: skip


def _labelled(field_name: str, choices: Any, otherwise: Any) -> Case:
    """The label of a choice field's value, in the database (so it can group by it)."""
    return Case(
        *[When(**{field_name: value}, then=Value(str(label))) for value, label in choices],
        default=otherwise,
        output_field=CharField(),
    )


def ranked(table: dict[str, Totals], metric: str) -> list[dict[str, Any]]:
    """Best first: the lowest cost per result, the highest ROI; n/a last."""
    rows = [{"label": label} | totals.figures() for label, totals in table.items()]
    known = [row for row in rows if row[metric] is not None]
    unknown = [row for row in rows if row[metric] is None]
    known.sort(key=lambda row: row[metric], reverse=metric == "roi")
    for rank, row in enumerate(known, start=1):
        row["rank"] = rank
    return known + unknown
