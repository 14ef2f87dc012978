"""The creator portal: private links, and what a creator does through one."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campaigns import webhooks
from campaigns.models import (
    Collaboration,
    Deliverable,
    DeliverableStatus,
    EventKind,
    InsightReport,
    PortalLink,
    Stage,
)
from campaigns.services.roster import collaboration_advance, event_log
from kolhub.models import User
from kolhub.uploads import upload_name

INSIGHT_FIELDS = [
    "reach",
    "impressions",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "story_views",
    "link_clicks",
]


class PortalLinkUnusable(Exception):
    """The link is unknown, revoked or expired; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def portal_link_by_token_unscoped(token: str) -> PortalLink:
    """The link with this token, from any workspace: the token is the credential."""
    link = (
        PortalLink.objects.select_related(
            "workspace", "collaboration__creator", "collaboration__campaign__brand"
        )
        .filter(token=token)
        .first()
    )
    if link is None:
        raise PortalLinkUnusable("unknown")
    if link.revoked_at is not None:
        raise PortalLinkUnusable("revoked")
    if link.expires_at <= timezone.now():
        raise PortalLinkUnusable("expired")
    return link


@transaction.atomic
def portal_link_create(
    *, collaboration: Collaboration, user: User | None, language: str, days: int
) -> PortalLink:
    """A new private link for the creator; any earlier link stops working."""
    now = timezone.now()
    PortalLink.objects.filter(collaboration=collaboration, revoked_at__isnull=True).update(
        revoked_at=now
    )
    link = PortalLink.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        language=language,
        expires_at=now + timedelta(days=days),
        created_by=user,
    )
    event_log(
        collaboration=collaboration,
        kind=EventKind.PORTAL,
        actor=user,
        data={"link_created_days": days},
    )
    return link


def portal_link_revoke(*, link: PortalLink, user: User | None) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        event_log(
            collaboration=link.collaboration,
            kind=EventKind.PORTAL,
            actor=user,
            data={"link_revoked": True},
        )


def portal_visit(*, link: PortalLink) -> None:
    """Note the creator opened the portal (at most one log entry per hour)."""
    now = timezone.now()
    if link.last_used_at is None or now - link.last_used_at > timedelta(hours=1):
        event_log(
            collaboration=link.collaboration,
            kind=EventKind.PORTAL,
            by_creator=True,
            data={"visited": True},
        )
    link.last_used_at = now
    PortalLink.objects.filter(pk=link.pk).update(last_used_at=now)


@transaction.atomic
def live_post_submit(
    *, deliverable: Deliverable, url: str, user: User | None = None, by_creator: bool = False
) -> Deliverable:
    """Record the live post of a deliverable; the last one moves the collaboration to published."""
    deliverable.live_url = url
    deliverable.published_at = deliverable.published_at or timezone.now()
    deliverable.status = DeliverableStatus.PUBLISHED
    deliverable.save(update_fields=["live_url", "published_at", "status"])
    collaboration = deliverable.collaboration
    event_log(
        collaboration=collaboration,
        kind=EventKind.POST,
        actor=user,
        by_creator=by_creator,
        data={"format": deliverable.format, "url": url},
    )
    webhooks.post_published(deliverable, by_creator=by_creator)
    collaboration_advance(
        collaboration=collaboration,
        target=Stage.PUBLISHED,
        only_from=[Stage.APPROVED],
        user=user,
        by_creator=by_creator,
    )
    return deliverable


@transaction.atomic
def insights_submit(
    *,
    deliverable: Deliverable,
    figures: dict[str, int | None],
    screenshot: UploadedFile | None,
    user: User | None = None,
    by_creator: bool = False,
) -> InsightReport:
    """Store figures reported for a published deliverable, with the screenshot as proof."""
    report = InsightReport(
        workspace_id=deliverable.workspace_id,
        deliverable=deliverable,
        by_creator=by_creator,
        **{name: figures.get(name) for name in INSIGHT_FIELDS},
    )
    if screenshot is not None:
        report.screenshot.save(upload_name(screenshot), screenshot, save=False)
    report.save()
    collaboration = deliverable.collaboration
    event_log(
        collaboration=collaboration,
        kind=EventKind.INSIGHTS,
        actor=user,
        by_creator=by_creator,
        data={
            "format": deliverable.format,
            "figures": {name: value for name, value in figures.items() if value is not None},
        },
    )
    collaboration_advance(
        collaboration=collaboration,
        target=Stage.REPORTED,
        only_from=[Stage.PUBLISHED],
        user=user,
        by_creator=by_creator,
    )
    return report
