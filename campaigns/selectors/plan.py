"""The campaign pages' reads: the campaign list, the tier plan, brief versions, stage counts,
the campaign's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import pgettext

from campaigns import stages
from campaigns.models import BriefVersion, Campaign, CampaignEvent, Collaboration, TierBudget
from campaigns.selectors.access import visible_campaigns
from creators.models import Tier
from kolhub.fx import convert_amount, rate_name
from kolhub.models import Membership
from kolhub.selectors import exchange_rates


def campaign_list(membership: Membership, filters: dict[str, Any]) -> QuerySet[Campaign]:
    """Campaigns with their roster counts, filtered by brand and status."""
    campaigns = visible_campaigns(membership).select_related("brand", "owner")
    if filters.get("brand"):
        campaigns = campaigns.filter(brand_id=filters["brand"])
    if filters.get("status"):
        campaigns = campaigns.filter(status=filters["status"])
    return campaigns.annotate(
        roster=Count("collaborations", distinct=True),
        committed=Count(
            "collaborations",
            filter=Q(collaborations__stage__in=stages.COMMITTED),
            distinct=True,
        ),
    ).order_by("-starts_on", "name")


@dataclass
class TierLine:
    tier: str
    label: str
    planned: Decimal
    # In the campaign currency; None when an amount's exchange rate is missing.
    committed: Decimal | None
    creators: int

    @property
    def over(self) -> bool:
        return self.planned > 0 and self.committed is not None and self.committed > self.planned

    @property
    def used_percent(self) -> int:
        if not self.planned or self.committed is None:
            return 0
        return int(min(self.committed / self.planned * 100, Decimal(999)))


@dataclass
class TierPlan:
    lines: list[TierLine]
    total_budget: Decimal
    # The exchange rates the committed amounts lack ("USD→TWD"), shown rather than guessed.
    missing_rates: list[str] = field(default_factory=list)
    planned: Decimal = field(init=False)
    committed: Decimal | None = field(init=False)

    def __post_init__(self) -> None:
        self.planned = sum((line.planned for line in self.lines), Decimal(0))
        known = [line.committed for line in self.lines if line.committed is not None]
        self.committed = sum(known, Decimal(0)) if len(known) == len(self.lines) else None

    @property
    def single_tier(self) -> str:
        """The one tier the whole plan goes to, when it does (a risky mix)."""
        planned = [line for line in self.lines if line.planned > 0]
        return planned[0].label if len(planned) == 1 else ""

    @property
    def over_budget(self) -> bool:
        return self.total_budget > 0 and self.planned > self.total_budget


NO_TIER = ""
COST_SUMS = {
    "fees": Sum("fee"),
    "product": Sum("product_cost"),
    "shipping": Sum("shipping_cost"),
    "other": Sum("other_cost"),
}


def tier_plan(campaign: Campaign) -> TierPlan:
    """Planned vs committed (agreed fees and costs, in the campaign currency) per tier."""
    budgets = {b.tier: b for b in TierBudget.objects.filter(campaign=campaign)}
    committed: dict[str, Decimal | None] = {}
    creators: dict[str, int] = {}
    missing: set[str] = set()
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Collaboration.objects.filter(campaign=campaign, stage__in=stages.COSTED)
        .values("tier", "currency")
        .annotate(**COST_SUMS, creators=Count("pk"))
    ]
    # The rate table is read only when some amount is in another currency.
    foreign = any(row["currency"] != campaign.currency for row in rows)
    rates = exchange_rates(campaign.workspace_id) if foreign else {}
    for row in rows:
        spent = sum((row[k] or Decimal(0) for k in COST_SUMS), Decimal(0))
        converted = convert_amount(spent, row["currency"], campaign.currency, rates)
        if converted is None:
            missing.add(rate_name(row["currency"], campaign.currency))
        so_far = committed.get(row["tier"], Decimal(0))
        committed[row["tier"]] = None if converted is None or so_far is None else so_far + converted
        creators[row["tier"]] = creators.get(row["tier"], 0) + row["creators"]
    lines = [
        TierLine(
            tier=tier.value,
            label=str(tier.label),
            planned=budget.planned_amount(campaign.total_budget)
            if (budget := budgets.get(tier.value))
            else Decimal(0),
            committed=committed.get(tier.value, Decimal(0)),
            creators=creators.get(tier.value, 0),
        )
        for tier in Tier
    ]
    if NO_TIER in committed:  # creators without a tier still spend the budget
        lines.append(
            TierLine(
                tier=NO_TIER,
                label=str(pgettext("tier", "Not set")),
                planned=Decimal(0),
                committed=committed[NO_TIER],
                creators=creators[NO_TIER],
            )
        )
    return TierPlan(lines=lines, total_budget=campaign.total_budget, missing_rates=sorted(missing))


def brief_versions(campaign: Campaign) -> list[BriefVersion]:
    return list(campaign.brief_versions.select_related("created_by").prefetch_related("assets"))


def campaign_events(campaign: Campaign) -> list[CampaignEvent]:
    """The campaign's status changes, newest first (closing makes its report final)."""
    return list(campaign.events.select_related("actor")[:50])


def stage_counts(campaign: Campaign) -> list[tuple[str, str, int]]:
    """(stage, label, count) for the stages the roster has, in pipeline order."""
    counts = dict(
        Collaboration.objects.filter(campaign=campaign)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [
        (stage.value, str(stage.label), counts[stage.value])
        for stage in [*stages.PIPELINE, *stages.OUTCOMES]
        if stage.value in counts
    ]
