"""Every read of campaigns that a page needs; access helpers answer 404 for what is not yours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import stages
from campaigns.events import describe_event
from campaigns.models import (
    OPEN_DELIVERABLE,
    Asset,
    BriefVersion,
    Campaign,
    CampaignStatus,
    Collaboration,
    CollaborationEvent,
    Decision,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftStatus,
    EventKind,
    PaymentStatus,
    ReviewComment,
    Shipment,
    Stage,
    TierBudget,
)
from creators.models import Tier
from kolhub.models import Membership, Workspace
from kolhub.tenancy import visible_brands


def visible_campaigns(membership: Membership) -> QuerySet[Campaign]:
    """Campaigns of the brands this member may see."""
    campaigns = Campaign.objects.for_workspace(membership.workspace)
    if membership.is_client:
        campaigns = campaigns.filter(brand__in=visible_brands(membership))
    return campaigns


def get_campaign(membership: Membership, pk: int) -> Campaign:
    """A campaign this member may see, or 404."""
    try:
        return visible_campaigns(membership).select_related("brand", "owner").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def get_collaboration(membership: Membership, pk: int) -> Collaboration:
    """A collaboration of a campaign this member may see, or 404."""
    try:
        return (
            Collaboration.objects.for_workspace(membership.workspace)
            .filter(campaign__in=visible_campaigns(membership))
            .select_related("campaign__brand", "creator", "owner", "brief_sent")
            .get(pk=pk)
        )
    except Collaboration.DoesNotExist:
        raise Http404 from None


def get_deliverable(membership: Membership, pk: int) -> Deliverable:
    """A deliverable this member may see, or 404."""
    try:
        return (
            Deliverable.objects.for_workspace(membership.workspace)
            .filter(collaboration__campaign__in=visible_campaigns(membership))
            .select_related("collaboration__campaign__brand", "collaboration__creator")
            .get(pk=pk)
        )
    except Deliverable.DoesNotExist:
        raise Http404 from None


def get_shipment(workspace: Workspace, pk: int) -> Shipment:
    """A shipment of this workspace, or 404 (staff only: it holds an address)."""
    try:
        return (
            Shipment.objects.for_workspace(workspace)
            .select_related("collaboration__campaign")
            .get(pk=pk)
        )
    except Shipment.DoesNotExist:
        raise Http404 from None


def get_draft(membership: Membership, pk: int) -> Draft:
    """A draft this member may see, or 404."""
    try:
        return (
            Draft.objects.for_workspace(membership.workspace)
            .filter(deliverable__collaboration__campaign__in=visible_campaigns(membership))
            .select_related(
                "deliverable__collaboration__campaign__brand",
                "deliverable__collaboration__creator",
                "brief_version",
                "submitted_by",
            )
            .get(pk=pk)
        )
    except Draft.DoesNotExist:
        raise Http404 from None


def campaign_list(membership: Membership, filters: dict[str, Any]) -> QuerySet[Campaign]:
    """Campaigns with their roster counts, filtered by brand and status."""
    campaigns = visible_campaigns(membership).select_related("brand", "owner")
    if filters.get("brand"):
        campaigns = campaigns.filter(brand_id=filters["brand"])
    if filters.get("status"):
        campaigns = campaigns.filter(status=filters["status"])
    return campaigns.annotate(
        roster=Count("collaborations", distinct=True),
        committed=Count(
            "collaborations",
            filter=Q(collaborations__stage__in=stages.COMMITTED),
            distinct=True,
        ),
    ).order_by("-starts_on", "name")


# --- Plan ------------------------------------------------------------------


@dataclass
class TierLine:
    tier: str
    label: str
    planned: Decimal
    committed: Decimal
    creators: int

    @property
    def over(self) -> bool:
        return self.planned > 0 and self.committed > self.planned

    @property
    def used_percent(self) -> int:
        if not self.planned:
            return 0
        return int(min(self.committed / self.planned * 100, Decimal(999)))


@dataclass
class TierPlan:
    lines: list[TierLine]
    total_budget: Decimal
    planned: Decimal = field(init=False)
    committed: Decimal = field(init=False)

    def __post_init__(self) -> None:
        self.planned = sum((line.planned for line in self.lines), Decimal(0))
        self.committed = sum((line.committed for line in self.lines), Decimal(0))

    @property
    def single_tier(self) -> str:
        """The one tier the whole plan goes to, when it does (a risky mix)."""
        planned = [line for line in self.lines if line.planned > 0]
        return planned[0].label if len(planned) == 1 else ""

    @property
    def over_budget(self) -> bool:
        return self.total_budget > 0 and self.planned > self.total_budget


def tier_plan(campaign: Campaign) -> TierPlan:
    """Planned vs committed (contracted fees and costs) per tier."""
    budgets = {b.tier: b for b in TierBudget.objects.filter(campaign=campaign)}
    committed: dict[str, dict[str, Any]] = {
        row["tier"]: dict(row)
        for row in Collaboration.objects.filter(campaign=campaign, stage__in=stages.COMMITTED)
        .values("tier")
        .annotate(
            fees=Sum("fee"),
            product=Sum("product_cost"),
            shipping=Sum("shipping_cost"),
            other=Sum("other_cost"),
            creators=Count("pk"),
        )
    }
    lines = []
    for tier in Tier:
        row: dict[str, Any] = committed.get(tier.value, {})
        spent = sum(
            (row.get(k) or Decimal(0) for k in ("fees", "product", "shipping", "other")),
            Decimal(0),
        )
        budget = budgets.get(tier.value)
        lines.append(
            TierLine(
                tier=tier.value,
                label=str(tier.label),
                planned=budget.planned_amount(campaign.total_budget) if budget else Decimal(0),
                committed=spent,
                creators=row.get("creators", 0),
            )
        )
    return TierPlan(lines=lines, total_budget=campaign.total_budget)


def brief_versions(campaign: Campaign) -> list[BriefVersion]:
    return list(campaign.brief_versions.select_related("created_by").prefetch_related("assets"))


# --- Roster ----------------------------------------------------------------


ROSTER_COLUMNS = [
    "pk",
    "stage",
    "stage_changed_at",
    "tier",
    "currency",
    "fee",
    "product_cost",
    "shipping_cost",
    "other_cost",
    "payment_status",
    "creator__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
]


def roster(campaign: Campaign, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The board's cards and the table's rows, as display-ready dicts, in one query.

    Plain dicts rather than model instances: a 300-row table resolves thousands of template
    variables, and a dict key is found at once where an attribute lookup first fails as a key.
    """
    filters = filters or {}
    collaborations = (
        Collaboration.objects.filter(campaign=campaign)
        .annotate(
            deliverable_count=Count(
                "deliverables",
                filter=~Q(deliverables__status=DeliverableStatus.CANCELLED),
                distinct=True,
            ),
            published_count=Count(
                "deliverables",
                filter=Q(deliverables__status=DeliverableStatus.PUBLISHED),
                distinct=True,
            ),
            next_due=Min(
                "deliverables__publish_due",
                filter=Q(deliverables__status__in=OPEN_DELIVERABLE),
            ),
            next_draft_due=Min(
                "deliverables__draft_due",
                filter=Q(
                    deliverables__status__in=[
                        DeliverableStatus.PLANNED,
                        DeliverableStatus.DRAFTING,
                        DeliverableStatus.CHANGES,
                    ]
                ),
            ),
        )
        .order_by("creator__display_name", "pk")
    )
    if filters.get("stage"):
        collaborations = collaborations.filter(stage=filters["stage"])
    if filters.get("owner"):
        collaborations = collaborations.filter(owner_id=filters["owner"])
    if filters.get("q"):
        collaborations = collaborations.filter(creator__search_text__contains=filters["q"].lower())
    values = collaborations.values(
        *ROSTER_COLUMNS, "deliverable_count", "published_count", "next_due", "next_draft_due"
    )
    return _display_rows([dict(row) for row in values])


