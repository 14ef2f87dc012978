"""Insights across campaigns: the portfolio of brands, what worked best, a brand over time."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kolhub.http import row_id
from kolhub.tenancy import WorkspaceRequest, get_brand, workspace_member
from tracking.results import insights

METRIC_LABELS = {"cpe": "CPE", "cpc": "CPC", "cpa": "CPA", "roi": "ROI"}


@require_GET
@workspace_member()
def portfolio(request: WorkspaceRequest) -> HttpResponse:
    currency = request.workspace.currency
    return render(
        request,
        "tracking/portfolio.html",
        {"section": "insights", "tab": "portfolio", "currency": currency}
        | insights.portfolio(request.membership, currency),
    )


@require_GET
@workspace_member()
def learning(request: WorkspaceRequest) -> HttpResponse:
    currency = request.workspace.currency
    metric = request.GET.get("metric", "cpe")
    metric = metric if metric in METRIC_LABELS else "cpe"
    brand_id = row_id(request.GET.get("brand"))
    brand = get_brand(request.membership, brand_id) if brand_id else None
    return render(
        request,
        "tracking/learning.html",
        {
            "section": "insights",
            "tab": "learning",
            "currency": currency,
            "metric": metric,
            "metrics": METRIC_LABELS,
            "brand": brand,
            "brands": insights.visible_brands_with_results(request.membership),
        }
        | insights.learning(request.membership, currency, metric, brand.pk if brand else None),
    )


@require_GET
@workspace_member()
def brand_results(request: WorkspaceRequest, brand_id: int) -> HttpResponse:
    brand = get_brand(request.membership, brand_id)
    results = insights.visible_results(request.membership, brand.pk)
    return render(
        request,
        "tracking/brand_results.html",
        {
            "brand": brand,
            "timeline": insights.brand_timeline(results),
            "repeats": insights.repeat_creators(results),
        },
    )
