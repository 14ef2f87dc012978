"""Tenancy: resolve the workspace of a request, and the access helpers every view uses.

A helper answers 404 both for what does not exist and for what the user may not see, so
nobody learns that another workspace or its rows exist.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from kolhub.models import Brand, Invitation, Membership, Role, Workspace

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_htmx.middleware import HtmxDetails

    from kolhub.models import User


class WorkspaceRequest(HttpRequest):
    """Typing-only: the request a workspace view receives."""

    user: User
    htmx: HtmxDetails
    workspace: Workspace
    membership: Membership
    user_memberships: list[Membership]


P = ParamSpec("P")
View = Callable[Concatenate[WorkspaceRequest, P], HttpResponse]


def memberships_of(user: Any) -> list[Membership]:
    """All the user's memberships, workspaces loaded, in name order (few per user)."""
    return list(
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def membership_for_slug(memberships: list[Membership], slug: str) -> Membership:
    """The membership of the workspace with this slug among the user's, or 404."""
    for membership in memberships:
        if membership.workspace.slug == slug:
            return membership
    raise Http404


def workspace_member(role: str = Role.CLIENT) -> Callable[[View[P]], Callable[..., HttpResponse]]:
    """Resolve /w/<workspace_slug>/ into request.workspace and request.membership.

    Anonymous visitors go to the login page; non-members and members below `role` get 404.
    """

    def decorator(view: View[P]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, workspace_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # One query serves both the check and the layout's workspace switcher.
            memberships = memberships_of(request.user)
            membership = membership_for_slug(memberships, workspace_slug)
            if not membership.has_role(role):
                raise Http404
            ws_request: WorkspaceRequest = request  # type: ignore[assignment]
            ws_request.user_memberships = memberships
            ws_request.membership = membership
            ws_request.workspace = membership.workspace
            # override, not activate: the thread serves other workspaces next.
            with timezone.override(zoneinfo.ZoneInfo(membership.workspace.timezone)):
                return view(ws_request, *args, **kwargs)

        return wrapper

    return decorator


# What an access helper reads for: a member (a client viewer sees only their brands' rows) or a
# whole workspace.
Scope = Membership | Workspace


def scope_workspace(scope: Scope) -> Workspace:
    """The workspace a scope reads from."""
    return scope.workspace if isinstance(scope, Membership) else scope


def scope_membership(scope: Scope) -> Membership | None:
    """The member a scope reads for, or None for a whole workspace."""
    return scope if isinstance(scope, Membership) else None


def visible_brands(membership: Membership) -> QuerySet[Brand]:
    """The brands this member may see: all of the workspace's, or a client viewer's own."""
    brands = Brand.objects.for_workspace(membership.workspace)
    if membership.is_client:
        brands = brands.filter(client_memberships=membership)
    return brands


def get_brand(membership: Membership, pk: int) -> Brand:
    """A brand this member may see, or 404."""
    try:
        return visible_brands(membership).get(pk=pk)
    except Brand.DoesNotExist:
        raise Http404 from None


def get_member(workspace: Workspace, pk: int) -> Membership:
    """A membership of this workspace, or 404."""
    try:
        return Membership.objects.for_workspace(workspace).select_related("user").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


def get_invitation(workspace: Workspace, pk: int) -> Invitation:
    """An invitation of this workspace, or 404."""
    try:
        return Invitation.objects.for_workspace(workspace).get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
