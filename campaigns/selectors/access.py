"""Access helpers: one row by id, or 404 for what does not exist and what you may not see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from campaigns.models import Campaign, Collaboration, Deliverable, Draft, Shipment
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
