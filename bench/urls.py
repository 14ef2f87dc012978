"""The app's URLs plus the references /r/<code> and Insights are measured against, served side
by side."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import include, path
from django.utils import timezone

from kolhub.tenancy import WorkspaceRequest, workspace_member
from tests.tracking import insights_before
from tracking.models import Click
from tracking.results.insight_views import METRIC_LABELS
from tracking.sales import clicks


def bare_redirect(request: HttpRequest) -> HttpResponse:
    """The floor: a Django view answering a fixed 302, through the same middleware."""
    return HttpResponseRedirect("https://shop.example.com/coldbrew")


def insert_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """The alternative design: the same redirect storing each click with an INSERT at once."""
    link = clicks.link_for_code(code)
    if link is None:
        raise Http404
    click_id = uuid.uuid4().hex
    agent = request.headers.get("User-Agent", "")
    Click.objects.create(
        workspace_id=link.workspace_id,
        link_id=link.link_id,
        click_id=click_id,
        occurred_at=timezone.now(),
        visitor=clicks.visitor_hash(clicks.client_ip(request), agent, timezone.now().date()),
        is_bot=clicks.is_bot(agent, request.method),
    )
    return HttpResponseRedirect(clicks.with_click_id(link.target, click_id))


@workspace_member()
def portfolio_before(request: WorkspaceRequest) -> HttpResponse:
    """The portfolio as it was before the stored aggregates: every report read and added up."""
    currency = request.workspace.currency
    results = insights_before.visible_results(request.membership)
    return render(
        request,
        "tracking/portfolio.html",
        {"section": "insights", "tab": "portfolio", "currency": currency}
        | insights_before.portfolio(results, currency),
    )


@workspace_member()
def learning_before(request: WorkspaceRequest) -> HttpResponse:
    """What worked best as it was before the stored aggregates (all brands, by CPE)."""
    currency = request.workspace.currency
    results = insights_before.visible_results(request.membership)
    brands = {r.campaign.brand for r in insights_before.visible_results(request.membership)}
    return render(
        request,
        "tracking/learning.html",
        {"section": "insights", "tab": "learning", "currency": currency, "metric": "cpe",
         "metrics": METRIC_LABELS, "brand": None, "brands": sorted(brands, key=lambda b: b.name)}
        | insights_before.learning(results, currency, "cpe"),
    )  # fmt: skip


urlpatterns = [
    path("bench/bare", bare_redirect),
    path("bench/insert/<str:code>", insert_redirect),
    path("bench/w/<slug:workspace_slug>/portfolio-before", portfolio_before),
    path("bench/w/<slug:workspace_slug>/learning-before", learning_before),
    path("", include("kolhub.urls")),
]
