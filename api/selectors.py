"""Reads of the API app: a workspace's tokens, and the token a request presents."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from api.models import TOKEN_PREFIX, ApiToken
from api.services import token_hash
from campaigns.models import Campaign, Collaboration, Deliverable, Draft
from campaigns.selectors import visible_campaigns
from kolhub.models import Workspace
from kolhub.tenancy import Scope, scope_workspace
from tracking.models import Conversion, MetricSnapshot, Post

# token_urlsafe(32) is 43 characters; anything much longer is no token of ours.
MAX_TOKEN_LENGTH = 100


def workspace_api_tokens(workspace: Workspace) -> QuerySet[ApiToken]:
    """The workspace's tokens, newest first, with who created them."""
    return ApiToken.objects.for_workspace(workspace).select_related("created_by")


def get_api_token(scope: Scope, pk: int) -> ApiToken:
    """A token of the scope's workspace, or 404."""
    return get_object_or_404(ApiToken.objects.for_workspace(scope_workspace(scope)), pk=pk)


def api_token_by_secret_unscoped(plain: str) -> ApiToken | None:
    """The token with this secret, whatever its workspace (the secret is the credential)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > MAX_TOKEN_LENGTH:
        return None
    return (
        ApiToken.objects.select_related("workspace", "created_by")
        .filter(secret_hash=token_hash(plain))
        .first()
    )


def campaign_collaborations(campaign: Campaign) -> QuerySet[Collaboration]:
    """The campaign's roster, creators loaded (the caller has checked access to the campaign)."""
    return (
        Collaboration.objects.for_workspace(campaign.workspace)
        .filter(campaign=campaign)
        .select_related("creator")
    )


def get_post(scope: Scope, pk: int) -> Post:
    """A post of a campaign the scope may see, or 404."""
    return get_object_or_404(
        Post.objects.for_workspace(scope_workspace(scope)).filter(
            collaboration__campaign__in=visible_campaigns(scope)
        ),
        pk=pk,
    )


def post_snapshots(post: Post) -> QuerySet[MetricSnapshot]:
    """The post's counters over time, one row per captured hour."""
    return MetricSnapshot.objects.for_workspace(post.workspace).filter(post=post)


def collaboration_deliverables(collaboration: Collaboration) -> QuerySet[Deliverable]:
    """The collaboration's deliverables, their drafts loaded (newest version first)."""
    return (
        Deliverable.objects.for_workspace(collaboration.workspace)
        .filter(collaboration=collaboration)
        .prefetch_related(Prefetch("drafts", queryset=Draft.objects.order_by("-version")))
    )


def workspace_conversions(scope: Scope, filters: dict[str, int]) -> QuerySet[Conversion]:
    """The orders the workspace's feeds brought, attributed or not; by campaign or
    collaboration when asked (then only those of campaigns the scope may see)."""
    rows = Conversion.objects.for_workspace(scope_workspace(scope)).select_related("collaboration")
    if campaign := filters.get("campaign"):
        rows = rows.filter(
            collaboration__campaign_id=campaign,
            collaboration__campaign__in=visible_campaigns(scope),
        )
    if collaboration := filters.get("collaboration"):
        rows = rows.filter(collaboration_id=collaboration)
    return rows
