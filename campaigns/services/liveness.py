"""Posts must stay online for the period the contract names; tracking reports when one did not."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Collaboration, EventKind
from campaigns.services.reminders import notice_recipient
from campaigns.services.roster import event_log
from kolhub.selectors import team_users
from kolhub.services import notifications_create

GONE_STATUSES = {"deleted", "private"}


def post_taken_down(
    *,
    collaboration: Collaboration,
    url: str,
    status: str,
    published_at: datetime,
    noticed_at: datetime,
) -> bool:
    """Log and announce a post gone before its minimum live period; False when it was served
    (or the contract names none)."""
    required = collaboration.min_live_days
    if not required or status not in GONE_STATUSES:
        return False
    days_live = max((noticed_at - published_at).days, 0)
    if days_live >= required:
        return False
    event_log(
        collaboration=collaboration,
        kind=EventKind.TAKEN_DOWN,
        data={"url": url, "status": status, "days": days_live, "required": required},
    )
    workspace = collaboration.workspace
    team = set(team_users(workspace).values_list("pk", flat=True))
    recipient = notice_recipient(collaboration, team)
    if recipient is not None:
        with translation.override(workspace.language):
            message = _(
                "%(creator)s's post is no longer public after %(days)s days, before the "
                "%(required)s days agreed (%(campaign)s)"
            ) % {
                "creator": collaboration.creator.display_name,
                "days": days_live,
                "required": required,
                "campaign": collaboration.campaign.name,
            }
        url_path = reverse("collaboration_detail", args=[workspace.slug, collaboration.pk])
        notifications_create(workspace_id=workspace.pk, items=[(recipient, message, url_path)])
    return True
