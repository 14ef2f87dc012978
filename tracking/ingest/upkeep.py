"""Keeping connections alive between reads: tokens renewed by the worker before they lapse
(where the platform allows it without the person), and creators asked to reconnect, by e-mail
with their portal link, when only they can mend a connection they made."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import PortalLink
from tracking.ingest.providers.base import AuthExpired, ProviderError
from tracking.ingest.pulls import connection_refused, connection_renew_if_due
from tracking.models import ConnectionKind, ConnectionStatus, PlatformConnection

logger = logging.getLogger(__name__)

# The longest any login renews ahead (Instagram and Threads: a week), so one daily look
# finds every token that is due.
LOOK_AHEAD = timedelta(days=7)
# A creator is warned this long before a grant that cannot be renewed without them lapses
# (TikTok's refresh token ends; a Facebook user's Page may lose its token).
WARN_AHEAD = timedelta(days=7)


@dataclass
class UpkeepReport:
    renewed: int = 0
    refused: int = 0
    asked: int = 0


def connections_upkeep(*, now: datetime | None = None) -> UpkeepReport:
    now = now or timezone.now()
    report = UpkeepReport()
    for connection in _renewal_candidates(now):
        before = connection.expires_at
        try:
            connection_renew_if_due(connection)
        except AuthExpired as exc:
            connection_refused(connection.pk, error=exc)
            report.refused += 1
        except ProviderError as exc:  # unreachable for now: the next look tries again
            logger.info("Connection %s not renewed: %s", connection.pk, exc.detail)
        else:
            report.renewed += connection.expires_at != before
    report.asked = creators_ask_to_reconnect(now=now)
    return report


def _renewal_candidates(now: datetime):
    return PlatformConnection.objects.filter(
        kind=ConnectionKind.OAUTH,
        status=ConnectionStatus.ACTIVE,
        expires_at__lte=now + LOOK_AHEAD,
    ).exclude(token="")


def creators_ask_to_reconnect(*, now: datetime) -> int:
    """E-mail each creator whose own connection broke, or will lapse beyond renewal, once."""
    lapsing = Q(status=ConnectionStatus.ACTIVE) & (
        Q(refresh_expires_at__lte=now + WARN_AHEAD)
        | Q(refresh_token="", expires_at__lte=now + WARN_AHEAD, login__in=("facebook", "tiktok"))
    )
    due = (
        PlatformConnection.objects.filter(
            portal_link__isnull=False,
            account__isnull=False,
            reconnect_asked_at__isnull=True,
        )
        .filter(Q(status=ConnectionStatus.NEEDS_RECONNECT) | lapsing)
        .select_related("account__creator", "workspace")
    )
    asked = 0
    for connection in due:
        if _ask(connection):
            asked += 1
        # Asked or not (no address, no usable link), it is not looked at again until the
        # creator reconnects: a daily retry would only repeat the same outcome.
        PlatformConnection.objects.filter(pk=connection.pk).update(reconnect_asked_at=now)
    return asked


def _ask(connection: PlatformConnection) -> bool:
    assert connection.account is not None  # the query asked for creators' connections only
    creator = connection.account.creator
    link = _usable_link(connection, creator.pk)
    if not creator.email or link is None:
        return False
    with translation.override(link.language):
        context = {
            "creator": creator,
            "connection": connection,
            "brand": link.collaboration.campaign.brand.name,
            "accounts_url": settings.SITE_URL + reverse("portal_accounts", args=[link.token]),
            "broken": connection.status == ConnectionStatus.NEEDS_RECONNECT,
        }
        subject = _("%(brand)s: please reconnect your %(platform)s account") % {
            "brand": context["brand"],
            "platform": connection.get_platform_display(),
        }
        body = render_to_string("tracking/email/creator_reconnect.txt", context)
    send_mail(" ".join(subject.splitlines()), body, None, [creator.email])
    return True


def _usable_link(connection: PlatformConnection, creator_id: int) -> PortalLink | None:
    """The creator's newest working portal link in the workspace (the one they connected
    from may have been replaced since)."""
    return (
        PortalLink.objects.filter(
            workspace_id=connection.workspace_id,
            collaboration__creator_id=creator_id,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("collaboration__campaign__brand")
        .order_by("-created_at")
        .first()
    )
