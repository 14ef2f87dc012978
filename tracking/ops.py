"""The admin's operations page: is the machinery running, and what is it behind on?

Why here: the page needs tracking's figures (quota, due posts, the click log, refused
webhooks) and kolhub's (worker, queues, periodic tasks), and kolhub may not import tracking.
tracking sits at the right end of the dependency line, so it reads both; the project URLconf
(kolhub.urls, the composition root) mounts the view under /admin/ behind the admin's own
staff check, and templates/admin/index.html links to it. A registry of sections in kolhub
would add machinery for a single page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from creators.models import Platform
from kolhub.operations import changelist_url, periodic_tasks, queue_depths, worker_status
from tracking.ingest.quota import fingerprint, quota_day
from tracking.models import (
    ApiQuota,
    ClickLogOffset,
    DeliveryOutcome,
    PlatformConnection,
    Post,
    WebhookDelivery,
)

# A due post not claimed this long after its time means the scheduler or the pulls lag.
OVERDUE_AFTER = timedelta(minutes=15)
REFUSALS_SHOWN = 20
# The worker's part refreshes itself this often, so an open page shows a stopped worker
# within a minute of its heartbeat going stale.
REFRESH_SECONDS = 15
READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class QuotaUse:
    platform: str
    key: str  # a label and the key's last 4 characters, never the key
    units: int
    limit: int | None
    url: str | None


def _known_keys(platforms: set[str]) -> dict[tuple[str, str], str]:
    """(platform, fingerprint) -> how to name the key: the server's, or a connection's (an
    API key, or an account's OAuth token, which spends from the same daily quota)."""
    names: dict[tuple[str, str], str] = {}
    if settings.YOUTUBE_API_KEY:
        key = settings.YOUTUBE_API_KEY
        names[(Platform.YOUTUBE, fingerprint(key))] = _("server key …%(last4)s") % {
            "last4": key[-4:]
        }
    connections = PlatformConnection.objects.filter(platform__in=platforms)
    for connection in connections.select_related("workspace"):
        if not connection.token:  # encrypted at rest: only the decrypted value tells
            continue
        names[(connection.platform, fingerprint(connection.token))] = _(
            "%(label)s (%(workspace)s) …%(last4)s"
        ) % {
            "label": connection.label or connection.get_platform_display(),
            "workspace": connection.workspace.name,
            "last4": connection.token[-4:],
        }
    return names


def quota_today() -> list[QuotaUse]:
    """Units of each key's quota spent today (its platform's quota day)."""
    day = quota_day(timezone.now())
    rows = ApiQuota.objects.filter(day=day).order_by("platform", "-units")
    if not rows:
        return []
    names = _known_keys({row.platform for row in rows})
    return [
        QuotaUse(
            platform=row.get_platform_display(),
            key=names.get((row.platform, row.credential))
            or _("unknown key (fingerprint %(fingerprint)s)") % {"fingerprint": row.credential},
            units=row.units,
            limit=settings.YOUTUBE_DAILY_QUOTA if row.platform == Platform.YOUTUBE else None,
            url=changelist_url(ApiQuota, day=day.isoformat(), credential=row.credential),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class PullBacklog:
    due: int
    overdue: int
    due_url: str | None
    overdue_url: str | None


def pull_backlog(now: datetime) -> PullBacklog:
    """Posts whose next pull time has come, and those still waiting OVERDUE_AFTER later."""
    overdue_since = now - OVERDUE_AFTER
    due = Post.objects.filter(next_pull_at__lte=now).count()
    overdue = Post.objects.filter(next_pull_at__lte=overdue_since).count() if due else 0
    return PullBacklog(
        due=due,
        overdue=overdue,
        due_url=changelist_url(Post, next_pull_at__lte=now),
        overdue_url=changelist_url(Post, next_pull_at__lte=overdue_since),
    )


@dataclass(frozen=True)
class ClickBacklog:
    files: int
    bytes: int
    lines: int
    url: str | None


def _complete_lines(path: Path, offset: int) -> int:
    """Complete lines after `offset`: the clicks the drain has still to store."""
    lines = 0
    with path.open("rb") as log:
        log.seek(offset)
        while chunk := log.read(READ_CHUNK):
            lines += chunk.count(b"\n")
    return lines


def click_backlog() -> ClickBacklog:
    """What the web processes logged and the drain has not stored yet (tracking.sales.clicks)."""
    paths = sorted(Path(settings.CLICK_LOG_DIR).glob("clicks-*.log"))
    offsets = dict(
        ClickLogOffset.objects.filter(name__in=[p.name for p in paths]).values_list(
            "name", "offset"
        )
    )
    files = pending_bytes = lines = 0
    for path in paths:
        try:
            size = path.stat().st_size
            if size <= offsets.get(path.name, 0):
                continue
            lines += _complete_lines(path, offsets.get(path.name, 0))
        except FileNotFoundError:  # drained and removed meanwhile
            continue
        files += 1
        pending_bytes += size - offsets.get(path.name, 0)
    return ClickBacklog(
        files=files, bytes=pending_bytes, lines=lines, url=changelist_url(ClickLogOffset)
    )


@dataclass(frozen=True)
class Refusal:
    refused_at: datetime
    feed: str
    workspace: str
    outcome: str
    reason: str
    url: str | None


def last_refusals() -> list[Refusal]:
    """The newest webhook deliveries that were not applied, every workspace, and why."""
    rows = (
        WebhookDelivery.objects.exclude(outcome=DeliveryOutcome.APPLIED)
        .select_related("feed__workspace")
        .order_by("-received_at", "-pk")[:REFUSALS_SHOWN]
    )
    return [
        Refusal(
            refused_at=row.received_at,
            feed=str(row.feed),
            workspace=row.feed.workspace.name,
            outcome=row.get_outcome_display(),
            reason=row.reason,
            url=changelist_url(WebhookDelivery, feed=row.feed_id),
        )
        for row in rows
    ]


@require_GET
def operations(request: HttpRequest) -> HttpResponse:
    worker = {
        "worker": worker_status(),
        "queues": queue_depths(),
        "refresh_seconds": REFRESH_SECONDS,
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "worker":
        return TemplateResponse(request, "admin/operations.html#worker", worker)
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        **worker,
        "title": _("Operations"),
        "periodic": periodic_tasks(),
        "quota": quota_today(),
        "pulls": pull_backlog(now),
        "overdue_minutes": int(OVERDUE_AFTER.total_seconds() // 60),
        "clicks": click_backlog(),
        "refusals": last_refusals(),
        "refusals_url": changelist_url(WebhookDelivery, outcome__exact=DeliveryOutcome.REFUSED),
    }
    return TemplateResponse(request, "admin/operations.html", context)
