"""The campaign events sent to a workspace's webhook endpoints (docs/webhooks.md).

Each service that does the thing calls one of these in one line; the payload is built only
when an endpoint is subscribed (kolhub.webhooks.emit).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignStatus,
    Collaboration,
    Deliverable,
    Draft,
    Installment,
    InstallmentStatus,
)
from kolhub.webhooks import emit


def collaboration_ref(collaboration: Collaboration) -> dict[str, Any]:
    """What every event about a collaboration says of it: ids and names a receiver can show."""
    campaign, creator = collaboration.campaign, collaboration.creator
    return {
        "collaboration_id": collaboration.pk,
        "campaign": {"id": campaign.pk, "name": campaign.name, "slug": campaign.slug},
        "creator": {"id": creator.pk, "name": creator.display_name},
    }


def stage_changed(collaboration: Collaboration, *, previous: str, by_creator: bool = False) -> None:
    emit(
        workspace_id=collaboration.workspace_id,
        event_type="collaboration.stage_changed",
        data=lambda: {
            **collaboration_ref(collaboration),
            "from_stage": previous,
            "to_stage": collaboration.stage,
            "changed_at": collaboration.stage_changed_at,
            "by_creator": by_creator,
        },
    )


def _draft(draft: Draft) -> dict[str, Any]:
    deliverable = draft.deliverable
    return {
        "draft_id": draft.pk,
        "version": draft.version,
        "deliverable": {"id": deliverable.pk, "format": deliverable.format},
        **collaboration_ref(deliverable.collaboration),
    }


def draft_submitted(draft: Draft) -> None:
    emit(
        workspace_id=draft.workspace_id,
        event_type="draft.submitted",
        data=lambda: {
            **_draft(draft),
            "by_creator": draft.by_creator,
            "submitted_at": draft.submitted_at,
        },
    )


def draft_approved(draft: Draft) -> None:
    emit(
        workspace_id=draft.workspace_id,
        event_type="draft.approved",
        data=lambda: {**_draft(draft), "approved_at": timezone.now()},
    )


def post_published(deliverable: Deliverable, *, by_creator: bool = False) -> None:
    emit(
        workspace_id=deliverable.workspace_id,
        event_type="post.published",
        data=lambda: {
            "deliverable": {"id": deliverable.pk, "format": deliverable.format},
            **collaboration_ref(deliverable.collaboration),
            "url": deliverable.live_url,
            "published_at": deliverable.published_at,
            "by_creator": by_creator,
        },
    )


def campaign_status_changed(campaign: Campaign, *, previous: str) -> None:
    """campaign.closed when a campaign that existed is closed; other changes are not events."""
    if not previous or previous == campaign.status or campaign.status != CampaignStatus.CLOSED:
        return
    emit(
        workspace_id=campaign.workspace_id,
        event_type="campaign.closed",
        data=lambda: {
            "campaign": {"id": campaign.pk, "name": campaign.name, "slug": campaign.slug},
            "brand": {"id": campaign.brand_id, "name": campaign.brand.name},
            "previous_status": previous,
            "closed_at": timezone.now(),
        },
    )


def installment_moved(installment: Installment) -> None:
    """payout.approved and payout.paid; other moves of the ledger are not events."""
    event_type = {
        InstallmentStatus.APPROVED: "payout.approved",
        InstallmentStatus.PAID: "payout.paid",
    }.get(InstallmentStatus(installment.status))
    if event_type is None:
        return
    emit(
        workspace_id=installment.workspace_id,
        event_type=event_type,
        data=lambda: {
            "installment_id": installment.pk,
            **collaboration_ref(installment.collaboration),
            "label": installment.label,
            "amount": installment.amount,
            "currency": installment.currency,
            "due_on": installment.due_on,
            "approved_at": installment.approved_at,
            "paid_on": installment.paid_on,
        },
    )
