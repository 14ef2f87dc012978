"""Writes to a campaign's roster: collaborations, their stage, terms, deliverables, shipments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import stages, webhooks
from campaigns.models import (
    Campaign,
    Collaboration,
    CollaborationEvent,
    Deliverable,
    DeliverableStatus,
    Draft,
    DraftStatus,
    EventKind,
    InsightReport,
    Shipment,
    Stage,
)
from campaigns.services.plan import latest_brief
from campaigns.signing.selectors import contract_signed
from creators.models import Creator
from kolhub.models import User


class StageRefused(Exception):
    """A stage move the rules do not allow; the message says why."""


def event_log(
    *,
    collaboration: Collaboration,
    kind: str,
    message: str = "",
    data: dict | None = None,
    actor: User | None = None,
    by_creator: bool = False,
    from_stage: str = "",
    to_stage: str = "",
) -> CollaborationEvent:
    """Append to the collaboration's log (and remember when the creator last did something)."""
    if by_creator:
        collaboration.last_creator_activity_at = timezone.now()
        Collaboration.objects.filter(pk=collaboration.pk).update(
            last_creator_activity_at=collaboration.last_creator_activity_at
        )
    return CollaborationEvent.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        kind=kind,
        message=message[:500],
        data=data or {},
        actor=actor,
        by_creator=by_creator,
        from_stage=from_stage,
        to_stage=to_stage,
    )


@transaction.atomic
def collaborations_add(
    *, campaign: Campaign, creators: Iterable[Creator], user: User | None
) -> tuple[int, int]:
    """Add creators to the roster as shortlisted; returns (added, already there)."""
    creators = list(creators)
    present = set(
        Collaboration.objects.filter(campaign=campaign, creator__in=creators).values_list(
            "creator_id", flat=True
        )
    )
    new = [
        Collaboration(
            workspace_id=campaign.workspace_id,
            campaign=campaign,
            creator=creator,
            tier=creator.top_tier,
            currency=campaign.currency,
            owner_id=campaign.owner_id or (user.pk if user else None),
        )
        for creator in creators
        if creator.pk not in present
    ]
    Collaboration.objects.bulk_create(new)
    # bulk_create sets pks on Postgres and SQLite, so the log can point at the new rows.
    CollaborationEvent.objects.bulk_create(
        CollaborationEvent(
            workspace_id=campaign.workspace_id,
            collaboration=collaboration,
            kind=EventKind.ADDED,
            actor=user,
            to_stage=Stage.SHORTLISTED,
        )
        for collaboration in new
    )
    return len(new), len(present)


def stage_facts(collaboration: Collaboration) -> stages.StageFacts:
    """Gather what the stage rules need in one query."""
    active = ~Q(deliverables__status=DeliverableStatus.CANCELLED)
    has_insights = Exists(InsightReport.objects.filter(deliverable=OuterRef("pk")))
    counts = Collaboration.objects.filter(pk=collaboration.pk).aggregate(
        active_count=Count("deliverables", filter=active, distinct=True),
        approved_count=Count(
            "deliverables",
            filter=Q(
                deliverables__status__in=[DeliverableStatus.APPROVED, DeliverableStatus.PUBLISHED]
            ),
            distinct=True,
        ),
        live_count=Count(
            "deliverables", filter=active & ~Q(deliverables__live_url=""), distinct=True
        ),
        shipped_count=Count(
            "shipments", filter=Q(shipments__shipped_on__isnull=False), distinct=True
        ),
        # The workspace setting, in the same query: 1 when it asks for a signed contract.
        contract_required=Count(
            "workspace", filter=Q(workspace__require_signed_contract=True), distinct=True
        ),
    )
    deliverables = Deliverable.objects.filter(collaboration=collaboration).exclude(
        status=DeliverableStatus.CANCELLED
    )
    reported = deliverables.exclude(live_url="").filter(has_insights).count()
    waiting = Draft.objects.filter(
        deliverable__collaboration=collaboration,
        status__in=[DraftStatus.SUBMITTED, DraftStatus.AWAITING_BRAND],
    ).count()
    required = bool(counts["contract_required"])
    return stages.StageFacts(
        contract_required=required,
        # Read only when it matters: most workspaces do not ask for it.
        contract_signed=required and contract_signed(collaboration),
        fee_set=collaboration.fee is not None,
        deliverables=counts["active_count"],
        shipped=counts["shipped_count"],
        drafts_waiting=waiting,
        deliverables_approved=counts["approved_count"],
        deliverables_live=counts["live_count"],
        deliverables_reported=reported,
    )


@transaction.atomic
def collaboration_move(
    *,
    collaboration: Collaboration,
    target: str,
    user: User | None = None,
    by_creator: bool = False,
    note: str = "",
    only_from: set[str] | None = None,
) -> Collaboration:
    """Move to another stage if the rules allow it, with its side effects; else StageRefused."""
    locked = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    if only_from is not None and locked.stage not in only_from:
        raise StageRefused(_("The collaboration is not in a stage this action moves on from."))
    reason = stages.refusal(locked.stage, target, stage_facts(locked))
    if reason:
        raise StageRefused(reason)
    previous = locked.stage
    locked.stage = target
    locked.stage_changed_at = timezone.now()
    update = ["stage", "stage_changed_at"]
    if target == Stage.CONTRACTED and locked.brief_sent_id is None:
        # The creator is held to the brief as it stood when the deal was signed.
        brief = latest_brief(locked.campaign)
        if brief:
            locked.brief_sent = brief
            update.append("brief_sent")
    locked.save(update_fields=update)
    if target == Stage.PRODUCT_RECEIVED:
        _confirm_shipments(locked, timezone.localdate())
    if target in (Stage.CANCELLED, Stage.DECLINED):
        Deliverable.objects.filter(
            collaboration=locked, status__in=[DeliverableStatus.PLANNED, DeliverableStatus.DRAFTING]
        ).update(status=DeliverableStatus.CANCELLED)
    event_log(
        collaboration=locked,
        kind=EventKind.STAGE,
        actor=user,
        by_creator=by_creator,
        from_stage=previous,
        to_stage=target,
        message=note,
    )
    collaboration.stage, collaboration.stage_changed_at = locked.stage, locked.stage_changed_at
    collaboration.brief_sent_id = locked.brief_sent_id
    webhooks.stage_changed(locked, previous=previous, by_creator=by_creator)
    return collaboration


