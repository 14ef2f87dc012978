"""Daily API quotas counted per credential, so every worker spends from one budget."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tracking.ingest.providers.base import RateLimited
from tracking.models import ApiQuota

# YouTube's quota day ends at midnight Pacific Time.
QUOTA_ZONE = ZoneInfo("America/Los_Angeles")


def fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def quota_day(now: datetime) -> date:
    return now.astimezone(QUOTA_ZONE).date()


def quota_reset_after(now: datetime) -> datetime:
    tomorrow = quota_day(now) + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=QUOTA_ZONE)


def quota_spend(*, platform: str, token: str, units: int, limit: int) -> None:
    """Book `units` of today's quota before a call, or raise RateLimited until the reset."""
    now = timezone.now()
    with transaction.atomic():
        usage, _created = ApiQuota.objects.select_for_update().get_or_create(
            platform=platform, credential=fingerprint(token), day=quota_day(now)
        )
        if usage.units + units > limit:
            raise RateLimited(
                f"Daily {platform} quota used up ({usage.units} of {limit} units)",
                retry_at=quota_reset_after(now),
            )
        ApiQuota.objects.filter(pk=usage.pk).update(units=F("units") + units)


def quota_exhaust(*, platform: str, token: str, limit: int) -> datetime:
    """The platform says the quota is gone: book the rest of the day; return the reset time."""
    now = timezone.now()
    ApiQuota.objects.update_or_create(
        platform=platform,
        credential=fingerprint(token),
        day=quota_day(now),
        defaults={"units": limit},
    )
    return quota_reset_after(now)


def quota_spent_today(*, platform: str, token: str) -> int:
    usage = ApiQuota.objects.filter(
        platform=platform, credential=fingerprint(token), day=quota_day(timezone.now())
    ).first()
    return usage.units if usage else 0
