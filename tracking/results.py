"""A campaign's results: the scoring inputs read in a fixed number of queries, the figures
computed by tracking.scoring, and their stored copy that the pages read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, Collaboration, Deliverable, Stage
from creators.audience import unpack_identifiers
from creators.models import AudienceSample, SocialAccount
from kolhub.models import ExchangeRate
from tracking.models import (
    COUNTERS,
    CampaignResult,
    ClickDay,
    Conversion,
    EmvRate,
    MetricSnapshot,
    Post,
)
from tracking.scoring.campaign import ENGAGEMENT_COUNTERS
from tracking.scoring.defaults import DEFAULT_EMV_VALUES, EMV_CURRENCY
from tracking.scoring.money import Rates
from tracking.scoring.overlap import audience_overlap, deduplicated_reach, union_size
from tracking.scoring.report import ReportInputs, campaign_report

# Money recorded on a collaboration counts as spent once it is agreed, and stays spent when
# the creator later vanishes or the deal is cancelled (the product was already sent).
NOT_COSTED = {Stage.SHORTLISTED, Stage.CONTACTED, Stage.NEGOTIATING, Stage.DECLINED}
MAX_SERIES_POINTS = 1000
COST_COLUMNS = ["fee", "product_cost", "shipping_cost", "other_cost"]


def _frame(rows: QuerySet | list, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


def exchange_rates(workspace_id: int) -> Rates:
    rows = ExchangeRate.objects.filter(workspace_id=workspace_id).values_list(
        "currency", "into", "rate"
    )
    return {(currency, into): rate for currency, into, rate in rows}


def emv_table(workspace_id: int) -> pd.DataFrame:
    """The workspace's EMV values, with the documented defaults where it has none."""
    own = {
        (platform, action): (value, currency)
        for platform, action, value, currency in EmvRate.objects.filter(
            workspace_id=workspace_id
        ).values_list("platform", "action", "value", "currency")
    }
    defaults = {
        (platform, action): (value, EMV_CURRENCY)
        for platform, actions in DEFAULT_EMV_VALUES.items()
        for action, value in actions.items()
    }
    rows = [(*key, *value) for key, value in (defaults | own).items()]
    return _frame(rows, ["platform", "action", "value", "currency"])


def report_inputs(campaign: Campaign) -> ReportInputs:
    """Everything campaign_report needs, in eight queries whatever the campaign's size."""
    ws = campaign.workspace_id
    collab_rows = list(
        Collaboration.objects.filter(workspace_id=ws, campaign=campaign)
        .exclude(stage__in=NOT_COSTED)
        .values_list(
            "pk",
            "creator_id",
            "creator__display_name",
            "creator__authenticity_score",
            "tier",
            "currency",
            *COST_COLUMNS,
        )
    )
    collaborations = _frame(
        [(pk, *rest) for pk, _creator, *rest in collab_rows],
        ["collaboration", "name", "authenticity", "tier", "currency", *COST_COLUMNS],
    )
    collab_of_creator = {creator: pk for pk, creator, *_rest in collab_rows}
    accounts = _frame(
        [
            (collab_of_creator[creator], platform, handle, followers)
            for creator, platform, handle, followers in SocialAccount.objects.filter(
                workspace_id=ws, creator_id__in=collab_of_creator
            ).values_list("creator_id", "platform", "handle", "followers")
        ],
        ["collaboration", "platform", "handle", "followers"],
    )
    in_campaign = {"workspace_id": ws, "collaboration_id__in": collab_of_creator.values()}
    post_columns = ["collaboration_id", "platform", "status", *COUNTERS]
    posts = _frame(
        Post.objects.filter(**in_campaign).values_list(*post_columns),
        ["collaboration", "platform", "status", *COUNTERS],
    ).astype(dict.fromkeys(COUNTERS, "float64"))
    return ReportInputs(
        currency=campaign.currency,
        collaborations=collaborations,
        accounts=accounts,
        posts=posts,
        deliverables=_frame(
            Deliverable.objects.filter(**in_campaign).values_list("collaboration_id", "platform"),
            ["collaboration", "platform"],
        ),
        clicks=_frame(
            ClickDay.objects.filter(
                workspace_id=ws, link__collaboration_id__in=collab_of_creator.values()
            )
            .values("link__collaboration_id")
            .annotate(total=Sum("clicks"))
            .values_list("link__collaboration_id", "total"),
            ["collaboration", "clicks"],
        ),
        conversions=_frame(
            Conversion.objects.filter(**in_campaign).values_list(
                "collaboration_id", "amount", "refunded", "currency", "cancelled"
            ),
            ["collaboration", "amount", "refunded", "currency", "cancelled"],
        ),
        emv_table=emv_table(ws),
        rates=exchange_rates(ws),
    )