def collaboration_advance(
    *,
    collaboration: Collaboration,
    target: str,
    only_from: Iterable[str],
    user: User | None = None,
    by_creator: bool = False,
) -> bool:
    """Move on someone's action when the collaboration is in one of `only_from`; never raise.

    Used by the review flow, shipments and the portal: a draft arriving moves "drafting" to
    "in review", but a collaboration that is elsewhere (or where the rules refuse) stays put.
    The stage is judged as stored, under the row lock, not as an in-memory copy remembers it.
    """
    try:
        collaboration_move(
            collaboration=collaboration,
            target=target,
            user=user,
            by_creator=by_creator,
            only_from=set(only_from),
        )
    except StageRefused:
        return False
    return True


def collaborations_move(
    *, collaborations: Iterable[Collaboration], target: str, user: User | None
) -> tuple[list[Collaboration], list[tuple[Collaboration, str]]]:
    """Bulk move: each collaboration is judged on its own; returns (moved, refused with reason)."""
    moved: list[Collaboration] = []
    refused: list[tuple[Collaboration, str]] = []
    for collaboration in collaborations:
        try:
            moved.append(collaboration_move(collaboration=collaboration, target=target, user=user))
        except StageRefused as refusal:
            refused.append((collaboration, str(refusal)))
    return moved, refused


def collaborations_assign(*, collaborations: Iterable[Collaboration], owner: User | None) -> int:
    """Make `owner` responsible for the collaborations."""
    return Collaboration.objects.filter(pk__in=[c.pk for c in collaborations]).update(owner=owner)


# Only a collaboration nobody has worked on can be removed; the rest keep their history.
REMOVABLE = {Stage.SHORTLISTED, Stage.CONTACTED, Stage.DECLINED}


@transaction.atomic
def collaborations_remove(*, collaborations: Iterable[Collaboration]) -> tuple[int, int]:
    """Remove collaborations that never got going; returns (removed, kept)."""
    ids = [c.pk for c in collaborations]
    removable = Collaboration.objects.filter(pk__in=ids, stage__in=REMOVABLE).exclude(
        Exists(Deliverable.objects.filter(collaboration=OuterRef("pk")))
    )
    _total, per_model = removable.delete()
    removed_collaborations = per_model.get("campaigns.Collaboration", 0)
    return removed_collaborations, len(ids) - removed_collaborations


def collaboration_update(
    *, collaboration: Collaboration, user: User | None, changed: Iterable[str]
) -> Collaboration:
    """Save edited terms and costs, and log which fields changed."""
    changed = list(changed)
    collaboration.save()
    if changed:
        event_log(
            collaboration=collaboration,
            kind=EventKind.EDITED,
            actor=user,
            data={"fields": changed},
        )
    return collaboration


def deliverable_save(*, deliverable: Deliverable, user: User | None) -> Deliverable:
    adding = deliverable._state.adding
    deliverable.save()
    if adding:
        event_log(
            collaboration=deliverable.collaboration,
            kind=EventKind.EDITED,
            actor=user,
            data={"deliverable_added": deliverable.format},
        )
    return deliverable


def shipment_save(*, shipment: Shipment, user: User | None) -> Shipment:
    """Save a shipment; the first shipping date moves a contracted collaboration along."""
    shipment.save()
    collaboration = shipment.collaboration
    event_log(
        collaboration=collaboration,
        kind=EventKind.SHIPMENT,
        actor=user,
        message=" · ".join(
            filter(None, [shipment.items, shipment.carrier, shipment.tracking_number])
        ),
    )
    if shipment.shipped_on:
        collaboration_advance(
            collaboration=collaboration,
            target=Stage.PRODUCT_SHIPPED,
            only_from=[Stage.CONTRACTED],
            user=user,
        )
    if shipment.received_on:
        collaboration_advance(
            collaboration=collaboration,
            target=Stage.PRODUCT_RECEIVED,
            only_from=[Stage.PRODUCT_SHIPPED],
            user=user,
        )
    return shipment


def _confirm_shipments(collaboration: Collaboration, today: date) -> None:
    Shipment.objects.filter(
        collaboration=collaboration, shipped_on__isnull=False, received_on__isnull=True
    ).update(received_on=today)


@transaction.atomic
def product_received_confirm(
    *, collaboration: Collaboration, user: User | None = None, by_creator: bool = False
) -> None:
    """The creator (or staff for them) confirms the product arrived."""
    _confirm_shipments(collaboration, timezone.localdate())
    event_log(
        collaboration=collaboration,
        kind=EventKind.SHIPMENT,
        actor=user,
        by_creator=by_creator,
        data={"received": True},
    )
    collaboration_advance(
        collaboration=collaboration,
        target=Stage.PRODUCT_RECEIVED,
        only_from=[Stage.PRODUCT_SHIPPED],
        user=user,
        by_creator=by_creator,
    )
