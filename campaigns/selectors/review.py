"""Review and what it produces: the draft page and the campaign's asset library."""

from __future__ import annotations

from typing import Any

from campaigns.models import Asset, Campaign, Draft, ReviewComment


def draft_page(draft: Draft) -> dict[str, Any]:
    """The draft under review, the version before it (for the diff) and the conversation."""
    versions = list(
        Draft.objects.filter(deliverable_id=draft.deliverable_id)
        .order_by("-version")
        .prefetch_related("media")
    )
    previous = next((d for d in versions if d.version < draft.version), None)
    comments = list(
        ReviewComment.objects.filter(draft__deliverable_id=draft.deliverable_id)
        .select_related("author", "draft")
        .order_by("created_at", "pk")
    )
    current = next(d for d in versions if d.pk == draft.pk)
    return {"versions": versions, "previous": previous, "comments": comments, "current": current}


def campaign_assets(campaign: Campaign) -> list[Asset]:
    return list(
        Asset.objects.filter(campaign=campaign)
        .select_related("media__draft__deliverable", "collaboration__creator")
        .order_by("-approved_at", "-pk")
    )
