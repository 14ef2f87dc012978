"""Reads of the sales pages: tracked links, promo codes and what they sold."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from campaigns.models import Collaboration
from campaigns.selectors import visible_campaigns
from kolhub.tenancy import Scope, scope_workspace
from tracking.models import AttributionRule, Conversion, PromoCode, SalesFeed, TrackedLink


def collaboration_links(collaboration: Collaboration) -> QuerySet[TrackedLink]:
    """The collaboration's tracked links with their click totals (from the daily counts)."""
    return (
        TrackedLink.objects.filter(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        )
        .select_related("deliverable")
        .annotate(
            human_clicks=Coalesce(Sum("days__clicks"), 0),
            daily_visitors=Coalesce(Sum("days__unique_visitors"), 0),
            bot_requests=Coalesce(Sum("days__bot_clicks"), 0),
        )
        .order_by("-created_at", "-pk")
    )


def get_link(scope: Scope, pk: int) -> TrackedLink:
    """A tracked link of a campaign the scope may see, or 404."""
    return get_object_or_404(
        TrackedLink.objects.for_workspace(scope_workspace(scope)).filter(
            collaboration__campaign__in=visible_campaigns(scope)
        ),
        pk=pk,
    )


def sales_overview(workspace) -> dict:
    """The sales page: feeds, the latest orders, and totals per currency (net of refunds)."""
    conversions = Conversion.objects.for_workspace(workspace)
    totals = (
        conversions.filter(cancelled=False)
        .values("currency")
        .annotate(
            orders=Count("pk"),
            attributed=Count("pk", filter=~Q(rule=AttributionRule.NONE)),
            gross=Sum("amount"),
            refunded=Sum("refunded"),
        )
        .order_by("-orders")
    )
    return {
        "feeds": list(SalesFeed.objects.for_workspace(workspace)),
        "conversions": list(
            conversions.select_related("collaboration__creator", "collaboration__campaign")[:50]
        ),
        "totals": [{**row, "net": row["gross"] - row["refunded"]} for row in totals],
    }


def collaboration_promo_codes(collaboration: Collaboration) -> list[PromoCode]:
    return list(PromoCode.objects.filter(collaboration=collaboration).order_by("code"))


def promo_code_sales(collaboration: Collaboration) -> list[dict[str, Any]]:
    """Orders the collaboration's codes brought, and their net revenue, per currency."""
    rows = (
        Conversion.objects.filter(
            collaboration=collaboration, rule=AttributionRule.PROMO_CODE, cancelled=False
        )
        .values("currency")
        .annotate(orders=Count("pk"), net=Sum("amount") - Sum("refunded"))
        .order_by("currency")
    )
    return [dict(row) for row in rows]
