"""Tracking pages: platform connections and their OAuth flows, the posts panels, Refresh now."""

from __future__ import annotations

import io
import secrets
from datetime import datetime, timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors as campaign_selectors
from campaigns import services as campaign_services
from creators.models import Platform, SocialAccount
from kolhub.models import Membership, Role
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking import conversions, oauth, refresh, selectors, services
from tracking.forms import ApiKeyForm, PromoCodeForm, SalesFeedForm, TrackedLinkForm
from tracking.models import PlatformConnection

OAUTH_SESSION_KEY = "tracking_oauth"
# A flow left unfinished longer than this must be started again.
OAUTH_STATE_MAX_AGE = timedelta(minutes=30)


def _connections_page(request: WorkspaceRequest, key_form: ApiKeyForm) -> HttpResponse:
    workspace = request.workspace
    context = {
        "tab": "connections",
        "connections": PlatformConnection.objects.for_workspace(workspace).select_related(
            "account__creator", "connected_by"
        ),
        "key_form": key_form,
        "server_youtube_key": bool(settings.YOUTUBE_API_KEY),
        "meta_ready": oauth.app_configured("instagram"),
        "tiktok_ready": oauth.app_configured("tiktok"),
        "tiktok_accounts": SocialAccount.objects.for_workspace(workspace)
        .filter(platform=Platform.TIKTOK)
        .select_related("creator")
        .order_by("creator__display_name", "handle")[:500],
    }
    status = 422 if key_form.errors else 200
    return render(request, "tracking/connections.html", context, status=status)


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
    connection = get_object_or_404(
        PlatformConnection.objects.for_workspace(request.workspace), pk=connection_id
    )
    services.connection_disconnect(connection=connection)
    messages.success(request, _("“%(name)s” is disconnected.") % {"name": connection})
    return redirect("connection_list", workspace_slug=request.workspace.slug)


@require_POST
@workspace_member(role=Role.MANAGER)
def connect_start(request: WorkspaceRequest, platform: str) -> HttpResponse:
    """Send the browser to the platform to ask for access, remembering why in the session."""
    if platform not in oauth.OAUTH_PLATFORMS:
        raise Http404
    if not oauth.app_configured(platform):
        messages.error(
            request, _("Connecting needs the platform app's keys in the server settings.")
        )
        return redirect("connection_list", workspace_slug=request.workspace.slug)
    account = _chosen_account(request, platform)
    state = secrets.token_urlsafe(32)
    pending = request.session.get(OAUTH_SESSION_KEY, {})
    pending[state] = {
        "workspace": request.workspace.pk,
        "platform": platform,
        "account": account.pk if account else None,
        "started": timezone.now().isoformat(),
    }
    request.session[OAUTH_SESSION_KEY] = pending
    return redirect(
        oauth.authorize_url(platform, state=state, redirect_uri=_callback_url(platform))
    )


def _chosen_account(request: WorkspaceRequest, platform: str) -> SocialAccount | None:
    account_id = request.POST.get("account", "")
    if not account_id.isdigit():
        return None
    return get_object_or_404(
        SocialAccount.objects.for_workspace(request.workspace).filter(platform=platform),
        pk=int(account_id),
    )


def _callback_url(platform: str) -> str:
    # Registered with the platform's app exactly like this, so it comes from settings.
    return settings.SITE_URL + reverse("oauth_callback", args=[platform])


