"""The recent-posts grid of a creator's profile: their accounts' own latest posts (read with
the accounts' figures, tracking.ingest.accounts), merged and newest first."""

from __future__ import annotations

from django.db.models import F

from creators.models import Creator
from tracking.models import AccountPost

GRID = 12


def creator_recent_posts(creator: Creator) -> list[AccountPost]:
    """Up to GRID of the creator's accounts' own posts, newest first, with their accounts
    (one query whatever the number of accounts)."""
    return list(
        AccountPost.objects.filter(workspace_id=creator.workspace_id, account__creator=creator)
        .select_related("account")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:GRID]
    )
