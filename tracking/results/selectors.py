"""Access helpers of results: one row by id for a scope (a member, or a whole workspace), or
404 alike for what does not exist and what the scope may not see."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from campaigns.selectors import visible_campaigns
from kolhub.models import ExchangeRate
from kolhub.tenancy import Scope, scope_workspace
from tracking.models import AccountPost, Post, ReportFile, SharedReport


def get_shared_report(scope: Scope, pk: int) -> SharedReport:
    """A share link of a campaign the scope may see, or 404."""
    return get_object_or_404(
        SharedReport.objects.for_workspace(scope_workspace(scope)).filter(
            campaign__in=visible_campaigns(scope)
        ),
        pk=pk,
    )


def get_report_file(scope: Scope, pk: int) -> ReportFile:
    """A report file of a campaign the scope may see, or 404."""
    return get_object_or_404(
        ReportFile.objects.for_workspace(scope_workspace(scope))
        .filter(campaign__in=visible_campaigns(scope))
        .select_related("campaign"),
        pk=pk,
    )


def get_post_with_cover(scope: Scope, pk: int) -> Post:
    """A post with a stored cover, of a campaign the scope may see, or 404."""
    return get_object_or_404(
        Post.objects.for_workspace(scope_workspace(scope))
        .filter(collaboration__campaign__in=visible_campaigns(scope))
        .exclude(thumbnail=""),
        pk=pk,
    )


def get_account_post_with_cover(scope: Scope, pk: int) -> AccountPost:
    """One of an account's own latest posts with a stored cover, of the scope's workspace,
    or 404 (the roster is the agency's: the view asks for a member)."""
    return get_object_or_404(
        AccountPost.objects.for_workspace(scope_workspace(scope)).exclude(thumbnail=""), pk=pk
    )


def get_exchange_rate(scope: Scope, pk: int) -> ExchangeRate:
    """An exchange rate of the scope's workspace, or 404."""
    return get_object_or_404(ExchangeRate.objects.for_workspace(scope_workspace(scope)), pk=pk)
