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