@require_GET
@login_required
def oauth_callback(request: HttpRequest, platform: str) -> HttpResponse:
    """Where the platform sends the browser back; only a flow this session started counts."""
    pending = request.session.get(OAUTH_SESSION_KEY, {})
    flow = pending.pop(request.GET.get("state", ""), None)
    request.session[OAUTH_SESSION_KEY] = pending
    if flow is None or flow["platform"] != platform or _stale(flow["started"]):
        return render(request, "tracking/oauth_unusable.html", status=400)
    membership = (
        Membership.objects.filter(user=request.user, workspace_id=flow["workspace"])
        .select_related("workspace")
        .first()
    )
    if membership is None or not membership.has_role(Role.MANAGER):
        raise Http404
    workspace = membership.workspace
    back = redirect("connection_list", workspace_slug=workspace.slug)
    if request.GET.get("error") or not request.GET.get("code"):
        reason = request.GET.get("error_description") or request.GET.get("error") or "—"
        messages.error(request, _("The connection was not made: %(reason)s") % {"reason": reason})
        return back
    try:
        grants = oauth.exchange(
            platform, code=request.GET["code"], redirect_uri=_callback_url(platform)
        )
    except oauth.ConnectFailed as exc:
        messages.error(request, str(exc))
        return back
    account = (
        SocialAccount.objects.for_workspace(workspace).filter(pk=flow["account"]).first()
        if flow["account"]
        else None
    )
    saved = services.connections_save_grants(
        workspace=workspace, user=request.user, grants=grants, account=account
    )
    messages.success(
        request,
        ngettext("Connected %(count)s account.", "Connected %(count)s accounts.", len(saved))
        % {"count": len(saved)},
    )
    return back


def _stale(started: str) -> bool:
    try:
        return timezone.now() - datetime.fromisoformat(started) > OAUTH_STATE_MAX_AGE
    except ValueError:
        return True


# Posts of a collaboration or a campaign (fragments the campaign pages load) ---------------------


def _scope_posts(request: WorkspaceRequest, scope: str, pk: int):
    """(the posts, the refresh URL) of a collaboration or campaign this member may see."""
    slug = request.workspace.slug
    if scope == "collaboration":
        collaboration = campaign_selectors.get_collaboration(request.membership, pk)
        refresh_url = reverse("collaboration_posts_refresh", args=[slug, pk])
        return selectors.collaboration_posts(collaboration), refresh_url
    campaign = campaign_selectors.get_campaign(request.membership, pk)
    refresh_url = reverse("campaign_posts_refresh", args=[slug, pk])
    return selectors.campaign_posts(campaign), refresh_url


