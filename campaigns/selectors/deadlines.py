"""What is due when: a campaign's timeline and a member's tasks, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import stages
from campaigns.models import (
    OPEN_DELIVERABLE,
    Campaign,
    CampaignStatus,
    Collaboration,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftStatus,
    Shipment,
)
from kolhub.models import Membership


@dataclass
class TimelineRow:
    deliverable: Deliverable
    draft_x: float | None  # positions in percent of the timeline's width
    publish_x: float | None
    late: bool

    @property
    def span_width(self) -> float:
        if self.draft_x is None or self.publish_x is None:
            return 0
        return round(self.publish_x - self.draft_x, 2)


def is_late(deliverable: Deliverable, today: date) -> bool:
    """Past its publish date without being published, or past its draft date without a draft."""
    if deliverable.status not in OPEN_DELIVERABLE:
        return False
    if deliverable.publish_due and deliverable.publish_due < today:
        return True
    waiting_for_draft = deliverable.status in (
        DeliverableStatus.PLANNED,
        DeliverableStatus.DRAFTING,
        DeliverableStatus.CHANGES,
    )
    return waiting_for_draft and deliverable.draft_due is not None and deliverable.draft_due < today


# Month lines the timeline draws once across its rows: a campaign dated from 2000 to 9999
# would otherwise draw 96,000 of them.
MAX_MONTH_TICKS = 24


def month_ticks(start: date, end: date) -> list[date]:
    """The first days of months from start to end, every month or every few so that there
    are at most MAX_MONTH_TICKS."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    step = -(-(last - first + 1) // MAX_MONTH_TICKS)  # ceiling division
    # Counted in months, not dates: the month after December 9999 is no date.
    months = (date(index // 12, index % 12 + 1, 1) for index in range(first, last + 1, step))
    return [month for month in months if month >= start]


# Deliverables per page of the timeline: the biggest campaigns have hundreds.
TIMELINE_PAGE_SIZE = 50


def timeline(campaign: Campaign, page_number: str | None = None) -> dict[str, Any]:
    """A page of the campaign's deliverables on a calendar from the campaign's start to its last
    due date (Gantt-like), by creator; every page draws the whole campaign's calendar."""
    deliverables = Deliverable.objects.filter(
        workspace_id=campaign.workspace_id, collaboration__campaign=campaign
    ).exclude(status=DeliverableStatus.CANCELLED)
    bounds = deliverables.aggregate(
        first_draft=Min("draft_due"),
        last_draft=Max("draft_due"),
        first_post=Min("publish_due"),
        last_post=Max("publish_due"),
    )
    page = Paginator(
        deliverables.select_related("collaboration__creator").order_by(
            "collaboration__creator__display_name", "publish_due", "pk"
        ),
        TIMELINE_PAGE_SIZE,
    ).get_page(page_number)
    today = timezone.localdate()
    dates = [campaign.starts_on, campaign.ends_on] + [day for day in bounds.values() if day]
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)

    def x(day: date | None) -> float | None:
        return None if day is None else round((day - start).days / span * 100, 2)

    rows = [
        TimelineRow(
            deliverable=item,
            draft_x=x(item.draft_due),
            publish_x=x(item.publish_due),
            late=is_late(item, today),
        )
        for item in page.object_list
    ]
    months = [(month, x(month)) for month in month_ticks(start, end)]
    return {
        "rows": rows,
        "page": page,
        "start": start,
        "end": end,
        "today": today,
        "today_x": x(today) if start <= today <= end else None,
        "months": months,
        "campaign_end_x": x(campaign.ends_on),
    }


@dataclass
class Task:
    urgency: int  # lower is more urgent
    due: date | None
    kind: str
    label: str
    collaboration: Collaboration
    deliverable: Deliverable | None = None
    draft: Draft | None = None

    @property
    def overdue_days(self) -> int:
        if self.due is None:
            return 0
        return (timezone.localdate() - self.due).days


def my_tasks(membership: Membership, *, everyone: bool = False) -> list[Task]:
    """What needs doing on the member's collaborations (or everyone's), most urgent first."""
    today = timezone.localdate()
    soon = today + timedelta(days=2)
    collaborations = (
        Collaboration.objects.for_workspace(membership.workspace)
        .exclude(stage__in=stages.FINISHED)
        .exclude(campaign__status=CampaignStatus.CLOSED)
    )
    if not everyone:
        collaborations = collaborations.filter(owner=membership.user)
    deliverables = (
        Deliverable.objects.filter(collaboration__in=collaborations, status__in=OPEN_DELIVERABLE)
        .select_related("collaboration__creator", "collaboration__campaign__brand")
        .annotate(
            waiting_draft=Max(
                "drafts__pk",
                filter=Q(drafts__status__in=[DraftStatus.SUBMITTED, DraftStatus.AWAITING_BRAND]),
            )
        )
    )
    tasks: list[Task] = []
    for item in deliverables:
        collaboration = item.collaboration
        if item.waiting_draft:
            tasks.append(
                Task(1, item.draft_due, "review", _("Review the draft"), collaboration, item)
            )
            tasks[-1].draft = Draft(pk=item.waiting_draft)
        elif (
            item.status
            in (DeliverableStatus.PLANNED, DeliverableStatus.DRAFTING, DeliverableStatus.CHANGES)
            and item.draft_due
            and item.draft_due <= soon
        ):
            late = item.draft_due < today
            tasks.append(
                Task(
                    0 if late else 2,
                    item.draft_due,
                    "draft_late" if late else "draft_soon",
                    _("Draft overdue") if late else _("Draft due soon"),
                    collaboration,
                    item,
                )
            )
        elif (
            item.status == DeliverableStatus.APPROVED
            and item.publish_due
            and item.publish_due <= soon
        ):
            late = item.publish_due < today
            tasks.append(
                Task(
                    0 if late else 2,
                    item.publish_due,
                    "post_late" if late else "post_soon",
                    _("Post overdue") if late else _("Post due soon"),
                    collaboration,
                    item,
                )
            )
    unconfirmed = Shipment.objects.filter(
        collaboration__in=collaborations,
        shipped_on__isnull=False,
        received_on__isnull=True,
    ).select_related("collaboration__creator", "collaboration__campaign__brand")
    for shipment in unconfirmed:
        if shipment.shipped_on is None:  # excluded by the query; this tells the type checker
            continue
        campaign = shipment.collaboration.campaign
        chase_on = shipment.shipped_on + timedelta(days=campaign.receipt_followup_days)
        if chase_on <= today:
            tasks.append(
                Task(
                    3,
                    chase_on,
                    "receipt",
                    _("Ask whether the product arrived"),
                    shipment.collaboration,
                )
            )
    rights_end = today + timedelta(days=14)
    for collaboration in collaborations.filter(
        rights_ends_on__gte=today, rights_ends_on__lte=rights_end
    ).select_related("creator", "campaign__brand"):
        tasks.append(
            Task(
                4, collaboration.rights_ends_on, "rights", _("Usage rights expiring"), collaboration
            )
        )
    tasks.sort(key=lambda t: (t.urgency, t.due or date.max, t.collaboration.pk))
    return tasks
