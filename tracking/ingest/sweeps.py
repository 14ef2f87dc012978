"""The beat's sweeps of reading platforms: the queries here read every workspace on purpose
(posts to follow, posts and accounts due for a pull, insights to store).

Each hands what it finds to the per-workspace code of the room (services, pulls, accounts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from campaigns.models import Deliverable, DeliverableStatus, InsightReport
from creators.models import SocialAccount
from creators.post_urls import PostUrlError
from tracking.ingest.accounts import ACTIVE_CAMPAIGNS, REFRESH_EVERY, refresh_batch
from tracking.ingest.providers import PROVIDERS
from tracking.ingest.pulls import CLAIM_LEASE, Batch, route
from tracking.ingest.services import post_register
from tracking.ingest.snapshots import SnapshotRow, capture_bucket, snapshots_write
from tracking.models import COUNTERS, MetricSnapshot, Post, SnapshotSource

logger = logging.getLogger(__name__)


def posts_register_published(*, limit: int = 500) -> int:
    """Follow the live posts sent in any workspace that nothing follows yet (a system job).

    Campaigns store the live URL on the deliverable and never import tracking; this sweep,
    run by beat every minute, turns each such URL into a Post.
    """
    waiting = (
        Deliverable.objects.filter(status=DeliverableStatus.PUBLISHED)
        .exclude(live_url="")
        .exclude(Exists(Post.objects.filter(deliverable=OuterRef("pk"))))
        .select_related("collaboration")
        .order_by("published_at", "pk")[:limit]
    )
    registered = 0
    for deliverable in waiting:
        try:
            post_register(deliverable=deliverable, url=deliverable.live_url)
        except PostUrlError:
            # Checked when it was sent; an older or hand-edited URL is left for staff to fix.
            logger.warning("Deliverable %s has a live URL that is not a post", deliverable.pk)
            continue
        registered += 1
    return registered


INSIGHT_LOOKBACK = timedelta(days=30)


def insights_to_snapshots(*, limit: int = 1000) -> int:
    """Insights a creator sent through the portal, or staff typed in, become snapshots of the
    post (source portal or manual), once: a report already written is found by its hour."""
    since = timezone.now() - INSIGHT_LOOKBACK
    reports = list(
        InsightReport.objects.filter(reported_at__gte=since, deliverable__posts__isnull=False)
        .annotate(post_id=F("deliverable__posts__pk"))
        .order_by("reported_at")[:limit]
    )
    if not reports:
        return 0
    written = set(
        MetricSnapshot.objects.filter(
            post_id__in={r.post_id for r in reports},
            source__in=[SnapshotSource.PORTAL, SnapshotSource.MANUAL],
        ).values_list("post_id", "bucket")
    )
    rows = [
        SnapshotRow(
            post_id=report.post_id,
            workspace_id=report.workspace_id,
            captured_at=report.reported_at,
            source=SnapshotSource.PORTAL if report.by_creator else SnapshotSource.MANUAL,
            counters={name: getattr(report, name) for name in COUNTERS},
            raw={"insight_report": report.pk},
        )
        for report in reports
        if (report.post_id, capture_bucket(report.reported_at)) not in written
    ]
    return snapshots_write(rows=rows) if rows else 0


def posts_claim_due(*, now: datetime | None = None, limit: int = 20_000) -> list[Batch]:
    """Claim every due post (up to `limit`) and group them into batches for the tasks."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Post.objects.filter(next_pull_at__lte=now)
            .order_by("next_pull_at")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "workspace_id", "platform", "collaboration__creator_id")[:limit]
        )
        if not due:
            return []
        Post.objects.filter(pk__in=[row[0] for row in due]).update(next_pull_at=now + CLAIM_LEASE)
    return route(due)


@dataclass
class RefreshReport:
    refreshed: int = 0
    failed: int = 0


def accounts_due(*, now: datetime, limit: int = 500) -> list[tuple[int, int, str, int]]:
    """(account, workspace, platform, creator) of accounts at work not read for a day."""
    readable = Q(platform__in=list(PROVIDERS)) | Q(workspace__is_demo=True)
    stale = Q(last_refreshed_at__isnull=True) | Q(last_refreshed_at__lt=now - REFRESH_EVERY)
    return list(
        SocialAccount.objects.filter(readable, stale)
        .filter(creator__collaborations__campaign__status__in=ACTIVE_CAMPAIGNS)
        .order_by("last_refreshed_at", "pk")
        .values_list("pk", "workspace_id", "platform", "creator_id")
        .distinct()[:limit]
    )


def accounts_refresh(*, now: datetime | None = None) -> RefreshReport:
    report = RefreshReport()
    for batch in route(accounts_due(now=now or timezone.now())):
        refreshed, failed = refresh_batch(batch)
        report.refreshed += refreshed
        report.failed += failed
    return report
