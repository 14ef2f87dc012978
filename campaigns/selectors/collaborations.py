"""A campaign's roster (the board's cards and the table's rows) and the collaboration page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from campaigns import stages
from campaigns.events import describe_event
from campaigns.models import (
    OPEN_DELIVERABLE,
    Campaign,
    Collaboration,
    Decision,
    DeliverableStatus,
    Draft,
    EventKind,
    PaymentStatus,
    Stage,
)
from creators.models import Tier
from kolhub.folding import fold_for_search
from kolhub.formatting import grouped

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


def _roster_rows(campaign: Campaign, filters: dict[str, Any]) -> QuerySet[Collaboration]:
    """The campaign's collaborations matching the roster's filters, in the roster's order."""
    collaborations = Collaboration.objects.filter(campaign=campaign).order_by(
        "creator__display_name", "pk"
    )
    if filters.get("stage"):
        collaborations = collaborations.filter(stage=filters["stage"])
    if filters.get("owner"):
        collaborations = collaborations.filter(owner_id=filters["owner"])
    if filters.get("q"):
        collaborations = collaborations.filter(
            creator__search_text__contains=fold_for_search(filters["q"])
        )
    return collaborations


def _with_figures(collaborations: QuerySet[Collaboration]) -> list[dict[str, Any]]:
    """The cards or rows of these collaborations, as display-ready dicts, in one query.

    Plain dicts rather than model instances: a 300-row table resolves thousands of template
    variables, and a dict key is found at once where an attribute lookup first fails as a key.
    """
    return _display_rows([dict(row) for row in _figures(collaborations)])


def _figures(collaborations: QuerySet[Collaboration]) -> QuerySet:
    """The collaborations as dicts of the roster's columns and their deliverables' counts."""
    return collaborations.annotate(
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
    ).values(*ROSTER_COLUMNS, "deliverable_count", "published_count", "next_due", "next_draft_due")


# The roster's table shows this many rows a page.
ROSTER_TABLE_PAGE_SIZE = 100


def roster_table(
    campaign: Campaign, filters: dict[str, Any], page: Any = None
) -> tuple[Page, list[dict[str, Any]]]:
    """A page of the table's rows (the collaborations matching the filters), counted and read
    in two queries."""
    found = Paginator(_figures(_roster_rows(campaign, filters)), ROSTER_TABLE_PAGE_SIZE)
    rows = found.get_page(page)
    return rows, _display_rows([dict(row) for row in rows])


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
    return "" if amount is None else grouped(amount)


# A board column shows this many cards at first, and this many more at each "Load more".
BOARD_PAGE_SIZE = 10


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list[dict[str, Any]]
    is_outcome: bool
    count: int = 0  # every card of the column, shown or not
    next_page: int | None = None  # the page "Load more" asks for; None when all are shown
    shown: int = 0  # the cards shown so far, these included


def board(
    campaign: Campaign, filters: dict[str, Any], *, open_column: str = "", page: Any = None
) -> list[BoardColumn]:
    """Kanban columns in pipeline order, then the outcomes, each with its true count and its
    first BOARD_PAGE_SIZE cards (`open_column` its first `page` pages: the board without
    JavaScript), in three queries whatever the roster's size."""
    collaborations = _roster_rows(campaign, filters)
    counts = dict(
        collaborations.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    shown = dict.fromkeys(counts, BOARD_PAGE_SIZE)
    if open_column in counts:
        found = Paginator(range(counts[open_column]), BOARD_PAGE_SIZE).get_page(page)
        shown[open_column] = found.end_index()
    # The first cards of every column at once: numbered within their stage by the database.
    ranked = collaborations.annotate(
        place=Window(
            RowNumber(),
            partition_by=F("stage"),
            order_by=[F("creator__display_name").asc(), F("pk").asc()],
        )
    ).filter(place__lte=max(shown.values(), default=0))
    wanted = [
        pk
        for pk, stage, place in ranked.values_list("pk", "stage", "place")
        if place <= shown[stage]
    ]
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for row in _with_figures(collaborations.filter(pk__in=wanted)) if wanted else []:
        by_stage.setdefault(row["stage"], []).append(row)
    columns = []
    for stage in [*stages.PIPELINE, *stages.OUTCOMES]:
        count, cards = counts.get(stage.value, 0), by_stage.get(stage.value, [])
        columns.append(
            BoardColumn(
                stage=stage.value,
                label=str(stage.label),
                cards=cards,
                is_outcome=stage in stages.OUTCOMES,
                count=count,
                next_page=len(cards) // BOARD_PAGE_SIZE + 1 if len(cards) < count else None,
                shown=len(cards),
            )
        )
    return columns


def board_column(campaign: Campaign, filters: dict[str, Any], stage: str, page: Any) -> BoardColumn:
    """One page of a board column's cards (what "Load more" appends), counted and read in
    two queries."""
    rows = _figures(_roster_rows(campaign, filters).filter(stage=stage))
    found = Paginator(rows, BOARD_PAGE_SIZE)
    cards = found.get_page(page)
    return BoardColumn(
        stage=stage,
        label=str(Stage(stage).label),
        cards=_display_rows([dict(row) for row in cards]),
        is_outcome=stage in stages.OUTCOMES,
        count=found.count,
        next_page=cards.next_page_number() if cards.has_next() else None,
        shown=cards.end_index(),
    )


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