def _posts_fragment(
    request: WorkspaceRequest, scope: str, pk: int, progress: dict | None = None
) -> HttpResponse:
    posts, refresh_url = _scope_posts(request, scope, pk)
    context = {
        "posts": list(posts),
        "scope": scope,
        "scope_id": pk,
        "refresh_url": refresh_url,
        "can_refresh": request.membership.has_role(Role.MEMBER),
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
    posts, _url = _scope_posts(request, scope, pk)
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
    scope, scope_id = request.POST.get("scope", ""), request.POST.get("scope_id", "")
    if scope not in ("collaboration", "campaign") or not scope_id.isdigit():
        raise Http404
    posts, _url = _scope_posts(request, scope, int(scope_id))
    post = get_object_or_404(posts, pk=post_id)
    token = refresh.refresh_now(
        workspace_id=request.workspace.pk, post_ids=[post.pk], scope=(scope, int(scope_id))
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
    """The posts panel with the refresh's progress; the page polls it until all are done."""
    progress = refresh.refresh_progress(token, workspace_id=request.workspace.pk)
    if progress is None:
        raise Http404
    scope, pk = progress["scope"]
    progress["token"] = token
    progress["finished"] = progress["done"] >= progress["total"]
    return _posts_fragment(request, scope, pk, progress)


# Tracked links --------------------------------------------------------------------------------


def _links_fragment(
    request: WorkspaceRequest,
    collaboration,
    form: TrackedLinkForm | None = None,
    promo_form: PromoCodeForm | None = None,
) -> HttpResponse:
    """The collaboration's tracked links and promo codes, with the forms to add them."""
    can_edit = request.membership.has_role(Role.MEMBER)
    if can_edit:
        form = form or TrackedLinkForm(
            collaboration=collaboration, initial=services.utm_defaults(collaboration, None)
        )
        promo_form = promo_form or PromoCodeForm(initial=_suggested_code(collaboration))
    links = list(selectors.collaboration_links(collaboration))
    for link in links:
        link.short_url = settings.SITE_URL + reverse("tracked_redirect", args=[link.code])
    context = {
        "collaboration": collaboration,
        "links": links,
        "codes": selectors.collaboration_promo_codes(collaboration),
        "code_sales": selectors.promo_code_sales(collaboration),
        "form": form,
        "promo_form": promo_form,
        "can_edit": can_edit,
    }
    failed = any(f is not None and f.errors for f in (form, promo_form))
    return render(request, "tracking/_links.html", context, status=422 if failed else 200)


def _suggested_code(collaboration) -> dict:
    """A first code from the brief's pattern; none once the collaboration has one."""
    if collaboration.promo_codes.exists():
        return {}
    brief = collaboration.brief_sent or campaign_services.latest_brief(collaboration.campaign)
    pattern = brief.promo_code if brief else ""
    return {"code": conversions.promo_code_suggestion(collaboration, pattern)}


@require_GET
@workspace_member()
def collaboration_links(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = campaign_selectors.get_collaboration(request.membership, collaboration_id)
    return _links_fragment(request, collaboration)


@require_POST
@workspace_member(role=Role.MEMBER)
def tracked_link_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = campaign_selectors.get_collaboration(request.membership, collaboration_id)
    form = TrackedLinkForm(request.POST, collaboration=collaboration)
    if not form.is_valid():
        return _links_fragment(request, collaboration, form)
    services.tracked_link_create(
        collaboration=collaboration, user=request.user, **form.cleaned_data
    )
    return _links_fragment(request, collaboration)


@require_POST
@workspace_member(role=Role.MEMBER)
def tracked_link_deactivate(request: WorkspaceRequest, link_id: int) -> HttpResponse:
    link = selectors.get_link(request.membership, link_id)
    services.tracked_link_deactivate(link=link)
    return _links_fragment(request, link.collaboration)


@require_GET
@workspace_member()
def tracked_link_qr(request: WorkspaceRequest, link_id: int, image_format: str) -> HttpResponse:
    """The short URL as a QR code, for print and packaging (SVG scales, PNG pastes anywhere)."""
    if image_format not in ("svg", "png"):
        raise Http404
    link = selectors.get_link(request.membership, link_id)
    code = segno.make(settings.SITE_URL + reverse("tracked_redirect", args=[link.code]), error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind=image_format, scale=10, border=2)
    content_type = "image/svg+xml" if image_format == "svg" else "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kolhub-{link.code}.{image_format}"'
    return response


# Promo codes ----------------------------------------------------------------------------------


@require_POST
@workspace_member(role=Role.MEMBER)
def promo_code_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = campaign_selectors.get_collaboration(request.membership, collaboration_id)
    form = PromoCodeForm(request.POST)
    if form.is_valid():
        try:
            conversions.promo_code_add(collaboration=collaboration, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
    return _links_fragment(request, collaboration, promo_form=form if form.errors else None)


# Sales feeds and conversions ------------------------------------------------------------------


def _sales_page(request: WorkspaceRequest, form: SalesFeedForm, created=None) -> HttpResponse:
    context = {
        "tab": "sales",
        "form": form,
        "created": created,
        "site_url": settings.SITE_URL,
        **selectors.sales_overview(request.workspace),
    }
    return render(request, "tracking/sales.html", context, status=422 if form.errors else 200)


@require_GET
@workspace_member(role=Role.MANAGER)
def sales(request: WorkspaceRequest) -> HttpResponse:
    return _sales_page(request, SalesFeedForm())


@require_POST
@workspace_member(role=Role.MANAGER)
def sales_feed_create(request: WorkspaceRequest) -> HttpResponse:
    form = SalesFeedForm(request.POST)
    if not form.is_valid():
        return _sales_page(request, form)
    feed = conversions.sales_feed_create(
        workspace_id=request.workspace.pk,
        channel=form.cleaned_data["channel"],
        label=form.cleaned_data["label"],
        secret=form.cleaned_data["secret"],
        attribution_days=form.cleaned_data["attribution_days"],
    )
    # The one time a generated secret is shown: it goes into the shop's settings now.
    return _sales_page(request, SalesFeedForm(), created=feed)
