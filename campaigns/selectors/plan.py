"""The campaign pages' reads: the campaign list, the tier plan, brief versions, stage counts,
the campaign's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from campaigns import stages
from campaigns.models import BriefVersion, Campaign, CampaignEvent, Collaboration, TierBudget
from campaigns.selectors.access import visible_campaigns
from creators.models import Tier
from kolhub.models import Membership


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
    committed: Decimal
    creators: int

    @property
    def over(self) -> bool:
        return self.planned > 0 and self.committed > self.planned

    @property
    def used_percent(self) -> int:
        if not self.planned:
            return 0
        return int(min(self.committed / self.planned * 100, Decimal(999)))


@dataclass
class TierPlan:
    lines: list[TierLine]
    total_budget: Decimal
    planned: Decimal = field(init=False)
    committed: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.planned = sum((line.planned for line in self.lines), Decimal(0))
        self.committed = sum((line.committed for line in self.lines), Decimal(0))

    @property
    def single_tier(self) -> str:
        """The one tier the whole plan goes to, when it does (a risky mix)."""
        planned = [line for line in self.lines if line.planned > 0]
        return planned[0].label if len(planned) == 1 else ""

    @property
    def over_budget(self) -> bool:
        return self.total_budget > 0 and self.planned > self.total_budget


def tier_plan(campaign: Campaign) -> TierPlan:
    """Planned vs committed (contracted fees and costs) per tier."""
    budgets = {b.tier: b for b in TierBudget.objects.filter(campaign=campaign)}
    committed: dict[str, dict[str, Any]] = {
        row["tier"]: dict(row)
        for row in Collaboration.objects.filter(campaign=campaign, stage__in=stages.COMMITTED)
        .values("tier")
        .annotate(
            fees=Sum("fee"),
            product=Sum("product_cost"),
            shipping=Sum("shipping_cost"),
            other=Sum("other_cost"),
            creators=Count("pk"),
        )
    }
    lines = []
    for tier in Tier:
        row: dict[str, Any] = committed.get(tier.value, {})
        spent = sum(
            (row.get(k) or Decimal(0) for k in ("fees", "product", "shipping", "other")),
            Decimal(0),
        )
        budget = budgets.get(tier.value)
        lines.append(
            TierLine(
                tier=tier.value,
                label=str(tier.label),
                planned=budget.planned_amount(campaign.total_budget) if budget else Decimal(0),
                committed=spent,
                creators=row.get("creators", 0),
            )
        )
    return TierPlan(lines=lines, total_budget=campaign.total_budget)


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
