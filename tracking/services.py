"""Every write of the tracking app."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from campaigns.models import (
    Campaign,
    Collaboration,
    Deliverable,
    DeliverableStatus,
    InsightReport,
)
from creators.models import Platform, SocialAccount
from creators.post_urls import PostUrlError, parse_post_url
from kolhub.models import ExchangeRate, User, Workspace
from tracking.account_scores import account_scores_soon
from tracking.clicks import forget_link
from tracking.models import (
    COUNTERS,
    ConnectionKind,
    ConnectionStatus,
    EmvRate,
    EngagementBenchmark,
    MetricSnapshot,
    PlatformConnection,
    Post,
    PostStatus,
    SharedReport,
    SnapshotSource,
    TrackedLink,
)
from tracking.oauth import Grant
from tracking.results import campaigns_of_posts, results_recompute_soon
from tracking.snapshot_copy import copy_snapshots

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


def post_register(*, deliverable: Deliverable, url: str) -> Post:
    """Follow the post at `url` for this deliverable (PostUrlError when it is not one)."""
    parsed = parse_post_url(url)
    collaboration = deliverable.collaboration
    lookup = (
        {"platform": parsed.platform, "platform_id": parsed.platform_id}
        if parsed.platform_id
        else {"url": parsed.url}
    )
    post, _created = Post.objects.get_or_create(
        workspace_id=deliverable.workspace_id,
        **lookup,
        defaults={
            "platform": parsed.platform,
            "platform_id": parsed.platform_id,
            "url": parsed.url,
            "collaboration": collaboration,
            "deliverable": deliverable,
            "published_at": deliverable.published_at,
            # Pulled at once, unless it is a short link no provider can read yet.
            "next_pull_at": timezone.now() if parsed.platform_id else None,
        },
    )
    return post


@dataclass
class SnapshotRow:
    post_id: int
    workspace_id: int
    captured_at: datetime
    source: str
    counters: dict[str, int | None] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def capture_bucket(captured_at: datetime) -> datetime:
    """The hour a capture belongs to: two captures in one hour are the same snapshot."""
    return captured_at.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def snapshots_write(*, rows: Iterable[SnapshotRow]) -> int:
    """Upsert snapshots (one per post and hour) and refresh each post's latest counters.

    Idempotent: a retried or redelivered batch rewrites the same rows, never adds a second.
    On PostgreSQL the rows stream through COPY (tracking.snapshot_copy); elsewhere (the
    embedded SQLite) through bulk_create.
    """
    posts: set[int] = set()
    workspaces: set[int] = set()
    noted = _noting_posts(rows, posts, workspaces)
    if connection.vendor == "postgresql":
        written = copy_snapshots(_as_copy_rows(noted))
    else:
        written = _bulk_write(noted)
    results_recompute_soon(campaigns_of_posts(posts))
    account_scores_soon(workspaces)
    return written


def _noting_posts(
    rows: Iterable[SnapshotRow], posts: set[int], workspaces: set[int]
) -> Iterator[SnapshotRow]:
    """The rows as they stream by, noting each one's post and workspace."""
    for row in rows:
        posts.add(row.post_id)
        workspaces.add(row.workspace_id)
        yield row


def _as_copy_rows(rows: Iterable[SnapshotRow]) -> Iterator[tuple]:
    for row in rows:
        counters = row.counters
        yield (
            row.workspace_id,
            row.post_id,
            row.captured_at,
            row.captured_at.replace(minute=0, second=0, microsecond=0),  # capture_bucket
            row.source,
            row.raw,
            *[counters.get(name) for name in COUNTERS],
        )


def _bulk_write(rows: Iterable[SnapshotRow]) -> int:
    latest: dict[tuple[int, datetime], MetricSnapshot] = {}
    for row in rows:
        snapshot = MetricSnapshot(
            workspace_id=row.workspace_id,
            post_id=row.post_id,
            captured_at=row.captured_at,
            bucket=capture_bucket(row.captured_at),
            source=row.source,
            raw=row.raw,
            **{name: row.counters.get(name) for name in COUNTERS},
        )
        # The newest capture of an hour wins, as the PostgreSQL path decides it.
        key = (row.post_id, snapshot.bucket)
        if key not in latest or latest[key].captured_at <= snapshot.captured_at:
            latest[key] = snapshot
    snapshots = _newer_than_stored(list(latest.values()))
    MetricSnapshot.objects.bulk_create(
        snapshots,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["post", "bucket"],
        update_fields=["captured_at", "source", "raw", *COUNTERS],
    )
    _refresh_latest(snapshots)
    return len(snapshots)


