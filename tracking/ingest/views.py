"""Pages of reading platforms: connections and their OAuth flows, the posts panels, Refresh
now."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors as campaign_selectors
from creators.models import Platform, SocialAccount
from kolhub.http import row_id
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking.ingest import doors, oauth, refresh, selectors, services
from tracking.ingest.forms import ApiKeyForm
from tracking.models import PlatformConnection

OAUTH_SESSION_KEY = "tracking_oauth"
POSTS_PAGE_SIZE = 50
# A flow left unfinished longer than this must be started again.
OAUTH_STATE_MAX_AGE = timedelta(minutes=30)


def _connections_page(request: WorkspaceRequest, key_form: ApiKeyForm) -> HttpResponse:
    workspace = request.workspace
    connections = list(
        PlatformConnection.objects.for_workspace(workspace).select_related(
            "account__creator", "connected_by"
        )
    )
    quota = selectors.youtube_quota_today(connections)
    context = {
        "tab": "connections",
        # Each connection with its key's quota used today (YouTube API keys; None otherwise).
        "connections": [(connection, quota.get(connection.pk)) for connection in connections],
        "key_form": key_form,
        "server_youtube_key": bool(settings.YOUTUBE_API_KEY),
        "server_quota": selectors.server_youtube_quota_today(),
        "ready": {name: login.configured() for name, login in oauth.LOGINS.items()},
        "tiktok_accounts": _accounts_to_choose(request, Platform.TIKTOK),
        "instagram_accounts": _accounts_to_choose(request, Platform.INSTAGRAM),
        "youtube_accounts": _accounts_to_choose(request, Platform.YOUTUBE),
        "door_groups": doors.door_groups(doors.account_doors(workspace)),
        "open_up_to": doors.OPEN_UP_TO,
        "limits": selectors.platform_limits(workspace),
        "threads_accounts": _accounts_to_choose(request, Platform.THREADS),
    }
    status = 422 if key_form.errors else 200
    return oauth.allow_consent_pages(
        render(request, "tracking/connections.html", context, status=status)
    )


def _accounts_to_choose(request: WorkspaceRequest, platform: str):
    """The creators' accounts a connect flow may be for (the select lists at most 500)."""
    return (
        SocialAccount.objects.for_workspace(request.workspace)
        .filter(platform=platform)
        .select_related("creator")
        .order_by("creator__display_name", "handle")[:500]
    )


@require_GET
@workspace_member(role=Role.MANAGER)
def connection_list(request: WorkspaceRequest) -> HttpResponse:
    return _connections_page(request, ApiKeyForm())


