"""Reads of reading platforms: the posts panels, the workspace's connections."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, Collaboration
from kolhub.tenancy import Scope, scope_workspace
from tracking.models import PlatformConnection, Post


def collaboration_posts(collaboration: Collaboration) -> QuerySet[Post]:
    return (
        Post.objects.filter(workspace_id=collaboration.workspace_id, collaboration=collaboration)
        .select_related("deliverable")
        .order_by("published_at", "pk")
    )


def campaign_posts(campaign: Campaign) -> QuerySet[Post]:
    return (
        Post.objects.filter(workspace_id=campaign.workspace_id, collaboration__campaign=campaign)
        .select_related("deliverable", "collaboration__creator")
        .order_by("collaboration__creator__display_name", "published_at", "pk")
    )


def get_connection(scope: Scope, pk: int) -> PlatformConnection:
    """A platform connection of the scope's workspace, or 404."""
    return get_object_or_404(
        PlatformConnection.objects.for_workspace(scope_workspace(scope)), pk=pk
    )