def _newer_than_stored(snapshots: list[MetricSnapshot]) -> list[MetricSnapshot]:
    """Leave out captures older than the stored one of their hour (a late, stale retry)."""
    stored = {
        (post_id, bucket): captured_at
        for post_id, bucket, captured_at in MetricSnapshot.objects.filter(
            post_id__in={s.post_id for s in snapshots}, bucket__in={s.bucket for s in snapshots}
        ).values_list("post_id", "bucket", "captured_at")
    }
    return [
        s
        for s in snapshots
        if (s.post_id, s.bucket) not in stored or stored[(s.post_id, s.bucket)] <= s.captured_at
    ]


def _refresh_latest(snapshots: list[MetricSnapshot]) -> None:
    newest: dict[int, MetricSnapshot] = {}
    for snapshot in snapshots:
        current = newest.get(snapshot.post_id)
        if current is None or snapshot.captured_at > current.captured_at:
            newest[snapshot.post_id] = snapshot
    posts = list(Post.objects.filter(pk__in=newest))
    for post in posts:
        snapshot = newest[post.pk]
        # A snapshot older than what the post already shows does not roll its counters back.
        if post.last_pulled_at and post.last_pulled_at > snapshot.captured_at:
            continue
        for name in COUNTERS:
            value = getattr(snapshot, name)
            if value is not None:
                setattr(post, name, value)
        post.last_pulled_at = snapshot.captured_at
    Post.objects.bulk_update(posts, [*COUNTERS, "last_pulled_at"], batch_size=1000)


# Connections ----------------------------------------------------------------------------------


def connection_add_api_key(
    *, workspace: Workspace, user: User, label: str, key: str
) -> PlatformConnection:
    """A YouTube Data API key of the workspace's own (instead of the server-wide one)."""
    connection = PlatformConnection.objects.create(
        workspace=workspace,
        platform=Platform.YOUTUBE,
        kind=ConnectionKind.API_KEY,
        label=label,
        token=key,
        connected_by=user,
    )
    _resume_waiting_posts(workspace, Platform.YOUTUBE)
    return connection


@transaction.atomic
def connections_save_grants(
    *,
    workspace: Workspace,
    user: User,
    grants: Iterable[Grant],
    account: SocialAccount | None = None,
) -> list[PlatformConnection]:
    """Store what an OAuth flow granted: one connection per account, replacing an older one
    of the same account (so reconnecting repairs it), and resume the posts that waited."""
    saved = []
    for grant in grants:
        connection, _created = PlatformConnection.objects.update_or_create(
            workspace=workspace,
            platform=grant.platform,
            external_id=grant.external_id,
            defaults={
                "kind": ConnectionKind.OAUTH,
                "label": grant.label,
                "token": grant.token,
                "refresh_token": grant.refresh_token,
                "expires_at": grant.expires_at,
                "refresh_expires_at": grant.refresh_expires_at,
                "scopes": grant.scopes,
                "status": ConnectionStatus.ACTIVE,
                "last_error": "",
                "connected_by": user,
                **({"account": account} if account is not None else {}),
            },
        )
        saved.append(connection)
        _resume_waiting_posts(workspace, grant.platform)
    return saved


def connection_disconnect(*, connection: PlatformConnection) -> None:
    """Forget the tokens; the row stays so the history says who connected what."""
    connection.token = ""
    connection.refresh_token = ""
    connection.status = ConnectionStatus.DISCONNECTED
    connection.save(update_fields=["token", "refresh_token", "status", "updated_at"])


def connection_token_renew(*, connection: PlatformConnection, grant: Grant) -> None:
    connection.token = grant.token
    connection.refresh_token = grant.refresh_token or connection.refresh_token
    connection.expires_at = grant.expires_at
    connection.refresh_expires_at = grant.refresh_expires_at or connection.refresh_expires_at
    connection.save(
        update_fields=["token", "refresh_token", "expires_at", "refresh_expires_at", "updated_at"]
    )


def _resume_waiting_posts(workspace: Workspace, platform: str) -> None:
    """Posts paused for want of a working connection are pulled at the next minute."""
    Post.objects.for_workspace(workspace).filter(platform=platform).exclude(last_error="").exclude(
        status=PostStatus.DELETED
    ).filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__gt=timezone.now())).update(
        next_pull_at=timezone.now()
    )