def series_unit(first: Any, last: Any) -> tuple[str, Any]:
    """The coarsest of day, week, month that keeps the series at most MAX_SERIES_POINTS long."""
    days = (last - first).days + 1
    if days <= MAX_SERIES_POINTS:
        return "day", TruncDay
    if days <= MAX_SERIES_POINTS * 7:
        return "week", TruncWeek
    return "month", TruncMonth


def campaign_series(campaign: Campaign) -> list[dict[str, Any]]:
    """Views and engagements of the campaign's posts, summed per day (or week, or month),
    each post counted at its latest value up to that point. The database groups snapshots
    per post and period, so at most MAX_SERIES_POINTS periods leave it whatever the span."""
    snapshots = MetricSnapshot.objects.filter(
        workspace_id=campaign.workspace_id, post__collaboration__campaign=campaign
    )
    span = snapshots.aggregate(first=Min("bucket"), last=Max("bucket"))
    if span["first"] is None:
        return []
    unit, trunc = series_unit(span["first"], span["last"])
    tz = timezone.get_current_timezone()
    rows = (
        snapshots.annotate(period=trunc("bucket", tzinfo=tz))
        .values("post_id", "period")
        .annotate(**{name: Max(name) for name in ("views", *ENGAGEMENT_COUNTERS)})
        .values_list("post_id", "period", "views", *ENGAGEMENT_COUNTERS)
    )
    frame = _frame(rows, ["post", "period", "views", *ENGAGEMENT_COUNTERS])
    return daily_totals(frame, unit)


def daily_totals(frame: pd.DataFrame, unit: str) -> list[dict[str, Any]]:
    """Σ over posts of each post's latest views and engagements at every period (a post
    keeps its last value until its next snapshot)."""
    frame = frame.assign(
        engagements=frame[list(ENGAGEMENT_COUNTERS)].astype("float64").fillna(0).sum(axis=1),
        views=frame["views"].astype("float64"),
    )
    totals = {}
    for name in ("views", "engagements"):
        wide = frame.pivot_table(index="period", columns="post", values=name, aggfunc="max")
        totals[name] = wide.sort_index().ffill().sum(axis=1, min_count=1)
    result = pd.DataFrame(totals)
    return [
        {
            "period": period.date().isoformat(),
            "unit": unit,
            "views": None if pd.isna(row["views"]) else int(row["views"]),
            "engagements": int(row["engagements"]) if not pd.isna(row["engagements"]) else 0,
        }
        for period, row in result.iterrows()
    ]


def campaign_report_fresh(campaign: Campaign) -> dict[str, Any]:
    """The campaign's figures computed now, as JSON-ready values."""
    return jsonable(campaign_report(report_inputs(campaign)))


def campaign_result_compute(campaign: Campaign) -> CampaignResult:
    """Recompute and store the campaign's figures, series and audience overlap (the debounced
    task calls this)."""
    report = campaign_report_fresh(campaign)
    report["overlap"] = jsonable(roster_overlap(campaign, report["creators"]))
    result, _created = CampaignResult.objects.update_or_create(
        campaign=campaign,
        defaults={
            "workspace_id": campaign.workspace_id,
            "report": report,
            "series": campaign_series(campaign),
            "computed_at": timezone.now(),
        },
    )
    return result


