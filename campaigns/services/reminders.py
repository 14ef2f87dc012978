"""The daily reminders: what is due, overdue or expiring, sent once each to the right people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns import stages
from campaigns.models import (
    OPEN_INSTALLMENT,
    CampaignStatus,
    Collaboration,
    CollaborationEvent,
    Deliverable,
    DeliverableStatus,
    EventKind,
    Installment,
    Reminder,
    ReminderKind,
    Shipment,
    Stage,
)
from kolhub.celery import send_task_after_commit
from kolhub.models import Workspace
from kolhub.selectors import team_users
from kolhub.services import notifications_create

SOON_DAYS = 2
# Payments are announced earlier than drafts: a bank transfer takes a working day or two.
PAYOUT_SOON_DAYS = 3
RIGHTS_WARNING_DAYS = 14
# A live period that ended longer ago than this is history, not news (first run on old data).
LIVE_END_LOOKBACK_DAYS = 7
WAITING_FOR_DRAFT = [
    DeliverableStatus.PLANNED,
    DeliverableStatus.DRAFTING,
    DeliverableStatus.CHANGES,
]
NOT_YET_POSTED = [*WAITING_FOR_DRAFT, DeliverableStatus.IN_REVIEW, DeliverableStatus.APPROVED]
# Deadlines concern the creator too: they get an email with their portal link.
CREATOR_KINDS = {
    ReminderKind.DRAFT_DUE_SOON,
    ReminderKind.DRAFT_OVERDUE,
    ReminderKind.POST_DUE_SOON,
    ReminderKind.POST_OVERDUE,
}


@dataclass(frozen=True)
class Due:
    kind: str
    key: str
    collaboration_id: int
    due_on: date
    deliverable_id: int | None = None


def rows(queryset: QuerySet) -> list[tuple[Any, ...]]:
    """The rows of a values_list query whose filters already exclude the empty values."""
    # The type stubs see nullable columns; the filters above each query rule the nulls out.
    return list(queryset)


def active_collaborations(workspace: Workspace):
    """Collaborations someone still owes work on, in campaigns that are not closed."""
    return (
        Collaboration.objects.for_workspace(workspace)
        .filter(stage__in=stages.COMMITTED - stages.FINISHED)
        .exclude(campaign__status__in=[CampaignStatus.CLOSED, CampaignStatus.DRAFT])
    )


def reminders_due(workspace: Workspace, today: date) -> list[Due]:
    """Every reminder that applies today, whether or not it was sent already."""
    collaborations = active_collaborations(workspace)
    deliverables = Deliverable.objects.for_workspace(workspace).filter(
        collaboration__in=collaborations
    )
    soon = today + timedelta(days=SOON_DAYS)
    found: list[Due] = []
    for pk, collaboration_id, due in rows(
        deliverables.filter(status__in=WAITING_FOR_DRAFT, draft_due__lte=soon).values_list(
            "pk", "collaboration_id", "draft_due"
        )
    ):
        kind = ReminderKind.DRAFT_OVERDUE if due < today else ReminderKind.DRAFT_DUE_SOON
        found.append(Due(kind, f"{kind}:{pk}:{due}", collaboration_id, due, pk))
    for pk, collaboration_id, due in rows(
        deliverables.filter(status__in=NOT_YET_POSTED, publish_due__lte=soon).values_list(
            "pk", "collaboration_id", "publish_due"
        )
    ):
        kind = ReminderKind.POST_OVERDUE if due < today else ReminderKind.POST_DUE_SOON
        found.append(Due(kind, f"{kind}:{pk}:{due}", collaboration_id, due, pk))
    found += _shipping_reminders(workspace, today)
    for pk, ends in rows(
        Collaboration.objects.for_workspace(workspace)
        .filter(
            rights_ends_on__gte=today, rights_ends_on__lte=today + timedelta(RIGHTS_WARNING_DAYS)
        )
        .exclude(stage__in=[Stage.DECLINED, Stage.CANCELLED])
        .values_list("pk", "rights_ends_on")
    ):
        kind = ReminderKind.RIGHTS_EXPIRING
        found.append(Due(kind, f"{kind}:{pk}:{ends}", pk, ends))
    found += _live_period_reminders(workspace, today)
    found += _payout_reminders(workspace, today)
    return found


def _payout_reminders(workspace: Workspace, today: date) -> list[Due]:
    """Installments not yet paid (nor cancelled) due within a few days, or past due: once
    each, and again only if the due date is moved."""
    found: list[Due] = []
    for pk, collaboration_id, due in rows(
        Installment.objects.for_workspace(workspace)
        .filter(status__in=OPEN_INSTALLMENT, due_on__lte=today + timedelta(days=PAYOUT_SOON_DAYS))
        .values_list("pk", "collaboration_id", "due_on")
    ):
        kind = ReminderKind.PAYOUT_OVERDUE if due < today else ReminderKind.PAYOUT_DUE
        found.append(Due(kind, f"{kind}:{pk}:{due}", collaboration_id, due))
    return found


def _shipping_reminders(workspace: Workspace, today: date) -> list[Due]:
    """Deliveries nobody confirmed, and creators silent since their product was shipped."""
    found = []
    waiting = (
        Shipment.objects.for_workspace(workspace)
        .filter(
            # Like the deadlines: nothing for closed campaigns, nor for drafts of one.
            collaboration__in=active_collaborations(workspace),
            collaboration__stage__in=[Stage.PRODUCT_SHIPPED, Stage.PRODUCT_RECEIVED],
            shipped_on__isnull=False,
        )
        .values_list(
            "pk",
            "collaboration_id",
            "shipped_on",
            "received_on",
            "collaboration__campaign__receipt_followup_days",
            "collaboration__last_creator_activity_at",
        )
    )
    zone = timezone.get_current_timezone()
    for pk, collaboration_id, shipped, received, days, heard_at in rows(waiting):
        chase_on = shipped + timedelta(days=days)
        if received is None and chase_on <= today:
            kind = ReminderKind.RECEIPT_UNCONFIRMED
            found.append(Due(kind, f"{kind}:{pk}", collaboration_id, chase_on))
        # Silent for twice the follow-up delay: time to consider the creator gone.
        silent_since = shipped + timedelta(days=2 * days)
        heard_after_shipping = heard_at is not None and heard_at.astimezone(zone).date() >= shipped
        if silent_since <= today and not heard_after_shipping:
            kind = ReminderKind.SILENT
            found.append(
                Due(kind, f"{kind}:{collaboration_id}:{shipped}", collaboration_id, silent_since)
            )
    return found


def _live_period_reminders(workspace: Workspace, today: date) -> list[Due]:
    """Posts whose contracted minimum time online has just ended (the creator may remove them)."""
    found: list[Due] = []
    collaborations = Collaboration.objects.for_workspace(workspace)
    longest = collaborations.aggregate(days=Max("min_live_days"))["days"]
    if longest is None:
        return found
    # Only posts whose live period can end within the lookback window: a contract may ask for
    # years online, so the window follows the longest period asked for, not a fixed year.
    published = (
        Deliverable.objects.for_workspace(workspace)
        .filter(
            status=DeliverableStatus.PUBLISHED,
            published_at__isnull=False,
            collaboration__min_live_days__isnull=False,
            published_at__gte=datetime.combine(
                today - timedelta(days=longest + LIVE_END_LOOKBACK_DAYS + 1),
                time.min,
                tzinfo=timezone.get_current_timezone(),
            ),
        )
        .values_list("pk", "collaboration_id", "published_at", "collaboration__min_live_days")
    )
    zone = timezone.get_current_timezone()
    for pk, collaboration_id, published_at, days in rows(published):
        ends = published_at.astimezone(zone).date() + timedelta(days=days)
        if today - timedelta(days=LIVE_END_LOOKBACK_DAYS) <= ends <= today:
            kind = ReminderKind.LIVE_PERIOD_ENDS
            found.append(Due(kind, f"{kind}:{pk}", collaboration_id, ends, pk))
    return found


@transaction.atomic
def workspace_reminders_send(*, workspace: Workspace, today: date) -> tuple[int, int]:
    """Record, notify and email the reminders not sent before; returns (sent, already sent)."""
    due = reminders_due(workspace, today)
    keys = [d.key for d in due]
    sent_before: set[str] = set()
    for start in range(0, len(keys), 5000):
        sent_before.update(
            Reminder.objects.for_workspace(workspace)
            .filter(key__in=keys[start : start + 5000])
            .values_list("key", flat=True)
        )
    # One key once: two parcels shipped the same day make one "silent" reminder, not a
    # duplicate key that would fail the whole workspace's run every day.
    new = list({d.key: d for d in due if d.key not in sent_before}.values())
    if not new:
        return 0, len(sent_before)
    # The unique key makes a concurrent second run fail here instead of sending twice.
    reminders = Reminder.objects.bulk_create(
        Reminder(
            workspace=workspace,
            collaboration_id=d.collaboration_id,
            kind=d.kind,
            key=d.key,
            due_on=d.due_on,
        )
        for d in new
    )
    collaborations = {
        c.pk: c
        for c in Collaboration.objects.for_workspace(workspace)
        .filter(pk__in={d.collaboration_id for d in new})
        .select_related("creator", "campaign")
    }
    # Who may hear about the work: the team, not client viewers nor former members.
    team = set(team_users(workspace).values_list("pk", flat=True))
    with translation.override(workspace.language):
        _notify(workspace, new, collaborations, team)
    _enqueue_emails(workspace, new, reminders, collaborations, team)
    return len(new), len(sent_before)


def reminder_message(due: Due, collaboration: Collaboration) -> str:
    """One line for the notification and the staff email, in the active language."""
    params = {
        "creator": collaboration.creator.display_name,
        "campaign": collaboration.campaign.name,
        "date": due.due_on.isoformat(),
    }
    messages = {
        ReminderKind.DRAFT_DUE_SOON: _("%(creator)s: draft due on %(date)s (%(campaign)s)"),
        ReminderKind.DRAFT_OVERDUE: _("%(creator)s: draft overdue since %(date)s (%(campaign)s)"),
        ReminderKind.POST_DUE_SOON: _("%(creator)s: post due on %(date)s (%(campaign)s)"),
        ReminderKind.POST_OVERDUE: _("%(creator)s: post overdue since %(date)s (%(campaign)s)"),
        ReminderKind.RECEIPT_UNCONFIRMED: _(
            "%(creator)s has not confirmed the product arrived (%(campaign)s)"
        ),
        ReminderKind.SILENT: _(
            "%(creator)s has been silent since the product was shipped: follow up, or mark the "
            "collaboration “Ghosted” (%(campaign)s)"
        ),
        ReminderKind.RIGHTS_EXPIRING: _(
            "Usage rights for %(creator)s's content end on %(date)s (%(campaign)s)"
        ),
        ReminderKind.LIVE_PERIOD_ENDS: _(
            "%(creator)s's post has completed its minimum time online on %(date)s (%(campaign)s)"
        ),
        ReminderKind.PAYOUT_DUE: _("%(creator)s: a payment is due on %(date)s (%(campaign)s)"),
        ReminderKind.PAYOUT_OVERDUE: _(
            "%(creator)s: a payment is overdue since %(date)s (%(campaign)s)"
        ),
    }
    return messages[ReminderKind(due.kind)] % params


def notice_recipient(collaboration: Collaboration, team: set[int]) -> int | None:
    # An owner who left the workspace keeps the foreign key (SET_NULL only on account
    # deletion): their reminders go to the campaign owner instead of outside the team.
    for user_id in (collaboration.owner_id, collaboration.campaign.owner_id):
        if user_id in team:
            return user_id
    return None


def _notify(
    workspace: Workspace,
    new: list[Due],
    collaborations: dict[int, Collaboration],
    team: set[int],
) -> None:
    items = []
    events = []
    for due in new:
        collaboration = collaborations[due.collaboration_id]
        message = reminder_message(due, collaboration)
        url = reverse("collaboration_detail", args=[workspace.slug, collaboration.pk])
        if (user_id := notice_recipient(collaboration, team)) is not None:
            items.append((user_id, message, url))
        events.append(
            CollaborationEvent(
                workspace=workspace,
                collaboration=collaboration,
                kind=EventKind.REMINDER,
                data={"reminder": due.kind, "due": due.due_on.isoformat()},
            )
        )
    notifications_create(workspace_id=workspace.pk, items=items)
    CollaborationEvent.objects.bulk_create(events)


def _enqueue_emails(workspace, new: list[Due], reminders, collaborations, team) -> None:
    by_user: dict[int, list[int]] = {}
    creator_reminders = []
    for due, reminder in zip(new, reminders, strict=True):
        collaboration = collaborations[due.collaboration_id]
        if (user_id := notice_recipient(collaboration, team)) is not None:
            by_user.setdefault(user_id, []).append(reminder.pk)
        if due.kind in CREATOR_KINDS and collaboration.creator.email:
            creator_reminders.append(reminder.pk)

    for user_id, reminder_ids in by_user.items():
        send_task_after_commit(
            "campaigns.tasks.send_staff_reminders", workspace.pk, user_id, reminder_ids
        )
    for reminder_id in creator_reminders:
        send_task_after_commit("campaigns.tasks.send_creator_reminder", reminder_id)
