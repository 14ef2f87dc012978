"""The one channel from ingest and sales to results: "these stored figures are stale".

Ingest and sales never import results (docs/architecture.md). When an event changes what a
campaign's figures or a workspace's account scores are computed from, they mark it here, in
the same transaction as the change (a rolled-back change leaves no mark); results sweeps the
marks every minute and recomputes what has been stale for a debounce (tracking.results.sweeps).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from campaigns.models import Campaign, Collaboration
from tracking.models import Post, RecomputeKind, RecomputeMark

CHUNK = 10_000


def _mark(kind: str, targets: Iterable[int]) -> None:
    # The first event's time stays: a mark already there wins the unique constraint, so a
    # steady stream of events cannot postpone the computation for ever.
    now = timezone.now()
    RecomputeMark.objects.bulk_create(
        [RecomputeMark(kind=kind, target=target, since=now) for target in sorted(set(targets))],
        ignore_conflicts=True,
    )


def campaigns_changed(campaign_ids: Iterable[int]) -> None:
    """These campaigns' stored figures are stale."""
    _mark(RecomputeKind.CAMPAIGN, campaign_ids)


def posts_changed(post_ids: Iterable[int]) -> None:
    """The figures of the campaigns these posts belong to are stale."""
    ids = list(post_ids)
    for start in range(0, len(ids), CHUNK):
        campaigns_changed(
            Post.objects.filter(pk__in=ids[start : start + CHUNK])
            .values_list("collaboration__campaign_id", flat=True)
            .distinct()
        )


def collaborations_changed(collaboration_ids: Iterable[int | None]) -> None:
    """The figures of these collaborations' campaigns are stale (None is skipped)."""
    ids = {pk for pk in collaboration_ids if pk is not None}
    if ids:
        campaigns_changed(
            Collaboration.objects.filter(pk__in=ids).values_list("campaign_id", flat=True)
        )


def workspace_campaigns_changed(workspace_id: int) -> None:
    """Every campaign of the workspace is stale (a rate table it converts with changed)."""
    campaigns_changed(
        Campaign.objects.filter(workspace_id=workspace_id).values_list("pk", flat=True)
    )


def account_scores_changed(workspace_ids: Iterable[int]) -> None:
    """These workspaces' account scores are stale."""
    _mark(RecomputeKind.ACCOUNT_SCORES, workspace_ids)
