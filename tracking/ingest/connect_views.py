"""Connecting accounts through the platforms' own logins: by staff from Settings → Platform
connections, and by creators from their portal link, who connect only their own roster
accounts (the platform's account is checked against the roster's) and may disconnect them.

Both flows come back to one callback per login (the address registered with the platform);
the state parameter names a flow this browser session started, which says who it was for.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import PortalLink
from campaigns.portal_access import portal_view
from creators.models import SocialAccount
from kolhub.http import row_id
from kolhub.models import Membership, Role, User
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking.ingest import oauth, selectors, services
from tracking.ingest.portal_accounts import PORTAL_LOGINS, portal_account_rows

OAUTH_SESSION_KEY = "tracking_oauth"
# A flow left unfinished longer than this must be started again.
OAUTH_STATE_MAX_AGE = timedelta(minutes=30)


def _login(name: str) -> oauth.Login:
    login = oauth.LOGINS.get(name)
    if login is None:
        raise Http404
    return login


def _start(request: HttpRequest, login: oauth.Login, flow: dict[str, Any]) -> HttpResponse:
    """Remember why the browser goes to the platform (in the session, under a fresh state)
    and send it there."""
    state = secrets.token_urlsafe(32)
    pending = request.session.get(OAUTH_SESSION_KEY, {})
    pending[state] = {**flow, "login": login.name, "started": timezone.now().isoformat()}
    request.session[OAUTH_SESSION_KEY] = pending
    return redirect(login.authorize_url(state=state, redirect_uri=callback_url(login.name)))


def callback_url(login_name: str) -> str:
    # Registered with the platform's app exactly like this, so it comes from settings.
    return settings.SITE_URL + reverse("oauth_callback", args=[login_name])


def _take_flow(request: HttpRequest, login_name: str) -> dict[str, Any] | None:
    """The flow this session started under the returned state, used up; None when there is
    none, it was for another login, or it is too old."""
    pending = request.session.get(OAUTH_SESSION_KEY, {})
    flow = pending.pop(request.GET.get("state", ""), None)
    request.session[OAUTH_SESSION_KEY] = pending
    if flow is None or flow.get("login") != login_name or _stale(flow.get("started", "")):
        return None
    return flow


def _stale(started: str) -> bool:
    try:
        return timezone.now() - datetime.fromisoformat(started) > OAUTH_STATE_MAX_AGE
    except ValueError:
        return True


def _refusal(request: HttpRequest) -> str | None:
    """The platform's reason when the person said no (or it failed) instead of a code."""
    if request.GET.get("error") or not request.GET.get("code"):
        reason = request.GET.get("error_description") or request.GET.get("error") or "—"
        return _("The connection was not made: %(reason)s") % {"reason": reason[:300]}
    return None


@require_GET
def oauth_callback(request: HttpRequest, login: str) -> HttpResponse:
    """Where the platform sends the browser back; only a flow this session started counts."""
    flow = _take_flow(request, _login(login).name)
    if flow is None:
        return render(request, "tracking/oauth_unusable.html", status=400)
    if flow.get("portal_link"):
        return _finish_for_creator(request, flow)
    return _finish_for_staff(request, flow)


# Staff ----------------------------------------------------------------------------------------


@require_POST
@workspace_member(role=Role.MANAGER)
def connect_start(request: WorkspaceRequest, login: str) -> HttpResponse:
    """Send the browser to the platform to ask for access, remembering why in the session."""
    flow = _login(login)
    if not flow.configured():
        messages.error(
            request, _("Connecting needs the platform app's keys in the server settings.")
        )
        return redirect("connection_list", workspace_slug=request.workspace.slug)
    account = _chosen_account(request, flow)
    return _start(
        request,
        flow,
        {"workspace": request.workspace.pk, "account": account.pk if account else None},
    )


def _chosen_account(request: WorkspaceRequest, login: oauth.Login) -> SocialAccount | None:
    account_id = row_id(request.POST.get("account"))
    if account_id is None:
        return None
    return get_object_or_404(
        SocialAccount.objects.for_workspace(request.workspace).filter(platform__in=login.platforms),
        pk=account_id,
    )


