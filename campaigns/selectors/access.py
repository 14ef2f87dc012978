"""Access helpers: one row by id for a scope, or 404 for what does not exist and what the scope
may not see.

A scope is a Membership (a client viewer sees only the campaigns of their brands) or a
Workspace (everything in it, for staff-only pages and code that acts for the workspace).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from campaigns.models import Campaign, Collaboration, Deliverable, Draft, Shipment
from kolhub.models import TenantModel
from kolhub.tenancy import Scope, scope_membership, scope_workspace, visible_brands

if TYPE_CHECKING:
    from kolhub.models import TenantQuerySet

M = TypeVar("M", bound=TenantModel)


def visible_campaigns(scope: Scope) -> QuerySet[Campaign]:
    """Campaigns of the brands this member may see (every campaign of a workspace)."""
    campaigns = Campaign.objects.for_workspace(scope_workspace(scope))
    membership = scope_membership(scope)
    if membership is not None and membership.is_client:
        campaigns = campaigns.filter(brand__in=visible_brands(membership))
    return campaigns


def _one(rows: TenantQuerySet[M, M], scope: Scope, pk: int, *, campaign: str) -> M:
    """The row with this pk among the scope's; `campaign` is the path from a row to its campaign."""
    rows = rows.for_workspace(scope_workspace(scope))
    if (membership := scope_membership(scope)) is not None:
        rows = rows.filter(**{f"{campaign}__in": visible_campaigns(membership)})
    try:
        return rows.get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def get_campaign(scope: Scope, pk: int) -> Campaign:
    """A campaign this member (or anyone of this workspace) may see, or 404."""
    try:
        return visible_campaigns(scope).select_related("brand", "owner").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def get_collaboration(scope: Scope, pk: int) -> Collaboration:
    """A collaboration of a campaign this member (or anyone of this workspace) may see, or 404."""
    rows = Collaboration.objects.select_related("campaign__brand", "creator", "owner", "brief_sent")
    return _one(rows, scope, pk, campaign="campaign")


def get_deliverable(scope: Scope, pk: int) -> Deliverable:
    """A deliverable this member (or anyone of this workspace) may see, or 404."""
    rows = Deliverable.objects.select_related(
        "collaboration__campaign__brand", "collaboration__creator"
    )
    return _one(rows, scope, pk, campaign="collaboration__campaign")


def get_shipment(scope: Scope, pk: int) -> Shipment:
    """A shipment this member (or anyone of this workspace) may see, or 404.

    It holds a home address: its views are for the team, not for client viewers.
    """
    rows = Shipment.objects.select_related("collaboration__campaign")
    return _one(rows, scope, pk, campaign="collaboration__campaign")


def get_draft(scope: Scope, pk: int) -> Draft:
    """A draft this member (or anyone of this workspace) may see, or 404."""
    rows = Draft.objects.select_related(
        "deliverable__collaboration__campaign__brand",
        "deliverable__collaboration__creator",
        "brief_version",
        "submitted_by",
    )
    return _one(rows, scope, pk, campaign="deliverable__collaboration__campaign")
