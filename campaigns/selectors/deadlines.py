"""What is due when: a campaign's timeline and a member's tasks, most urgent first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class AddDays(Func):
    """A date plus a whole number of days (a column), as a date."""

    arity = 2
    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "  # PostgreSQL: date + integer is a date

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


TASK_PAGE_SIZE = 20
# What a task row shows of its collaboration: the page reads these columns only (the sort of
# a group's rows is narrower, and so faster).
RIGHTS_TASK_FIELDS = ("creator__display_name", "campaign__name", "campaign__brand__name")
TASK_FIELDS = tuple(f"collaboration__{name}" for name in RIGHTS_TASK_FIELDS)
DELIVERABLE_TASK_FIELDS = ("status", "format", "draft_due", "publish_due", *TASK_FIELDS)
# Deliverables waiting for their draft (a draft date applies); approved ones wait for the post.
WAITING_FOR_DRAFT = [
    DeliverableStatus.PLANNED,
    DeliverableStatus.DRAFTING,
    DeliverableStatus.CHANGES,
]
WAITING_FOR_REVIEW = [DraftStatus.SUBMITTED, DraftStatus.AWAITING_BRAND]


@dataclass
class TaskGroup:
    """One kind of task, most urgent first: a page of them and how many there are in all."""

    key: str
    title: str
    page: Page
    tasks: list[Task]

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _open_collaborations(membership: Membership, everyone: bool) -> QuerySet[Collaboration]:
    collaborations = (
        Collaboration.objects.for_workspace(membership.workspace)
        .exclude(stage__in=stages.FINISHED)
        .exclude(campaign__status=CampaignStatus.CLOSED)
    )
    return collaborations if everyone else collaborations.filter(owner=membership.user)


def _deliverable_groups(
    membership: Membership, collaborations: QuerySet[Collaboration], today: date
) -> dict[str, tuple[QuerySet, Callable[[Any], Task], int | None]]:
    """Each group of deliverable tasks: its rows in order, how a row becomes a task, and how
    many there are."""
    soon = today + timedelta(days=2)
    waiting = Draft.objects.filter(deliverable=OuterRef("pk"), status__in=WAITING_FOR_REVIEW)
    open_deliverables = Deliverable.objects.for_workspace(membership.workspace).filter(
        collaboration__in=collaborations, status__in=OPEN_DELIVERABLE
    )
    # A deliverable with a draft to review is that task only; the others are due by the
    # draft date while the draft is awaited, by the publish date once approved.
    dated = (
        open_deliverables.filter(~Exists(waiting))
        .annotate(
            due=Case(
                When(status__in=WAITING_FOR_DRAFT, then=F("draft_due")),
                default=F("publish_due"),
            )
        )
        .select_related("collaboration__creator", "collaboration__campaign__brand")
        .only(*DELIVERABLE_TASK_FIELDS)
    )
    due_by = Q(status__in=WAITING_FOR_DRAFT) | Q(status=DeliverableStatus.APPROVED)
    # The three groups' sizes in one query (each group's page is read on its own).
    counts = open_deliverables.annotate(
        to_review=Exists(waiting),
        due=Case(When(status__in=WAITING_FOR_DRAFT, then=F("draft_due")), default=F("publish_due")),
    ).aggregate(
        review=Count("pk", filter=Q(to_review=True)),
        overdue=Count("pk", filter=Q(to_review=False) & due_by & Q(due__lt=today)),
        soon=Count("pk", filter=Q(to_review=False) & due_by & Q(due__gte=today, due__lte=soon)),
    )
    review = (
        open_deliverables.filter(Exists(waiting))
        .annotate(waiting_draft=Subquery(waiting.order_by("-pk").values("pk")[:1]))
        .select_related("collaboration__creator", "collaboration__campaign__brand")
        .only(*DELIVERABLE_TASK_FIELDS)
        .order_by(F("draft_due").asc(nulls_last=True), "collaboration_id", "pk")
    )

    def review_task(item: Deliverable) -> Task:
        task = Task(1, item.draft_due, "review", _("Review the draft"), item.collaboration, item)
        task.draft = Draft(pk=item.waiting_draft)  # type: ignore[attr-defined]
        return task

    def dated_task(late: bool) -> Callable[[Any], Task]:
        def task(item: Any) -> Task:
            drafting = item.status in WAITING_FOR_DRAFT
            kind = ("draft_" if drafting else "post_") + ("late" if late else "soon")
            labels = {
                "draft_late": _("Draft overdue"),
                "draft_soon": _("Draft due soon"),
                "post_late": _("Post overdue"),
                "post_soon": _("Post due soon"),
            }
            return Task(0 if late else 2, item.due, kind, labels[kind], item.collaboration, item)

        return task

    return {
        "overdue": (
            dated.filter(due_by, due__lt=today).order_by("due", "collaboration_id", "pk"),
            dated_task(late=True),
            counts["overdue"],
        ),
        "review": (review, review_task, counts["review"]),
        "soon": (
            dated.filter(due_by, due__gte=today, due__lte=soon).order_by(
                "due", "collaboration_id", "pk"
            ),
            dated_task(late=False),
            counts["soon"],
        ),
    }


def task_groups(
    membership: Membership, *, everyone: bool = False, paged: str = "", page: Any = None
) -> list[TaskGroup]:
    """What needs doing on the member's collaborations (or everyone's), grouped by kind in
    order of urgency; each group is one page of TASK_PAGE_SIZE (page `page` for the group
    `paged`, the first for the others), selected and counted by the database."""
    today = timezone.localdate()
    collaborations = _open_collaborations(membership, everyone)
    groups = _deliverable_groups(membership, collaborations, today)
    # When to ask whether a shipped product arrived: the campaign's follow-up days after.
    chase_on = AddDays("shipped_on", "collaboration__campaign__receipt_followup_days")
    receipts = (
        Shipment.objects.for_workspace(membership.workspace)
        .filter(
            collaboration__in=collaborations, shipped_on__isnull=False, received_on__isnull=True
        )
        .annotate(chase_on=chase_on)
        .filter(chase_on__lte=today)
        .select_related("collaboration__creator", "collaboration__campaign__brand")
        .only("shipped_on", *TASK_FIELDS)
        .order_by("chase_on", "collaboration_id", "pk")
    )
    groups["receipt"] = (
        receipts,
        lambda shipment: Task(
            3,
            shipment.chase_on,
            "receipt",
            _("Ask whether the product arrived"),
            shipment.collaboration,
        ),
        None,
    )
    rights = (
        collaborations.filter(
            rights_ends_on__gte=today, rights_ends_on__lte=today + timedelta(days=14)
        )
        .select_related("creator", "campaign__brand")
        .only("rights_ends_on", *RIGHTS_TASK_FIELDS)
        .order_by("rights_ends_on", "pk")
    )
    groups["rights"] = (
        rights,
        lambda collaboration: Task(
            4, collaboration.rights_ends_on, "rights", _("Usage rights expiring"), collaboration
        ),
        None,
    )
    result = []
    for key in TASK_GROUPS:
        rows, to_task, count = groups[key]
        paginator = Paginator(rows, TASK_PAGE_SIZE)
        if count is not None:
            paginator.count = count  # counted already, with the other groups
        found = paginator.get_page(page if key == paged else None)
        # Read even when the group is empty (Paginator would skip it): the page then takes
        # the same queries whichever groups have tasks.
        start = (found.number - 1) * TASK_PAGE_SIZE
        found.object_list = list(rows[start : start + TASK_PAGE_SIZE])
        result.append(TaskGroup(key, str(TASK_GROUPS[key]), found, [to_task(row) for row in found]))
    return result


# The groups in order of urgency, with their headings.
TASK_GROUPS = {
    "overdue": gettext_lazy("Overdue"),
    "review": gettext_lazy("Drafts to review"),
    "soon": gettext_lazy("Due in the next two days"),
    "receipt": gettext_lazy("Deliveries to chase"),
    "rights": gettext_lazy("Usage rights expiring"),
}
