"""The queries of results that cross workspaces, run by beat: which stored figures to
recompute. Every function here reads all workspaces on purpose."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from tracking.models import RecomputeKind, RecomputeMark

# One sweep takes at most this many marks; the rest wait a minute for the next.
MARKS_PER_SWEEP = 5000
# A recompute task takes at most this many campaigns of one workspace: each task costs the
# same fixed number of queries, and a big sweep is shared by several workers.
CAMPAIGNS_PER_TASK = 25


class Due(NamedTuple):
    campaigns: list[int]
    workspaces: list[int]


def marks_take_due(now: datetime | None = None) -> Due:
    """The campaigns and workspaces whose figures have been stale for a debounce
    (RESULTS_DEBOUNCE_SECONDS, from the first event). Their marks are deleted in the same
    transaction, so an event from now on marks them again and a second sweep running at the
    same time skips the rows this one holds."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.RESULTS_DEBOUNCE_SECONDS)
    with transaction.atomic():
        due = list(
            RecomputeMark.objects.filter(since__lte=cutoff)
            .order_by("since")
            .select_for_update(skip_locked=True)
            .values_list("pk", "kind", "target")[:MARKS_PER_SWEEP]
        )
        RecomputeMark.objects.filter(pk__in=[pk for pk, _kind, _target in due]).delete()
    return Due(
        campaigns=[target for _pk, kind, target in due if kind == RecomputeKind.CAMPAIGN],
        workspaces=[target for _pk, kind, target in due if kind == RecomputeKind.ACCOUNT_SCORES],
    )


def campaigns_needing_results(now: datetime | None = None) -> list[int]:
    """Campaigns still being watched (running, or observed until their window ends) whose
    stored figures are missing or older than an hour: edits on the campaign side (costs,
    the roster) reach the figures within the hour even without a tracking event."""
    now = now or timezone.now()
    return list(
        Campaign.objects.filter(
            status__in=[CampaignStatus.RUNNING, CampaignStatus.OBSERVING],
            observation_ends_on__gte=now.date(),
        )
        .filter(Q(result__isnull=True) | Q(result__computed_at__lt=now - timedelta(hours=1)))
        .values_list("pk", flat=True)
    )


def campaigns_by_workspace(
    campaign_ids: list[int], per_task: int = CAMPAIGNS_PER_TASK
) -> list[tuple[int, list[int]]]:
    """The campaigns grouped by workspace, in chunks of at most `per_task`: one recompute
    task each (one query; campaigns deleted since they were marked are dropped)."""
    by_workspace: dict[int, list[int]] = {}
    for workspace_id, pk in (
        Campaign.objects.filter(pk__in=campaign_ids)
        .order_by("workspace_id", "pk")
        .values_list("workspace_id", "pk")
    ):
        by_workspace.setdefault(workspace_id, []).append(pk)
    return [
        (workspace_id, ids[start : start + per_task])
        for workspace_id, ids in by_workspace.items()
        for start in range(0, len(ids), per_task)
    ]
