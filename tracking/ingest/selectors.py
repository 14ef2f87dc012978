"""Reads of the posts panels."""

from __future__ import annotations

from django.db.models import QuerySet

from campaigns.models import Campaign, Collaboration
from tracking.models import Post


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
