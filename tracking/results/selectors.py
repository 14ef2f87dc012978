"""Access helpers of results: one row by id for a scope (a member, or a whole workspace), or
404 alike for what does not exist and what the scope may not see."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from campaigns.selectors import visible_campaigns
from kolhub.models import Brand, ExchangeRate, Membership, User
from kolhub.tenancy import Scope, scope_workspace
from tracking.models import AccountPost, CampaignResult, Post, ReportFile, SharedReport


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


# Raw SQL: each is one short read, and building it with the ORM cost more than serving the
# page it decides on from the cache.
RESULTS_PAGE_CAMPAIGN = (
    "SELECT c.name, c.objective, c.starts_on, c.ends_on, c.status, c.currency, c.brand_id,"  # noqa: S608
    " b.name, r.id, r.computed_at, r.final_at"
    f" FROM {Campaign._meta.db_table} c"
    f" JOIN {Brand._meta.db_table} b ON b.id = c.brand_id"
    f" JOIN {CampaignResult._meta.db_table} r ON r.campaign_id = c.id"
    " WHERE c.id = %s AND c.workspace_id = %s"
)
CLIENT_BRANDS = (
    " AND c.brand_id IN (SELECT brand_id"  # noqa: S608
    f" FROM {Membership.brands.through._meta.db_table} WHERE membership_id = %s)"
)
RESULTS_PAGE_SHARES = (
    "SELECT s.id, s.label, s.created_at, s.expires_at, s.expires_at < %s, s.revoked_at,"  # noqa: S608
    " s.last_viewed_at, u.first_name, u.last_name, u.email"
    f" FROM {SharedReport._meta.db_table} s"
    f" LEFT JOIN {User._meta.db_table} u ON u.id = s.created_by_id"
    " WHERE s.campaign_id = %s ORDER BY s.created_at DESC LIMIT 20"
)


def results_page_version(membership: Membership, campaign_id: int) -> tuple[Any, ...] | None:
    """What the Results tab shows beyond its fragments, of a campaign this member may see: the
    campaign's heading, its stored result's version and, for the team, its share links (each
    expired or not). None when the campaign is not theirs to see or its result is to be
    computed first: the page's own path answers then."""
    campaign_sql, params = RESULTS_PAGE_CAMPAIGN, [campaign_id, membership.workspace_id]
    if membership.is_client:
        campaign_sql, params = campaign_sql + CLIENT_BRANDS, [*params, membership.pk]
    with connection.cursor() as cursor:
        cursor.execute(campaign_sql, params)
        campaign = cursor.fetchone()
        # A result out of line with the campaign's status (closed or reopened since) is
        # brought in line by the page's own path.
        if campaign is None or (campaign[10] is not None) != (campaign[4] == CampaignStatus.CLOSED):
            return None
        if membership.is_client:
            return (campaign, None)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(RESULTS_PAGE_SHARES, [now, campaign_id])
        return (campaign, cursor.fetchall())
