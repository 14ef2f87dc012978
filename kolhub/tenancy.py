"""Tenancy: resolve the workspace of a request; the scope (a membership or a workspace) that
access helpers take; the access helpers of the core models (each app keeps its own in its
selectors).

A helper answers 404 both for what does not exist and for what the user may not see, so
nobody learns that another workspace or its rows exist.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeAlias

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from kolhub.models import Brand, Invitation, Membership, Notification, Role, Workspace

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


# What an access helper is scoped by: a member (a client viewer sees only their brands' rows)
# or a whole workspace (staff-only rows, tasks).
Scope: TypeAlias = Membership | Workspace


def scope_workspace(scope: Scope) -> Workspace:
    """The workspace of a scope."""
    return scope.workspace if isinstance(scope, Membership) else scope


def scope_membership(scope: Scope) -> Membership | None:
    """The member of a scope; None when the scope is a whole workspace."""
    return scope if isinstance(scope, Membership) else None


P = ParamSpec("P")
View = Callable[Concatenate[WorkspaceRequest, P], HttpResponseBase]
Wrapped = Callable[..., HttpResponseBase]


# Table names only, no input: the count of a membership's unread notifications.
UNREAD_COUNT = (
    f"SELECT COUNT(*) FROM {Notification._meta.db_table} n WHERE n.workspace_id ="  # noqa: S608
    f" {Membership._meta.db_table}.workspace_id AND n.user_id = {Membership._meta.db_table}.user_id"
    " AND n.read_at IS NULL"
)
# The user's workspaces with their membership's columns, in one raw read: every workspace
# page starts with it, and the ORM took longer to build it than the database to answer.
MEMBERSHIPS_OF = (
    "SELECT w.*, {membership}.id AS member_id, {membership}.role AS member_role,"
    " ({unread}) AS member_unread"
    " FROM {workspace} w JOIN {membership} ON {membership}.workspace_id = w.id"
    " WHERE {membership}.user_id = %s ORDER BY w.name, w.id"
)
MEMBERSHIP_FIELDS = ["id", "workspace_id", "user_id", "role"]


def memberships_of(user: Any, *, unread: bool = False) -> list[Membership]:
    """All the user's memberships, workspaces loaded, in name order (few per user); with
    `unread`, each carries `unread_notifications`, its count of the user's unread ones (the
    layout's bell, in the same query instead of one more per page)."""
    sql = MEMBERSHIPS_OF.format(
        membership=Membership._meta.db_table,
        workspace=Workspace._meta.db_table,
        unread=UNREAD_COUNT if unread else "NULL",
    )
    memberships = []
    # Any: the member_* columns come beside the workspace's own.
    workspaces: Any = Workspace.objects.raw(sql, [user.pk])
    for workspace in workspaces:
        # Built as the ORM builds a row it read: the columns not read are loaded if asked for.
        membership = Membership.from_db(
            workspace._state.db,
            MEMBERSHIP_FIELDS,
            [workspace.member_id, workspace.pk, user.pk, workspace.member_role],
        )
        membership.workspace = workspace
        if unread:
            membership.unread_notifications = workspace.member_unread
        memberships.append(membership)
    return memberships


def membership_for_slug(memberships: list[Membership], slug: str) -> Membership:
    """The membership of the workspace with this slug among the user's, or 404."""
    for membership in memberships:
        if membership.workspace.slug == slug:
            return membership
    raise Http404


def workspace_member(
    role: str = Role.CLIENT,
) -> Callable[[View[P]], Callable[..., HttpResponseBase]]:
    """Resolve /w/<workspace_slug>/ into request.workspace and request.membership.

    Anonymous visitors go to the login page; non-members and members below `role` get 404.
    """

    def decorator(view: View[P]) -> Wrapped:
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, workspace_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # One query serves the check and the layout's workspace switcher and, on a page
            # (a GET that is not an htmx fragment, so nothing was written yet), its bell.
            page = request.method == "GET" and not getattr(request, "htmx", False)
            memberships = memberships_of(request.user, unread=page)
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


def visible_brands(membership: Membership) -> QuerySet[Brand]:
    """The brands this member may see: all of the workspace's, or a client viewer's own."""
    brands = Brand.objects.for_workspace(membership.workspace)
    if membership.is_client:
        brands = brands.filter(client_memberships=membership)
    return brands


def get_brand(scope: Scope, pk: int) -> Brand:
    """A brand of the scope's workspace (a client viewer's own only), or 404."""
    membership = scope_membership(scope)
    brands: QuerySet[Brand] = (
        visible_brands(membership)
        if membership is not None
        else Brand.objects.for_workspace(scope_workspace(scope))
    )
    try:
        return brands.get(pk=pk)
    except Brand.DoesNotExist:
        raise Http404 from None


def get_member(scope: Scope, pk: int) -> Membership:
    """A membership of the scope's workspace, or 404."""
    members = Membership.objects.for_workspace(scope_workspace(scope))
    try:
        return members.select_related("user").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


def get_invitation(scope: Scope, pk: int) -> Invitation:
    """An invitation of the scope's workspace, or 404."""
    try:
        return Invitation.objects.for_workspace(scope_workspace(scope)).get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