def jsonable(value: Any) -> Any:
    """Decimals as numbers (money is in cents, exact in a float's 15 digits), NaN as None."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # a numpy scalar
        return jsonable(value.item())
    return value


def campaigns_of_posts(post_ids: Iterable[int]) -> set[int]:
    ids = list(post_ids)
    campaigns: set[int] = set()
    for start in range(0, len(ids), 10_000):
        campaigns.update(
            Post.objects.filter(pk__in=ids[start : start + 10_000])
            .values_list("collaboration__campaign_id", flat=True)
            .distinct()
        )
    return campaigns


def results_recompute_soon(campaign_ids: Iterable[int]) -> None:
    """Recompute each campaign's figures RESULTS_DEBOUNCE_SECONDS from now, once: the events
    of a burst (a run of pulls, a flurry of orders) share one computation. The task clears
    the mark before computing, so an event during the computation schedules the next one."""
    from tracking.tasks import recompute_campaign_results  # the task module imports this one

    delay = settings.RESULTS_DEBOUNCE_SECONDS
    for campaign_id in set(campaign_ids):
        # The mark expires on its own if the task is lost, so the campaign is not stuck.
        if cache.add(results_due_key(campaign_id), 1, timeout=delay * 10 + 60):
            transaction.on_commit(
                partial(recompute_campaign_results.apply_async, args=[campaign_id], countdown=delay)
            )


def results_due_key(campaign_id: int) -> str:
    return f"tracking:results-due:{campaign_id}"


def campaigns_needing_results(now: datetime | None = None) -> list[int]:
    """Campaigns still being watched (running, or observed until their window ends) whose
    stored figures are missing or older than an hour: edits on the campaign side (costs,
    the roster) reach the figures within the hour even without a tracking event."""
    now = now or timezone.now()
    return list(
        Campaign.objects.filter(
            status__in=[CampaignStatus.RUNNING, CampaignStatus.OBSERVING],
            observation_ends_on__gte=now.date(),
        )
        .filter(Q(result__isnull=True) | Q(result__computed_at__lt=now - timedelta(hours=1)))
        .values_list("pk", flat=True)
    )


def results_recompute_for_collaborations(collaboration_ids: Iterable[int | None]) -> None:
    """results_recompute_soon for the campaigns of these collaborations (None is skipped)."""
    ids = {pk for pk in collaboration_ids if pk is not None}
    if ids:
        results_recompute_soon(
            Collaboration.objects.filter(pk__in=ids).values_list("campaign_id", flat=True)
        )


def roster_samples(campaign: Campaign) -> dict[int, tuple[int, str, str, np.ndarray]]:
    """collaboration → (account, handle, platform, member hashes): each contracted creator's
    biggest account with an audience sample, its latest sample (two queries)."""
    collaboration_of = dict(
        Collaboration.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
        .exclude(stage__in=NOT_COSTED)
        .values_list("creator_id", "pk")
    )
    rows = (
        AudienceSample.objects.filter(
            workspace_id=campaign.workspace_id, account__creator_id__in=collaboration_of
        )
        .order_by("-account__followers", "-created_at")
        .values_list(
            "account__creator_id", "account_id", "account__handle", "account__platform", "hashes"
        )
    )
    chosen: dict[int, tuple[int, str, str, np.ndarray]] = {}
    for creator, account, handle, platform, packed in rows:
        collaboration = collaboration_of[creator]
        if collaboration not in chosen:
            chosen[collaboration] = (account, handle, platform, unpack_identifiers(bytes(packed)))
    return chosen


def roster_overlap(campaign: Campaign, creators: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The roster's audience overlap and deduplicated reach, for the stored report; None when
    fewer than two creators have an audience sample."""
    chosen = roster_samples(campaign)
    if len(chosen) < 2:
        return None
    samples = {account: hashes for account, _h, _p, hashes in chosen.values()}
    overlap = audience_overlap(samples)
    reach_of = {
        row["collaboration"]: row.get("reach") or row.get("impressions") for row in creators
    }
    reach = {
        account: float(value)
        for collab, (account, *_rest) in chosen.items()
        if (value := reach_of.get(collab))
    }
    return {
        "accounts": [
            {"account": account, "handle": handle, "platform": platform, "size": len(hashes)}
            for account, handle, platform, hashes in chosen.values()
        ],
        "directional": np.round(overlap.directional, 4).tolist(),
        "method": overlap.method,
        "error_bound": overlap.error_bound,
        "sampled_members": int(overlap.sizes.sum()),
        "distinct_members": union_size(samples),
        "reach": sum(reach.values()),
        "deduplicated_reach": round(deduplicated_reach(reach, samples)) if reach else None,
    }
