"""Writes of the tables results read (exchange rates, EMV values, tier benchmarks) and of
share links."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaigns.models import (
    Campaign,
)
from kolhub.models import ExchangeRate, User, Workspace
from tracking import marks
from tracking.models import (
    EmvRate,
    EngagementBenchmark,
    SharedReport,
)

logger = logging.getLogger(__name__)


def exchange_rate_set(*, workspace: Workspace, currency: str, into: str, rate: Decimal) -> None:
    """Add or change the rate of a currency pair; the opposite pair is dropped, since one rate
    serves both ways and two could disagree."""
    with transaction.atomic():
        ExchangeRate.objects.filter(workspace=workspace, currency=into, into=currency).delete()
        ExchangeRate.objects.update_or_create(
            workspace=workspace, currency=currency, into=into, defaults={"rate": rate}
        )
    marks.workspace_campaigns_changed(workspace.pk)


@transaction.atomic
def emv_rates_set(
    *, workspace: Workspace, currency: str, values: dict[tuple[str, str], Decimal | None]
) -> None:
    """The workspace's own EMV values (in `currency`); an empty one falls back to the default."""
    EmvRate.objects.filter(workspace=workspace).delete()
    EmvRate.objects.bulk_create(
        [
            EmvRate(
                workspace=workspace,
                platform=platform,
                action=action,
                value=value,
                currency=currency,
            )
            for (platform, action), value in values.items()
            if value is not None
        ]
    )
    marks.workspace_campaigns_changed(workspace.pk)


def exchange_rate_delete(*, rate: ExchangeRate) -> None:
    rate.delete()
    marks.workspace_campaigns_changed(rate.workspace_id)


def shared_report_create(
    *, campaign: Campaign, user: User, days: int, label: str = ""
) -> SharedReport:
    """A read-only link to the campaign's dashboard, valid for `days` days."""
    return SharedReport.objects.create(
        workspace_id=campaign.workspace_id,
        campaign=campaign,
        label=label,
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )


def shared_report_revoke(*, share: SharedReport) -> None:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])


def shared_report_opened(*, share: SharedReport) -> None:
    SharedReport.objects.filter(pk=share.pk).update(last_viewed_at=timezone.now())


@transaction.atomic
def engagement_benchmarks_set(
    *, workspace: Workspace, rates: dict[tuple[str, str], Decimal | None]
) -> None:
    """The workspace's own tier benchmarks; an empty one falls back to the default."""
    EngagementBenchmark.objects.filter(workspace=workspace).delete()
    EngagementBenchmark.objects.bulk_create(
        [
            EngagementBenchmark(workspace=workspace, platform=platform, tier=tier, rate=rate)
            for (platform, tier), rate in rates.items()
            if rate is not None
        ]
    )
    marks.account_scores_changed([workspace.pk])
