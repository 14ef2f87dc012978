"""How each creator account is read (its "door"): with the creator's own connection, with
public data through the workspace's connection, or not at all, and why. The connections page
shows it per account, so staff know which creators to ask to connect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignStatus
from creators.models import Platform, SocialAccount
from kolhub.models import Workspace
from tracking.ingest.selectors import READABLE
from tracking.models import ConnectionKind, ConnectionStatus, PlatformConnection

# Platforms whose public figures a workspace's own connection can read for any account:
# YouTube with an API key, Instagram professional accounts through business discovery.
PUBLIC_DOORS = {Platform.YOUTUBE: ConnectionKind.API_KEY, Platform.INSTAGRAM: ConnectionKind.OAUTH}
READABLE_PLATFORMS = READABLE
# Campaigns whose creators' accounts are worth a look: those being planned, run or observed.
CURRENT = (CampaignStatus.PLANNING, CampaignStatus.RUNNING, CampaignStatus.OBSERVING)
MAX_ROWS = 300


class Door(StrEnum):
    CREATOR = "creator"  # connected by the creator from their portal
    STAFF = "staff"  # the account's own token, connected by staff
    PUBLIC = "public"  # public figures only, through the workspace's connection
    DEMO = "demo"  # the demo workspace's generated figures
    NONE = "none"  # not readable


@dataclass(frozen=True)
class AccountDoor:
    account: SocialAccount
    door: Door
    expires_at: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class DoorGroup:
    """Accounts read the same way (and, when not readable, for the same reason)."""

    door: Door
    reason: str
    doors: list[AccountDoor]


# Groups this small are shown open; longer ones start folded, their count in the summary.
OPEN_UP_TO = 8


NOT_READABLE = {
    "own_only": _(
        "Only the creator's own connection can read it: send them their portal link to connect."
    ),
    "no_connection": _(
        "No connection of the workspace can read it yet (Settings → Platform connections)."
    ),
    "reconnect": _(
        "The creator's connection stopped working: they reconnect from their portal link."
    ),
}


def account_doors(workspace: Workspace) -> list[AccountDoor]:
    """The doors of the accounts of creators in current campaigns (at most MAX_ROWS)."""
    accounts = list(
        SocialAccount.objects.for_workspace(workspace)
        .filter(
            platform__in=READABLE_PLATFORMS,
            creator__collaborations__campaign__status__in=CURRENT,
        )
        .select_related("creator")
        .distinct()
        .order_by("creator__display_name", "platform", "handle")[:MAX_ROWS]
    )
    connections = PlatformConnection.objects.for_workspace(workspace).exclude(
        status=ConnectionStatus.DISCONNECTED
    )
    if workspace.is_demo:  # its figures are generated, whatever is connected
        return [AccountDoor(account, Door.DEMO) for account in accounts]
    own = {c.account_id: c for c in connections.filter(account__in=accounts).order_by("pk")}
    public = _public_platforms(connections)
    return [_door(account, own.get(account.pk), public) for account in accounts]


def door_groups(doors: list[AccountDoor]) -> list[DoorGroup]:
    """The doors grouped by how (and why not) the accounts are read, best door first."""
    groups: dict[tuple[Door, str], list[AccountDoor]] = {}
    for door in doors:
        groups.setdefault((door.door, door.reason), []).append(door)
    order = list(Door)
    return [
        DoorGroup(door, reason, members)
        for (door, reason), members in sorted(groups.items(), key=lambda g: order.index(g[0][0]))
    ]


def _public_platforms(connections) -> set[str]:
    working = connections.filter(status=ConnectionStatus.ACTIVE, account__isnull=True)
    platforms = {
        platform
        for platform, kind in working.values_list("platform", "kind")
        if PUBLIC_DOORS.get(platform) == kind
    }
    if settings.YOUTUBE_API_KEY:
        platforms.add(Platform.YOUTUBE)
    return platforms


def _door(account: SocialAccount, own: PlatformConnection | None, public: set[str]) -> AccountDoor:
    if own is not None and own.status == ConnectionStatus.ACTIVE and own.token:
        door = Door.CREATOR if own.by_creator else Door.STAFF
        return AccountDoor(account, door, expires_at=own.expires_at)
    if account.platform in public:
        return AccountDoor(account, Door.PUBLIC)
    if own is not None:
        reason = NOT_READABLE["reconnect"]
    elif account.platform in PUBLIC_DOORS:
        reason = NOT_READABLE["no_connection"]
    else:
        reason = NOT_READABLE["own_only"]
    return AccountDoor(account, Door.NONE, reason=str(reason))
