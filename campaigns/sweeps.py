"""The beat's sweeps over every workspace.

With the lookups named `*_unscoped` (and the Django admin), these are the only queries of
campaigns that cross workspaces. A sweep finds the work of all workspaces and hands it to a
service one workspace, or one row, at a time, so every write stays inside its workspace.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from campaigns.models import CampaignStatus, Collaboration, Draft, DraftStatus
from campaigns.services.reminders import workspace_reminders_send
from campaigns.services.review import business_days_between, draft_auto_approve
from kolhub.models import Workspace

logger = logging.getLogger(__name__)


def drafts_auto_approve(*, now: datetime | None = None) -> int:
    """Approve drafts the brand left unanswered past the campaign's limit; returns how many."""
    now = now or timezone.now()
    waiting = (
        Draft.objects.filter(
            status=DraftStatus.AWAITING_BRAND,
            deliverable__collaboration__campaign__auto_approve_days__isnull=False,
        )
        .exclude(deliverable__collaboration__campaign__status=CampaignStatus.CLOSED)
        .select_related("workspace", "deliverable__collaboration__campaign")
    )
    approved = 0
    for draft in waiting:
        limit = draft.deliverable.collaboration.campaign.auto_approve_days or 0
        # Business days are counted on the workspace's calendar, not the server's.
        zone = zoneinfo.ZoneInfo(draft.workspace.timezone)
        started = timezone.localtime(draft.agency_approved_at or draft.submitted_at, zone)
        if business_days_between(started, timezone.localtime(now, zone)) >= limit:
            approved += draft_auto_approve(draft=draft)
    return approved


@dataclass
class SendSummary:
    workspaces: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


def reminders_send(*, now: datetime | None = None) -> SendSummary:
    """Send today's new reminders in every workspace, each judged on its own calendar."""
    now = now or timezone.now()
    summary = SendSummary()
    # Not only workspaces with work under way: usage rights and live periods end long after
    # the collaboration is reported and the campaign closed.
    workspace_ids = Collaboration.objects.values_list("workspace_id", flat=True).distinct()
    for workspace in Workspace.objects.filter(pk__in=workspace_ids):
        zone = zoneinfo.ZoneInfo(workspace.timezone)
        try:
            with timezone.override(zone):
                sent, skipped = workspace_reminders_send(
                    workspace=workspace, today=timezone.localtime(now, zone).date()
                )
        except Exception:
            # One workspace's bad data must not silence everyone else's reminders; its
            # transaction rolled back, so tomorrow's run tries it again in full.
            logger.exception("Reminders failed for workspace %s", workspace.pk)
            summary.failed += 1
            continue
        summary.workspaces += 1
        summary.sent += sent
        summary.already_sent += skipped
    return summary
