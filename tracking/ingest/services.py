"""Writes of reading platforms: posts followed, connections, insights people report."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Deliverable, PortalLink
from creators.models import Platform, SocialAccount
from creators.post_urls import parse_post_url
from kolhub.models import Membership, Role, User, Workspace
from kolhub.services import notifications_create
from tracking.ingest.logins.base import Grant
from tracking.models import (
    ConnectionKind,
    ConnectionStatus,
    PlatformConnection,
    Post,
    PostStatus,
)

logger = logging.getLogger(__name__)


def post_register(*, deliverable: Deliverable, url: str) -> Post:
    """Follow the post at `url` for this deliverable (PostUrlError when it is not one)."""
    parsed = parse_post_url(url)
    collaboration = deliverable.collaboration
    lookup = (
        {"platform": parsed.platform, "platform_id": parsed.platform_id}
        if parsed.platform_id
        else {"url": parsed.url}
    )
    post, _created = Post.objects.get_or_create(
        workspace_id=deliverable.workspace_id,
        **lookup,
        defaults={
            "platform": parsed.platform,
            "platform_id": parsed.platform_id,
            "url": parsed.url,
            "collaboration": collaboration,
            "deliverable": deliverable,
            "published_at": deliverable.published_at,
            # Pulled at once, unless it is a short link no provider can read yet.
            "next_pull_at": timezone.now() if parsed.platform_id else None,
        },
    )
    return post


# Connections ----------------------------------------------------------------------------------


def connection_add_api_key(
    *, workspace: Workspace, user: User, label: str, key: str
) -> PlatformConnection:
    """A YouTube Data API key of the workspace's own (instead of the server-wide one)."""
    connection = PlatformConnection.objects.create(
        workspace=workspace,
        platform=Platform.YOUTUBE,
        kind=ConnectionKind.API_KEY,
        label=label,
        token=key,
        connected_by=user,
    )
    _resume_waiting_posts(workspace, Platform.YOUTUBE)
    return connection


class AccountMismatch(Exception):
    """The platform's account is not the roster's; the message says which is which."""


def grant_for_account(grants: Iterable[Grant], account: SocialAccount) -> Grant:
    """The grant of the roster's account among those a flow gave (Facebook Login gives every
    Page the person shares), matched by the platform's account ID or handle; AccountMismatch
    when none is it, naming what was signed in to."""
    candidates = [grant for grant in grants if grant.platform == account.platform]
    for grant in candidates:
        if _same_account(account, grant):
            return grant
    signed_in = ", ".join(_shown(grant) for grant in candidates) or "—"
    raise AccountMismatch(
        _(
            "You signed in as %(signed_in)s, but this collaboration is with %(platform)s "
            "@%(handle)s. Sign in with that account, or ask the brand to correct it."
        )
        % {
            "signed_in": signed_in,
            "platform": account.get_platform_display(),
            "handle": account.handle,
        }
    )


def _shown(grant: Grant) -> str:
    """How a signed-in account is named to the person: its handle, else its name or ID."""
    return f"@{grant.username}" if grant.username else grant.label or grant.external_id


def _same_account(account: SocialAccount, grant: Grant) -> bool:
    if account.platform_id and account.platform_id == grant.external_id:
        return True
    handle = _bare_handle(account.handle)
    return bool(handle) and handle in {
        _bare_handle(grant.username),
        _bare_handle(grant.external_id),
    }


def _bare_handle(handle: str) -> str:
    """A handle as platforms compare them: no @, no surrounding spaces, any case."""
    return handle.strip().lstrip("@").casefold()


@transaction.atomic
def connections_save_grants(
    *,
    workspace: Workspace,
    grants: Iterable[Grant],
    login: str,
    user: User | None = None,
    account: SocialAccount | None = None,
    portal_link: PortalLink | None = None,
) -> list[PlatformConnection]:
    """Store what an OAuth flow granted: one connection per account, replacing an older one
    of the same account (so reconnecting repairs it), and resume the posts that waited."""
    saved = []
    for grant in grants:
        connection, _created = PlatformConnection.objects.update_or_create(
            workspace=workspace,
            platform=grant.platform,
            external_id=grant.external_id,
            defaults={
                "kind": ConnectionKind.OAUTH,
                "login": login,
                "label": grant.label,
                "token": grant.token,
                "refresh_token": grant.refresh_token,
                "expires_at": grant.expires_at,
                "refresh_expires_at": grant.refresh_expires_at,
                "scopes": grant.scopes,
                "status": ConnectionStatus.ACTIVE,
                "last_error": "",
                "error_code": "",
                "connected_by": user,
                "portal_link": portal_link,
                "reconnect_asked_at": None,
                **({"account": account} if account is not None else {}),
            },
        )
        saved.append(connection)
        _resume_waiting_posts(workspace, grant.platform)
    return saved


def owners_tell(*, workspace: Workspace, message: Callable[[], str]) -> None:
    """A notification to the workspace's owners, worded in the workspace's language
    (`message` is called with it active)."""
    owners = Membership.objects.filter(workspace=workspace, role=Role.OWNER).values_list(
        "user_id", flat=True
    )
    with translation.override(workspace.language):
        text = message()
    notifications_create(workspace_id=workspace.pk, items=[(user, text, "") for user in owners])


def creator_connection_told(*, connection: PlatformConnection, connected: bool) -> None:
    """Tell the owners a creator connected an account, or took their consent back."""
    account = connection.account
    if account is None:
        return
    names = {
        "creator": account.creator.display_name,
        "platform": account.get_platform_display(),
        "handle": account.handle,
    }
    if connected:
        owners_tell(
            workspace=connection.workspace,
            message=lambda: (
                _(
                    "%(creator)s connected %(platform)s @%(handle)s: its posts and audience are "
                    "now read with their own permission."
                )
                % names
            ),
        )
    else:
        owners_tell(
            workspace=connection.workspace,
            message=lambda: (
                _(
                    "%(creator)s disconnected %(platform)s @%(handle)s: it is read with public "
                    "data only, or not at all, until they connect it again."
                )
                % names
            ),
        )


def connection_disconnect(*, connection: PlatformConnection) -> None:
    """Delete the tokens, so nothing can be read with them any more; the row stays so the
    history says who connected what."""
    connection.token = ""
    connection.refresh_token = ""
    connection.status = ConnectionStatus.DISCONNECTED
    connection.save(update_fields=["token", "refresh_token", "status", "updated_at"])


def connection_token_renew(*, connection: PlatformConnection, grant: Grant) -> None:
    connection.token = grant.token
    connection.refresh_token = grant.refresh_token or connection.refresh_token
    connection.expires_at = grant.expires_at
    connection.refresh_expires_at = grant.refresh_expires_at or connection.refresh_expires_at
    connection.save(
        update_fields=["token", "refresh_token", "expires_at", "refresh_expires_at", "updated_at"]
    )


def _resume_waiting_posts(workspace: Workspace, platform: str) -> None:
    """Posts paused for want of a working connection are pulled at the next minute."""
    Post.objects.for_workspace(workspace).filter(platform=platform).exclude(last_error="").exclude(
        status=PostStatus.DELETED
    ).filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__gt=timezone.now())).update(
        next_pull_at=timezone.now()
    )


# Figures people report ------------------------------------------------------------------------