@require_POST
@workspace_member(role=Role.MANAGER)
def youtube_key_add(request: WorkspaceRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _connections_page(request, form)
    services.connection_add_api_key(
        workspace=request.workspace,
        user=request.user,
        label=form.cleaned_data["label"],
        key=form.cleaned_data["key"],
    )
    messages.success(request, _("YouTube key saved: posts are read with it from the next pull."))
    return redirect("connection_list", workspace_slug=request.workspace.slug)


@require_POST
@workspace_member(role=Role.MANAGER)
def connection_disconnect(request: WorkspaceRequest, connection_id: int) -> HttpResponse:
    connection = selectors.get_connection(request.workspace, connection_id)
    services.connection_disconnect(connection=connection)
    messages.success(request, _("“%(name)s” is disconnected.") % {"name": connection})
    return redirect("connection_list", workspace_slug=request.workspace.slug)


# Posts of a collaboration or a campaign (fragments the campaign pages load) ---------------------


def _scope_posts(request: WorkspaceRequest, scope: str, pk: int):
    """(the posts, the refresh URL, their campaign) of a collaboration or campaign this
    member may see."""
    slug = request.workspace.slug
    if scope == "collaboration":
        collaboration = campaign_selectors.get_collaboration(request.membership, pk)
        refresh_url = reverse("collaboration_posts_refresh", args=[slug, pk])
        return selectors.collaboration_posts(collaboration), refresh_url, collaboration.campaign
    campaign = campaign_selectors.get_campaign(request.membership, pk)
    refresh_url = reverse("campaign_posts_refresh", args=[slug, pk])
    return selectors.campaign_posts(campaign), refresh_url, campaign


def _posts_fragment(
    request: WorkspaceRequest, scope: str, pk: int, progress: dict | None = None
) -> HttpResponse:
    found, refresh_url, campaign = _scope_posts(request, scope, pk)
    # A page of the posts: a campaign can follow thousands. A refresh's progress (a POST, or
    # the poll) shows the first page.
    page = Paginator(found, POSTS_PAGE_SIZE).get_page(request.GET.get("page"))
    posts = list(page)
    context = {
        "posts": posts,
        "page": page,
        "posts_url": reverse(f"{scope}_posts", args=[request.workspace.slug, pk]),
        # A column only when a post has it: a creator's own YouTube or Instagram reels.
        "watch_time": any(post.watch_minutes is not None for post in posts),
        # Counts read after closing are newer than the closed campaign's final report.
        "final_since": selectors.final_report_date(campaign),
        "scope": scope,
        "scope_id": pk,
        "refresh_url": refresh_url,
        "can_refresh": request.membership.has_role(Role.MEMBER),
        "can_manage_connections": request.membership.has_role(Role.MANAGER),
        "demo": request.workspace.is_demo,
        "progress": progress,
    }
    return render(request, "tracking/_posts.html", context)


@require_GET
@workspace_member()
def collaboration_posts(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    return _posts_fragment(request, "collaboration", collaboration_id)


@require_GET
@workspace_member()
def campaign_posts(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    return _posts_fragment(request, "campaign", campaign_id)


def _refresh(request: WorkspaceRequest, scope: str, pk: int) -> HttpResponse:
    posts, _url, _campaign = _scope_posts(request, scope, pk)
    token = refresh.refresh_now(
        workspace_id=request.workspace.pk,
        post_ids=posts.values_list("pk", flat=True),
        scope=(scope, pk),
    )
    return _progress_fragment(request, token)


@require_POST
@workspace_member(role=Role.MEMBER)
def post_refresh(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    """Refresh one post; the panel it was clicked in (a collaboration's or a campaign's)
    shows the progress."""
    scope, scope_id = request.POST.get("scope", ""), row_id(request.POST.get("scope_id"))
    if scope not in ("collaboration", "campaign") or scope_id is None:
        raise Http404
    posts, _url, _campaign = _scope_posts(request, scope, scope_id)
    post = get_object_or_404(posts, pk=post_id)
    token = refresh.refresh_now(
        workspace_id=request.workspace.pk, post_ids=[post.pk], scope=(scope, scope_id)
    )
    return _progress_fragment(request, token)


@require_POST
@workspace_member(role=Role.MEMBER)
def collaboration_posts_refresh(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    return _refresh(request, "collaboration", collaboration_id)


@require_POST
@workspace_member(role=Role.MEMBER)
def campaign_posts_refresh(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    return _refresh(request, "campaign", campaign_id)


@require_GET
@workspace_member(role=Role.MEMBER)
def refresh_status(request: WorkspaceRequest, token: str) -> HttpResponse:
    return _progress_fragment(request, token)


def _progress_fragment(request: WorkspaceRequest, token: str) -> HttpResponse:
    """The posts panel with the refresh's progress; the page polls it until all are done,
    then it says what the refresh did."""
    progress = refresh.refresh_progress(token, workspace_id=request.workspace.pk)
    if progress is None:
        return _progress_unknown(request)
    scope, pk = progress["scope"]
    progress["token"] = token
    progress["finished"] = progress["done"] >= progress["total"]
    if progress["finished"]:
        progress["outcome"] = selectors.refresh_outcome(
            request.workspace.pk, progress["posts"], started=progress["started"]
        )
    return _posts_fragment(request, scope, pk, progress)


def _progress_unknown(request: WorkspaceRequest) -> HttpResponse:
    """The refresh is not known here (expired, the cache cleared, another workspace's): the
    panel the page polled from says so and offers a reload, with its posts when it named its
    scope (a scope this member may not see is 404, like everywhere)."""
    progress = {"unknown": True}
    scope, pk = request.GET.get("scope", ""), row_id(request.GET.get("scope_id"))
    if scope in ("collaboration", "campaign") and pk is not None:
        return _posts_fragment(request, scope, pk, progress)
    context = {"posts": None, "progress": progress, "demo": request.workspace.is_demo}
    return render(request, "tracking/_posts.html", context)
