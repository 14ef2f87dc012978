"""Reads of the core models for pages (kolhub/tenancy.py resolves the workspace and holds the
access helpers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from kolhub.fx import Rates
from kolhub.models import (
    Brand,
    ExchangeRate,
    Invitation,
    Membership,
    Notification,
    Role,
    User,
    Workspace,
)
from kolhub.tenancy import visible_brands

if TYPE_CHECKING:
    from django.db.models import QuerySet


def user_memberships(user: User) -> QuerySet[Membership]:
    """The user's memberships, workspace loaded, for the switcher."""
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def workspace_brands(membership: Membership, *, include_archived: bool = False) -> QuerySet[Brand]:
    """Brands the member may see, active first, in name order."""
    brands = visible_brands(membership)
    if not include_archived:
        brands = brands.filter(is_archived=False)
    return brands.order_by("is_archived", "name")


# The brand switcher of every page reads its brands from the cache: kolhub.services drops them
# on every brand or client-access change it makes; a change made around the services (the
# Django admin, a shell) shows in the switcher within this many seconds.
NAV_BRANDS_SECONDS = 60


def _nav_brands_key(workspace_id: int) -> str:
    return f"nav-brands:{workspace_id}"


def nav_brands_key(membership: Membership) -> str:
    """The cache key of the workspace's switcher brands, for a caller reading it along with
    other keys (nav_brands_from)."""
    return _nav_brands_key(membership.workspace_id)


def nav_brands(membership: Membership) -> list[dict[str, Any]]:
    """The layout's brand switcher for this member: pk, name and industry of the active brands
    they may see, in workspace_brands' order; cached per workspace and scope."""
    return nav_brands_from(membership, cache.get(nav_brands_key(membership)))


def nav_brands_from(
    membership: Membership, cached: dict[int, list[dict[str, Any]]] | None
) -> list[dict[str, Any]]:
    """nav_brands from the workspace's cached entry as read (None when absent): the member's
    scope is queried and stored when the entry lacks it."""
    scope = membership.pk if membership.is_client else 0  # a client viewer sees their own
    cached = cached or {}
    if scope not in cached:
        rows = workspace_brands(membership).values("pk", "name", "industry")
        brands: list[dict[str, Any]] = [dict(row) for row in rows]
        cache.set(nav_brands_key(membership), {**cached, scope: brands}, NAV_BRANDS_SECONDS)
        return brands
    return cached[scope]


def nav_brands_forget(workspace_id: int) -> None:
    """Drop the workspace's cached switcher brands now and again once the change that calls
    this commits (a page rendered meanwhile may have cached them as they were before it)."""
    key = _nav_brands_key(workspace_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def workspace_members(workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.for_workspace(workspace)
        .select_related("user")
        .prefetch_related(Prefetch("brands", queryset=Brand.objects.order_by("name")))
        .order_by("user__email")
    )


def workspace_invitations(workspace: Workspace) -> QuerySet[Invitation]:
    """Recent invitations (pending first), with the brands of client invitations."""
    return (
        Invitation.objects.for_workspace(workspace)
        .filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .prefetch_related("brands")
        .order_by("revoked_at", "-created_at")[:50]
    )


def invitation_by_token_unscoped(token: str) -> Invitation | None:
    """The invitation a link points to; the unguessable token is the credential."""
    return Invitation.objects.select_related("workspace", "invited_by").filter(token=token).first()


def invitation_by_id_unscoped(pk: int) -> Invitation:
    """The invitation a task was given the id of (tasks of invitations carry no workspace)."""
    return Invitation.objects.select_related("workspace", "invited_by").get(pk=pk)


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def team_users(workspace: Workspace) -> QuerySet[User]:
    """People of the workspace's team who can own work (client viewers are not the team)."""
    return User.objects.filter(
        memberships__in=Membership.objects.for_workspace(workspace).exclude(role=Role.CLIENT)
    ).order_by("first_name", "email")


def user_notifications(membership: Membership) -> QuerySet[Notification]:
    """The member's notifications in their workspace, newest first."""
    # By id: `membership.user` would be fetched again on every page (the bell's count).
    return Notification.objects.for_workspace(membership.workspace).filter(
        user_id=membership.user_id
    )


def unread_notification_count(membership: Membership) -> int:
    return user_notifications(membership).filter(read_at__isnull=True).count()


def exchange_rates(workspace_id: int) -> Rates:
    """The workspace's rate table, {(currency, into): rate}, for kolhub.fx."""
    rows = ExchangeRate.objects.filter(workspace_id=workspace_id).values_list(
        "currency", "into", "rate"
    )
    return {(currency, into): rate for currency, into, rate in rows}
