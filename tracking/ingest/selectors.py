"""Reads of reading platforms: the posts panels, what a refresh did, the workspace's
connections and the quota their keys used today."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, Collaboration
from creators.models import Platform
from kolhub.formatting import grouped
from kolhub.models import Workspace
from kolhub.tenancy import Scope, scope_workspace
from tracking.ingest.errors import error_code_of, error_sentence, is_gone, needs_setup
from tracking.ingest.providers.base import ErrorCode
from tracking.ingest.quota import quota_spent_today
from tracking.models import (
    CampaignResult,
    ConnectionKind,
    ConnectionStatus,
    PlatformConnection,
    Post,
    PostStatus,
)


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


def final_report_date(campaign: Campaign) -> datetime | None:
    """When a closed campaign's report became final; None while its figures are live."""
    if campaign.status != CampaignStatus.CLOSED:
        return None
    return (
        CampaignResult.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
        .values_list("final_at", flat=True)
        .first()
    )


def get_connection(scope: Scope, pk: int) -> PlatformConnection:
    """A platform connection of the scope's workspace, or 404."""
    return get_object_or_404(
        PlatformConnection.objects.for_workspace(scope_workspace(scope)), pk=pk
    )


@dataclass(frozen=True)
class Reason:
    sentence: str
    count: int


@dataclass
class RefreshOutcome:
    """What a finished refresh did to its posts, each post counted once."""

    updated: int = 0
    deleted: int = 0
    checking: int = 0  # answered gone once: read again before it is reported gone
    failed: list[Reason] = field(default_factory=list)
    needs_setup: list[Reason] = field(default_factory=list)

    @property
    def failed_total(self) -> int:
        return sum(reason.count for reason in self.failed)

    @property
    def setup_total(self) -> int:
        return sum(reason.count for reason in self.needs_setup)


def refresh_outcome(
    workspace_id: int, post_ids: Sequence[int], *, started: datetime
) -> RefreshOutcome:
    """Count a refresh's posts by what they are now: read since it started, gone, not found
    and being checked again, waiting for a connection, or failed, with each reason in words
    and how many posts it stopped."""
    outcome = RefreshOutcome()
    failed: Counter[tuple[str, str]] = Counter()
    setup: Counter[tuple[str, str]] = Counter()
    posts = Post.objects.filter(workspace_id=workspace_id, pk__in=list(post_ids)).only(
        "platform", "status", "error_code", "last_error", "last_pulled_at", "gone_suspected_at"
    )
    for post in posts:
        code = error_code_of(post)
        if post.status in (PostStatus.DELETED, PostStatus.PRIVATE) and (
            code is None or is_gone(code)
        ):
            outcome.deleted += 1
        elif post.gone_suspected_at is not None:
            outcome.checking += 1
        elif code is None and post.last_pulled_at is not None and post.last_pulled_at >= started:
            outcome.updated += 1
        elif code is not None and needs_setup(code):
            setup[(code, post.platform)] += 1
        else:
            # Not read and no reason given (a lost task): a failure all the same.
            failed[(code or "failed", post.platform)] += 1
    outcome.failed = _reasons(failed)
    outcome.needs_setup = _reasons(setup)
    return outcome


def _reasons(counts: Counter[tuple[str, str]]) -> list[Reason]:
    return [
        Reason(error_sentence(code, platform), count)
        for (code, platform), count in counts.most_common()
    ]


@dataclass(frozen=True)
class KeyQuota:
    """A YouTube key's units spent today (in YouTube's quota day) against its daily limit."""

    label: str
    spent: int
    limit: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.spent / self.limit)) if self.limit else 0

    @property
    def spent_text(self) -> str:
        return grouped(self.spent)

    @property
    def limit_text(self) -> str:
        return grouped(self.limit)


def youtube_quota_today(connections: Sequence[PlatformConnection]) -> dict[int, KeyQuota]:
    """Today's quota use of each of these YouTube API-key connections, by connection id."""
    return {
        connection.pk: KeyQuota(
            label=connection.label,
            spent=quota_spent_today(platform=Platform.YOUTUBE, token=connection.token),
            limit=settings.YOUTUBE_DAILY_QUOTA,
        )
        for connection in connections
        if connection.platform == Platform.YOUTUBE
        and connection.kind == ConnectionKind.API_KEY
        and connection.token
    }


def server_youtube_quota_today() -> KeyQuota | None:
    """The server-wide YouTube key's use today (every workspace without its own key)."""
    if not settings.YOUTUBE_API_KEY:
        return None
    return KeyQuota(
        label="",
        spent=quota_spent_today(platform=Platform.YOUTUBE, token=settings.YOUTUBE_API_KEY),
        limit=settings.YOUTUBE_DAILY_QUOTA,
    )


READABLE = (
    Platform.INSTAGRAM,
    Platform.FACEBOOK,
    Platform.THREADS,
    Platform.YOUTUBE,
    Platform.TIKTOK,
)


@dataclass(frozen=True)
class PlatformLimit:
    """A platform's call budget and whether this workspace's posts wait for it now."""

    platform: str
    label: str
    calls_per_minute: int
    waiting: int  # posts put off by throttling or a spent quota
    until: datetime | None  # when the last of them is tried again


def platform_limits(workspace: Workspace) -> list[PlatformLimit]:
    """Each readable platform's calls a minute (shared by every worker) and the posts that
    throttling or a spent quota is holding back now, in one query."""
    held = (
        Post.objects.for_workspace(workspace)
        .filter(
            error_code__in=(ErrorCode.RATE_LIMITED, ErrorCode.QUOTA_EXCEEDED),
            next_pull_at__gt=timezone.now(),
        )
        .values("platform")
        .annotate(waiting=Count("pk"), until=Max("next_pull_at"))
    )
    by_platform: dict[str, tuple[int, datetime | None]] = {
        row["platform"]: (row["waiting"], row["until"]) for row in held
    }
    return [
        PlatformLimit(
            platform=platform,
            label=str(Platform(platform).label),
            calls_per_minute=settings.PROVIDER_CALLS_PER_MINUTE[platform],
            waiting=by_platform.get(platform, (0, None))[0],
            until=by_platform.get(platform, (0, None))[1],
        )
        for platform in READABLE
    ]


def creator_connections(workspace_id: int, creator_id: int):
    """The connections reading any account of one creator (not those already disconnected):
    what their portal lets them take back. Scoped by the portal link's workspace."""
    return (
        PlatformConnection.objects.filter(workspace_id=workspace_id, account__creator_id=creator_id)
        .exclude(status=ConnectionStatus.DISCONNECTED)
        .select_related("account__creator", "workspace")
    )