def _finish_for_staff(request: HttpRequest, flow: dict[str, Any]) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return render(request, "tracking/oauth_unusable.html", status=400)
    membership = (
        Membership.objects.filter(user=user, workspace_id=int(flow.get("workspace") or 0))
        .select_related("workspace")
        .first()
    )
    if membership is None or not membership.has_role(Role.MANAGER):
        raise Http404
    workspace = membership.workspace
    back = redirect("connection_list", workspace_slug=workspace.slug)
    account_id = flow.get("account")
    account = (
        SocialAccount.objects.for_workspace(workspace).filter(pk=int(account_id)).first()
        if account_id
        else None
    )
    try:
        grants = _grants(request, flow["login"])
        if account is not None:
            grants = [services.grant_for_account(grants, account)]
    except (oauth.ConnectFailed, services.AccountMismatch) as exc:
        messages.error(request, str(exc))
        return back
    saved = services.connections_save_grants(
        workspace=workspace, user=user, grants=grants, login=flow["login"], account=account
    )
    messages.success(
        request,
        ngettext("Connected %(count)s account.", "Connected %(count)s accounts.", len(saved))
        % {"count": len(saved)},
    )
    return back


def _grants(request: HttpRequest, login_name: str) -> list[oauth.Grant]:
    refusal = _refusal(request)
    if refusal:
        raise oauth.ConnectFailed(refusal)
    return oauth.exchange(
        oauth.LOGINS[login_name], code=request.GET["code"], redirect_uri=callback_url(login_name)
    )


# Creators, on their portal link --------------------------------------------------------------


@require_GET
@portal_view
def portal_accounts(request: HttpRequest, link: PortalLink) -> HttpResponse:
    context = {"link": link, "rows": portal_account_rows(link)}
    template = "tracking/portal_accounts.html"
    if getattr(request, "htmx", False):
        template += "#accounts"
    return oauth.allow_consent_pages(render(request, template, context))


def _creator_account(link: PortalLink, account_id: int) -> SocialAccount:
    """One of the link's creator's accounts on a platform creators can connect, or 404."""
    return get_object_or_404(
        SocialAccount.objects.filter(
            workspace_id=link.workspace_id,
            creator_id=link.collaboration.creator_id,
            platform__in=PORTAL_LOGINS,
        ),
        pk=account_id,
    )


@require_POST
@portal_view
def portal_connect_start(
    request: HttpRequest, link: PortalLink, account_id: int, login: str
) -> HttpResponse:
    account = _creator_account(link, account_id)
    flow = _login(login)
    if flow.name not in PORTAL_LOGINS[account.platform]:
        raise Http404
    if not flow.configured():
        messages.error(
            request,
            _("The brand has not set up connecting with %(service)s yet.")
            % {"service": flow.service},
        )
        return redirect("portal_accounts", token=link.token)
    return _start(request, flow, {"portal_link": link.pk, "account": account.pk})


def _finish_for_creator(request: HttpRequest, flow: dict[str, Any]) -> HttpResponse:
    link = (
        PortalLink.objects.select_related("collaboration", "workspace")
        .filter(pk=flow["portal_link"])
        .first()
    )
    if link is None or not link.is_usable:
        return render(request, "campaigns/portal/unusable.html", {"reason": "revoked"}, status=410)
    with translation.override(link.language):
        response = _connect_creator_account(request, link, flow)
    response["Referrer-Policy"] = "same-origin"
    return response


def _connect_creator_account(
    request: HttpRequest, link: PortalLink, flow: dict[str, Any]
) -> HttpResponse:
    back = redirect("portal_accounts", token=link.token)
    account = _creator_account(link, flow["account"])
    try:
        grant = services.grant_for_account(_grants(request, flow["login"]), account)
    except (oauth.ConnectFailed, services.AccountMismatch) as exc:
        messages.error(request, str(exc))
        return back
    (connection,) = services.connections_save_grants(
        workspace=link.workspace,
        grants=[grant],
        login=flow["login"],
        account=account,
        portal_link=link,
    )
    services.creator_connection_told(connection=connection, connected=True)
    messages.success(
        request,
        _("Connected: %(account)s. Thank you! Your numbers are now read directly.")
        % {"account": grant.label or account.handle},
    )
    return back


@require_POST
@portal_view
def portal_disconnect(request: HttpRequest, link: PortalLink, connection_id: int) -> HttpResponse:
    """The creator takes their consent back: a connection reading an account of theirs loses
    its tokens at once, whoever made it."""
    connection = get_object_or_404(
        selectors.creator_connections(link.workspace_id, link.collaboration.creator_id),
        pk=connection_id,
    )
    services.connection_disconnect(connection=connection)
    services.creator_connection_told(connection=connection, connected=False)
    messages.success(
        request,
        _("Disconnected: %(account)s. Nothing more is read with it.")
        % {"account": connection.label or connection.external_id},
    )
    return redirect("portal_accounts", token=link.token)
