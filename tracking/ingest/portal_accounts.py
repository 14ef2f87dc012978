"""What a creator's portal shows about their accounts: which can be connected, with which
login, what the brand will then see, and how each is read today."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Deliverable, PortalLink
from creators.models import Platform, SocialAccount
from tracking.ingest.oauth import LOGINS
from tracking.models import ConnectionStatus, PlatformConnection

# The logins a creator may connect each platform with, the platform's own first. Instagram
# accounts tied to a Facebook Page may also come through Facebook Login.
PORTAL_LOGINS: dict[str, tuple[str, ...]] = {
    Platform.INSTAGRAM: ("instagram", "facebook"),
    Platform.FACEBOOK: ("facebook",),
    Platform.THREADS: ("threads",),
    Platform.YOUTUBE: ("google",),
    Platform.TIKTOK: ("tiktok",),
}

# What the brand sees once an account is connected: one sentence each, in the creator's
# language. Kept in step with what the providers read (tracking.ingest.providers).
WHAT_IS_READ: dict[str, Any] = {
    Platform.INSTAGRAM: _(
        "Your posts' views, reach, likes, comments, saves and shares, your follower count, "
        "your followers' age, gender, countries and cities, and the texts of recent comments "
        "(never who wrote them)."
    ),
    Platform.FACEBOOK: _(
        "Your Page posts' views, reactions, comments, shares and clicks, your Page's follower "
        "count, and your followers' countries and cities."
    ),
    Platform.THREADS: _(
        "Your posts' views, likes, replies, reposts and quotes, your follower count, and your "
        "followers' age, gender, countries and cities."
    ),
    Platform.YOUTUBE: _(
        "Your videos' views, likes, comments and watch time, your subscriber count, your "
        "viewers' age, gender and countries, and the texts of recent comments (never who wrote "
        "them)."
    ),
    Platform.TIKTOK: _(
        "Your videos' views, likes, comments and shares, and your follower and video counts."
    ),
}


@dataclass(frozen=True)
class ConnectOption:
    login: str
    label: str


@dataclass(frozen=True)
class PortalAccountRow:
    account: SocialAccount
    connection: PlatformConnection | None  # the one reading it with the creator's consent
    broken: PlatformConnection | None  # one that needs reconnecting, when none works
    options: tuple[ConnectOption, ...]  # the logins set up on this server, own one first
    reads: str
    in_collaboration: bool


def connect_options(platform: str) -> tuple[ConnectOption, ...]:
    options = []
    for name in PORTAL_LOGINS[platform]:
        login = LOGINS[name]
        if not login.configured():
            continue
        if name == "facebook" and platform == Platform.INSTAGRAM:
            label = gettext("My Instagram is linked to a Facebook Page: connect with Facebook")
        else:
            label = gettext("Connect with %(service)s") % {"service": login.service}
        options.append(ConnectOption(name, label))
    return tuple(options)


def portal_account_rows(link: PortalLink) -> list[PortalAccountRow]:
    """The creator's accounts on platforms they can connect, those the collaboration posts on
    first, each with the connection that reads it."""
    collaboration = link.collaboration
    accounts = list(
        SocialAccount.objects.filter(
            workspace_id=link.workspace_id,
            creator_id=collaboration.creator_id,
            platform__in=PORTAL_LOGINS,
        ).order_by("platform", "handle")
    )
    used = set(
        Deliverable.objects.filter(collaboration=collaboration).values_list("platform", flat=True)
    )
    connections = _by_account(link.workspace_id, [account.pk for account in accounts])
    rows = [
        PortalAccountRow(
            account=account,
            connection=_working(connections.get(account.pk, [])),
            broken=_needing_reconnect(connections.get(account.pk, [])),
            options=connect_options(account.platform),
            reads=str(WHAT_IS_READ[account.platform]),
            in_collaboration=account.platform in used,
        )
        for account in accounts
    ]
    return sorted(rows, key=lambda row: not row.in_collaboration)


def _by_account(workspace_id: int, account_ids: list[int]) -> dict[int, list[PlatformConnection]]:
    grouped: dict[int, list[PlatformConnection]] = {}
    connections = PlatformConnection.objects.filter(
        workspace_id=workspace_id, account_id__in=account_ids
    ).filter(~Q(status=ConnectionStatus.DISCONNECTED))
    for connection in connections.order_by("-updated_at"):
        if connection.account_id is not None:
            grouped.setdefault(connection.account_id, []).append(connection)
    return grouped


def _working(connections: list[PlatformConnection]) -> PlatformConnection | None:
    return next((c for c in connections if c.status == ConnectionStatus.ACTIVE and c.token), None)


def _needing_reconnect(connections: list[PlatformConnection]) -> PlatformConnection | None:
    if _working(connections) is not None:
        return None
    return next((c for c in connections if c.status == ConnectionStatus.NEEDS_RECONNECT), None)