# Tracked links --------------------------------------------------------------------------------


def utm_defaults(collaboration: Collaboration, deliverable: Deliverable | None) -> dict[str, str]:
    """utm_source = the platform, utm_medium = influencer, utm_campaign = the campaign,
    utm_content = the creator's handle: what analytics tools group influencer traffic by."""
    creator = collaboration.creator
    accounts = list(creator.accounts.all())
    platform = deliverable.platform if deliverable else (accounts[0].platform if accounts else "")
    account = next(
        (a for a in accounts if a.platform == platform), accounts[0] if accounts else None
    )
    campaign = collaboration.campaign
    return {
        "utm_source": platform or "influencer",
        "utm_medium": "influencer",
        "utm_campaign": _ascii_slug(campaign.name) or f"campaign-{campaign.pk}",
        "utm_content": (account.handle if account else "")
        or slugify(creator.display_name)
        or f"creator-{creator.pk}",
    }


def _ascii_slug(name: str) -> str:
    """A slug for analytics tools; a name with hardly any Latin letters (中文) gives none."""
    slug = slugify(name)
    return slug if len(re.findall(r"[a-z]", slug)) >= 3 else ""


def tracked_link_create(
    *, collaboration: Collaboration, user: User | None, **fields: Any
) -> TrackedLink:
    """A new link with an unguessable code (64 random bits; a collision is simply retried)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    workspace_id=collaboration.workspace_id,
                    collaboration=collaboration,
                    code=secrets.token_urlsafe(8),
                    created_by=user,
                    **fields,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a unique link code")  # pragma: no cover


def tracked_link_deactivate(*, link: TrackedLink) -> None:
    """The short URL stops redirecting (a 404 page); its clicks stay."""
    link.is_active = False
    link.save(update_fields=["is_active"])
    forget_link(link.code)


# Figures people report ------------------------------------------------------------------------

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


def exchange_rate_set(*, workspace: Workspace, currency: str, into: str, rate: Decimal) -> None:
    """Add or change the rate of a currency pair; the opposite pair is dropped, since one rate
    serves both ways and two could disagree."""
    with transaction.atomic():
        ExchangeRate.objects.filter(workspace=workspace, currency=into, into=currency).delete()
        ExchangeRate.objects.update_or_create(
            workspace=workspace, currency=currency, into=into, defaults={"rate": rate}
        )
    results_recompute_soon(Campaign.objects.for_workspace(workspace).values_list("pk", flat=True))


@transaction.atomic
def emv_rates_set(
    *, workspace: Workspace, currency: str, values: dict[tuple[str, str], Decimal | None]
) -> None:
    """The workspace's own EMV values (in `currency`); an empty one falls back to the default."""
    EmvRate.objects.filter(workspace=workspace).delete()
    EmvRate.objects.bulk_create(
        [
            EmvRate(
                workspace=workspace,
                platform=platform,
                action=action,
                value=value,
                currency=currency,
            )
            for (platform, action), value in values.items()
            if value is not None
        ]
    )
    results_recompute_soon(Campaign.objects.for_workspace(workspace).values_list("pk", flat=True))


def exchange_rate_delete(*, rate: ExchangeRate) -> None:
    rate.delete()
    results_recompute_soon(
        Campaign.objects.filter(workspace_id=rate.workspace_id).values_list("pk", flat=True)
    )


def shared_report_create(
    *, campaign: Campaign, user: User, days: int, label: str = ""
) -> SharedReport:
    """A read-only link to the campaign's dashboard, valid for `days` days."""
    return SharedReport.objects.create(
        workspace_id=campaign.workspace_id,
        campaign=campaign,
        label=label,
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )


def shared_report_revoke(*, share: SharedReport) -> None:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])


def shared_report_opened(*, share: SharedReport) -> None:
    SharedReport.objects.filter(pk=share.pk).update(last_viewed_at=timezone.now())


@transaction.atomic
def engagement_benchmarks_set(
    *, workspace: Workspace, rates: dict[tuple[str, str], Decimal | None]
) -> None:
    """The workspace's own tier benchmarks; an empty one falls back to the default."""
    EngagementBenchmark.objects.filter(workspace=workspace).delete()
    EngagementBenchmark.objects.bulk_create(
        [
            EngagementBenchmark(workspace=workspace, platform=platform, tier=tier, rate=rate)
            for (platform, tier), rate in rates.items()
            if rate is not None
        ]
    )
    account_scores_soon([workspace.pk])