def _display_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Labels, amounts and dates as the page shows them, computed once per page."""
    # get_FOO_display() would translate every choice on each call: thousands of lookups.
    stage_labels = {value: str(label) for value, label in Stage.choices}
    tier_labels = {value: str(label) for value, label in Tier.choices}
    payment_labels = {value: str(label) for value, label in PaymentStatus.choices}
    zone = timezone.get_current_timezone()
    for row in rows:
        costs = [row["product_cost"], row["shipping_cost"], row["other_cost"]]
        owner = " ".join(filter(None, [row["owner__first_name"], row["owner__last_name"]]))
        row.update(
            name=row["creator__display_name"],
            owner=owner or row["owner__email"] or "",
            stage_label=stage_labels[row["stage"]],
            changed=row["stage_changed_at"].astimezone(zone).date().isoformat(),
            tier_label=tier_labels.get(row["tier"], ""),
            payment_label=payment_labels[row["payment_status"]],
            fee_text=money_text(row["fee"]),
            cost_text=money_text(sum(costs, row["fee"] or Decimal(0))),
            draft_due=_day(row["next_draft_due"]),
            post_due=_day(row["next_due"]),
            draft_short=_day(row["next_draft_due"], "%m-%d"),
            post_short=_day(row["next_due"], "%m-%d"),
        )
    return rows


def _day(day: date | None, pattern: str = "%Y-%m-%d") -> str:
    return day.strftime(pattern) if day else ""


def money_text(amount: Decimal | None) -> str:
    """An amount in whole units with thousands separators ("" when there is none)."""
    return "" if amount is None else f"{amount:,.0f}"


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list[dict[str, Any]]
    is_outcome: bool


def board(rows: list[dict[str, Any]]) -> list[BoardColumn]:
    """Kanban columns in pipeline order, then the outcomes."""
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_stage.setdefault(row["stage"], []).append(row)
    return [
        BoardColumn(
            stage=stage.value,
            label=str(stage.label),
            cards=by_stage.get(stage.value, []),
            is_outcome=stage in stages.OUTCOMES,
        )
        for stage in [*stages.PIPELINE, *stages.OUTCOMES]
    ]


def collaboration_page(collaboration: Collaboration) -> dict[str, Any]:
    """Everything the collaboration page shows, beside the collaboration itself."""
    drafts = Prefetch(
        "drafts",
        queryset=Draft.objects.order_by("-version").prefetch_related("media"),
    )
    deliverables = list(
        collaboration.deliverables.prefetch_related(drafts, "insights").annotate(
            rounds=Count(
                "drafts__comments",
                filter=Q(drafts__comments__decision__in=[Decision.CHANGES, Decision.BRAND_CHANGES]),
            )
        )
    )
    events = [
        (event, describe_event(event))
        for event in collaboration.events.select_related("actor").order_by("-created_at", "-pk")[
            :100
        ]
    ]
    return {
        "deliverables": deliverables,
        "shipments": list(collaboration.shipments.all()),
        "events": events,
        # Posts that went offline before the contract allowed: shown as alerts at the top.
        "taken_down": [(e, text) for e, text in events if e.kind == EventKind.TAKEN_DOWN],
        "portal_link": collaboration.portal_links.filter(revoked_at__isnull=True)
        .order_by("-created_at")
        .first(),
    }


def draft_page(draft: Draft) -> dict[str, Any]:
    """The draft under review, the version before it (for the diff) and the conversation."""
    versions = list(
        Draft.objects.filter(deliverable_id=draft.deliverable_id)
        .order_by("-version")
        .prefetch_related("media")
    )
    previous = next((d for d in versions if d.version < draft.version), None)
    comments = list(
        ReviewComment.objects.filter(draft__deliverable_id=draft.deliverable_id)
        .select_related("author", "draft")
        .order_by("created_at", "pk")
    )
    current = next(d for d in versions if d.pk == draft.pk)
    return {"versions": versions, "previous": previous, "comments": comments, "current": current}


def campaign_assets(campaign: Campaign) -> list[Asset]:
    return list(
        Asset.objects.filter(campaign=campaign)
        .select_related("media__draft__deliverable", "collaboration__creator")
        .order_by("-approved_at", "-pk")
    )


# --- Timeline and tasks ----------------------------------------------------


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


def timeline(campaign: Campaign) -> dict[str, Any]:
    """Deliverables on a calendar from the campaign's start to the last due date (Gantt-like)."""
    deliverables = list(
        Deliverable.objects.filter(collaboration__campaign=campaign)
        .exclude(status=DeliverableStatus.CANCELLED)
        .select_related("collaboration__creator")
        .order_by("collaboration__creator__display_name", "publish_due", "pk")
    )
    today = timezone.localdate()
    dates = [campaign.starts_on, campaign.ends_on] + [
        d for item in deliverables for d in (item.draft_due, item.publish_due) if d
    ]
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
        for item in deliverables
    ]
    months = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            months.append((month, x(month)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return {
        "rows": rows,
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


# --- History (the creator profile's view of past work) ---------------------


@dataclass
class Scorecard:
    collaborations: int
    completed: int
    ghosted: int
    cancelled: int
    declined: int
    deliverables: int
    drafts_on_time: int
    drafts_judged: int
    posts_on_time: int
    posts_judged: int
    revision_rounds: int
    taken_down_early: int = 0

    @staticmethod
    def rate(part: int, whole: int) -> int | None:
        return round(part / whole * 100) if whole else None

    @property
    def drafts_on_time_rate(self) -> int | None:
        return self.rate(self.drafts_on_time, self.drafts_judged)

    @property
    def posts_on_time_rate(self) -> int | None:
        return self.rate(self.posts_on_time, self.posts_judged)

    @property
    def rounds_per_deliverable(self) -> float | None:
        return round(self.revision_rounds / self.deliverables, 1) if self.deliverables else None


def creator_history(workspace: Workspace, creator_id: int) -> dict[str, Any]:
    """The creator's collaborations across campaigns and the reliability scorecard."""
    collaborations = list(
        Collaboration.objects.for_workspace(workspace)
        .filter(creator_id=creator_id)
        .select_related("campaign__brand")
        .annotate(
            deliverable_count=Count(
                "deliverables",
                filter=~Q(deliverables__status=DeliverableStatus.CANCELLED),
                distinct=True,
            )
        )
        .order_by("-campaign__starts_on")
    )
    deliverables = (
        Deliverable.objects.for_workspace(workspace)
        .filter(collaboration__creator_id=creator_id)
        .exclude(status=DeliverableStatus.CANCELLED)
    )
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in deliverables.values(
            "draft_due", "draft_submitted_at", "publish_due", "published_at"
        )
    ]
    zone = timezone.get_current_timezone()
    drafts_judged = [r for r in rows if r["draft_due"] and r["draft_submitted_at"]]
    posts_judged = [r for r in rows if r["publish_due"] and r["published_at"]]
    rounds = (
        ReviewComment.objects.for_workspace(workspace)
        .filter(
            draft__deliverable__in=deliverables,
            decision__in=[Decision.CHANGES, Decision.BRAND_CHANGES],
        )
        .count()
    )
    stages_seen = [c.stage for c in collaborations]
    card = Scorecard(
        collaborations=len(collaborations),
        completed=sum(s in (Stage.PUBLISHED, Stage.REPORTED) for s in stages_seen),
        ghosted=stages_seen.count(Stage.GHOSTED),
        cancelled=stages_seen.count(Stage.CANCELLED),
        declined=stages_seen.count(Stage.DECLINED),
        deliverables=len(rows),
        drafts_on_time=sum(
            r["draft_submitted_at"].astimezone(zone).date() <= r["draft_due"] for r in drafts_judged
        ),
        drafts_judged=len(drafts_judged),
        posts_on_time=sum(
            r["published_at"].astimezone(zone).date() <= r["publish_due"] for r in posts_judged
        ),
        posts_judged=len(posts_judged),
        revision_rounds=rounds,
        taken_down_early=CollaborationEvent.objects.for_workspace(workspace)
        .filter(collaboration__creator_id=creator_id, kind=EventKind.TAKEN_DOWN)
        .count(),
    )
    return {"collaborations": collaborations, "scorecard": card}


def stage_counts(campaign: Campaign) -> list[tuple[str, str, int]]:
    """(stage, label, count) for the stages the roster has, in pipeline order."""
    counts = dict(
        Collaboration.objects.filter(campaign=campaign)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [
        (stage.value, str(stage.label), counts[stage.value])
        for stage in [*stages.PIPELINE, *stages.OUTCOMES]
        if stage.value in counts
    ]
