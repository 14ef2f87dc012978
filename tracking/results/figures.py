"""A campaign's results: the scoring inputs read in a fixed number of queries, the figures
computed by tracking.results.scoring, and their stored copy that the pages read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import F, Max, Min, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from campaigns import stages
from campaigns.models import Campaign, Collaboration, Deliverable
from creators.audience import unpack_identifiers
from creators.models import AudienceProfile, AudienceSample, SocialAccount
from kolhub.selectors import exchange_rates
from tracking.models import (
    COUNTERS,
    CampaignResult,
    ClickDay,
    Conversion,
    EmvRate,
    MetricSnapshot,
    Post,
)
from tracking.results.scoring.campaign import ENGAGEMENT_COUNTERS
from tracking.results.scoring.defaults import DEFAULT_EMV_VALUES, EMV_CURRENCY
from tracking.results.scoring.fit import audience_fit
from tracking.results.scoring.overlap import audience_overlap, deduplicated_reach, union_size
from tracking.results.scoring.report import ReportInputs, campaign_report

MAX_SERIES_POINTS = 1000
COST_COLUMNS = ["fee", "product_cost", "shipping_cost", "other_cost"]


def _frame(rows: QuerySet | list, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


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
    return report_inputs_many(campaign.workspace_id, [campaign])[campaign.pk]


def report_inputs_many(workspace_id: int, campaigns: list[Campaign]) -> dict[int, ReportInputs]:
    """The inputs of several campaigns of a workspace, in eight queries for all of them."""
    ws = workspace_id
    ids = [campaign.pk for campaign in campaigns]
    collab_rows = list(
        Collaboration.objects.filter(workspace_id=ws, campaign_id__in=ids)
        .filter(stage__in=stages.COSTED)
        .values_list(
            "campaign_id",
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
        collab_rows,
        [
            "campaign",
            "collaboration",
            "creator",
            "name",
            "authenticity",
            "tier",
            "currency",
            *COST_COLUMNS,
        ],
    )
    campaign_of = dict(
        zip(collaborations["collaboration"], collaborations["campaign"], strict=True)
    )
    collabs_of_creator: dict[int, list[int]] = {}
    for _campaign, pk, creator, *_rest in collab_rows:
        collabs_of_creator.setdefault(creator, []).append(pk)
    accounts = _frame(
        [
            (collab, *account)
            for creator, *account in SocialAccount.objects.filter(
                workspace_id=ws, creator_id__in=collabs_of_creator
            ).values_list(
                "creator_id",
                "platform",
                "handle",
                "followers",
                "avg_views",
                "score__organic_rate",
            )
            for collab in collabs_of_creator[creator]
        ],
        ["collaboration", "platform", "handle", "followers", "avg_views", "organic_rate"],
    )
    in_campaigns = {"workspace_id": ws, "collaboration__campaign_id__in": ids}
    posts = _frame(
        Post.objects.filter(**in_campaigns).values_list(
            "collaboration_id", "platform", "status", *COUNTERS
        ),
        ["collaboration", "platform", "status", *COUNTERS],
    ).astype(dict.fromkeys(COUNTERS, "float64"))
    frames = {
        "collaborations": collaborations,
        "accounts": accounts,
        "posts": posts,
        "deliverables": _frame(
            Deliverable.objects.filter(**in_campaigns).values_list("collaboration_id", "platform"),
            ["collaboration", "platform"],
        ),
        "clicks": _frame(
            ClickDay.objects.filter(workspace_id=ws, link__collaboration__campaign_id__in=ids)
            .values("link__collaboration_id")
            .annotate(total=Sum("clicks"))
            .values_list("link__collaboration_id", "total"),
            ["collaboration", "clicks"],
        ),
        "conversions": _frame(
            Conversion.objects.filter(**in_campaigns).values_list(
                "collaboration_id", "amount", "refunded", "currency", "cancelled"
            ),
            ["collaboration", "amount", "refunded", "currency", "cancelled"],
        ),
    }
    # Rows of collaborations not costed (shortlisted, declined…) belong to no campaign here.
    split = {
        name: _split_by_campaign(frame, campaign_of, ids)
        for name, frame in frames.items()
        if name != "collaborations"
    }
    by_campaign = {
        key: group.drop(columns="campaign") for key, group in collaborations.groupby("campaign")
    }
    emv, rates = emv_table(ws), exchange_rates(ws)
    return {
        campaign.pk: ReportInputs(
            currency=campaign.currency,
            collaborations=by_campaign.get(
                campaign.pk, collaborations.iloc[:0].drop(columns="campaign")
            ),
            emv_table=emv,
            rates=rates,
            **{name: parts[campaign.pk] for name, parts in split.items()},
        )
        for campaign in campaigns
    }


def _split_by_campaign(
    frame: pd.DataFrame, campaign_of: dict[int, int], ids: list[int]
) -> dict[int, pd.DataFrame]:
    keys = frame["collaboration"].map(campaign_of)
    groups = dict(list(frame.groupby(keys)))
    return {pk: groups.get(pk, frame.iloc[:0]) for pk in ids}


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
    each post counted at its latest value up to that point."""
    return campaign_series_many(campaign.workspace_id, [campaign.pk])[campaign.pk]


def campaign_series_many(workspace_id: int, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The series of several campaigns: one query for their spans, then one per period unit.

    The database does the work and returns one row per campaign and period: it takes each
    post's highest reading per period, turns those into increments over the post's previous
    period (LAG), and adds the increments of all posts per period; a running total of the
    increments is then the sum of every post's latest value. At most MAX_SERIES_POINTS rows
    per campaign leave it."""
    # The posts the figures count: those of collaborations whose money counts (a post filed
    # early for a creator still negotiating is in neither the totals nor the series).
    snapshots = MetricSnapshot.objects.filter(
        workspace_id=workspace_id,
        post__collaboration__campaign_id__in=ids,
        post__collaboration__stage__in=stages.COSTED,
    )
    spans = (
        snapshots.values("post__collaboration__campaign_id")
        .annotate(first=Min("bucket"), last=Max("bucket"))
        .values_list("post__collaboration__campaign_id", "first", "last")
    )
    by_unit: dict[tuple[str, Any], list[int]] = {}
    for campaign_id, first, last in spans:
        by_unit.setdefault(series_unit(first, last), []).append(campaign_id)
    series: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for (unit, trunc), campaign_ids in by_unit.items():
        per_post = (
            snapshots.filter(post__collaboration__campaign_id__in=campaign_ids)
            .annotate(
                campaign=F("post__collaboration__campaign_id"),
                period=trunc("bucket", tzinfo=timezone.get_current_timezone()),
            )
            .values("campaign", "post_id", "period")
            .annotate(
                views=Max("views"),
                engagements=sum(
                    (Coalesce(Max(name), 0) for name in ENGAGEMENT_COUNTERS[1:]),
                    Coalesce(Max(ENGAGEMENT_COUNTERS[0]), 0),
                ),
            )
            .values("campaign", "post_id", "period", "views", "engagements")
        )
        inner, params = per_post.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(SERIES_SQL.format(per_post=inner), params)
            rows = cursor.fetchall()
        periods: dict[int, list[tuple]] = {}
        for campaign_id, *period in rows:
            periods.setdefault(campaign_id, []).append(tuple(period))
        for campaign_id, campaign_rows in periods.items():
            series[campaign_id] = running_totals(campaign_rows, unit)
    return series


# Increments per post and period, added up per period (window functions: PostgreSQL, SQLite).
SERIES_SQL = """
SELECT campaign, period, SUM(views_gain), SUM(engagements_gain), COUNT(views)
FROM (
    SELECT campaign, period, views,
        COALESCE(views, 0) - COALESCE(LAG(views) OVER by_post, 0) AS views_gain,
        engagements - COALESCE(LAG(engagements) OVER by_post, 0) AS engagements_gain
    FROM ({per_post}) AS per_post
    WINDOW by_post AS (PARTITION BY post_id ORDER BY period)
) AS gains
GROUP BY campaign, period
ORDER BY campaign, period
"""


def running_totals(rows: list[tuple], unit: str) -> list[dict[str, Any]]:
    """The period rows (period, views gain, engagements gain, readings with views) as points:
    views stay unknown until some post has reported them."""
    points, views, engagements, views_seen = [], 0, 0, 0
    for period, views_gain, engagements_gain, with_views in rows:
        views += int(views_gain or 0)
        engagements += int(engagements_gain or 0)
        views_seen += int(with_views or 0)
        points.append(
            {
                "period": str(period)[:10],  # a datetime (PostgreSQL) or its text (SQLite)
                "unit": unit,
                "views": views if views_seen else None,
                "engagements": engagements,
            }
        )
    return points


def campaign_report_fresh(campaign: Campaign) -> dict[str, Any]:
    """The campaign's figures computed now, as JSON-ready values, with audience fit."""
    report = jsonable(campaign_report(report_inputs(campaign)))
    attach_audience_fit(campaign.workspace_id, [(campaign, report)])
    return report


def workspace_results_compute(workspace_id: int) -> int:
    """Recompute every campaign of a workspace at once: the inputs and series of all of them
    in about a dozen queries, then one upsert. Returns the campaigns computed."""
    campaigns = list(Campaign.objects.filter(workspace_id=workspace_id))
    inputs = report_inputs_many(workspace_id, campaigns)
    series = campaign_series_many(workspace_id, [campaign.pk for campaign in campaigns])
    sampled = AudienceSample.objects.filter(workspace_id=workspace_id).exists()
    now = timezone.now()
    reports = [(campaign, jsonable(campaign_report(inputs[campaign.pk]))) for campaign in campaigns]
    attach_audience_fit(workspace_id, reports)
    rows = []
    for campaign, report in reports:
        report["overlap"] = (
            jsonable(roster_overlap(campaign, report["creators"])) if sampled else None
        )
        rows.append(
            CampaignResult(
                workspace_id=workspace_id,
                campaign=campaign,
                report=report,
                series=series[campaign.pk],
                computed_at=now,
            )
        )
    CampaignResult.objects.bulk_create(
        rows,
        batch_size=200,
        update_conflicts=True,
        unique_fields=["campaign"],
        update_fields=["report", "series", "computed_at"],
    )
    return len(rows)


def attach_audience_fit(workspace_id: int, reports: list[tuple[Campaign, dict]]) -> None:
    """Each creator row's audience fit to its campaign's target persona (0–100 overall and per
    dimension), from the latest audience profile of the creator's account on the row's
    platform, else of their biggest account with one; and the campaign's mean. One query."""
    wanted = [(campaign, report) for campaign, report in reports if campaign.target_audience]
    creators = {row["creator"] for _c, report in wanted for row in report["creators"]}
    profiles: dict[int, dict[str, dict]] = {}
    biggest: dict[int, dict] = {}
    for creator, platform, age, gender, countries, cities in (
        AudienceProfile.objects.filter(workspace_id=workspace_id, account__creator_id__in=creators)
        .order_by("-account__followers", "-captured_on", "-pk")
        .values_list(
            "account__creator_id", "account__platform", "age", "gender", "countries", "cities"
        )
    ):
        audience = {"age": age, "gender": gender, "countries": countries, "cities": cities}
        profiles.setdefault(creator, {}).setdefault(platform, audience)
        biggest.setdefault(creator, audience)
    for campaign, report in reports:
        fits = []
        for row in report["creators"]:
            found = profiles.get(row["creator"], {}).get(row["platform"]) or biggest.get(
                row["creator"]
            )
            fit = audience_fit(found, campaign.target_audience) if found else None
            row["audience_fit"] = fit["overall"] if fit and campaign.target_audience else None
            row["audience_fit_dimensions"] = fit["dimensions"] if fit else {}
            if row["audience_fit"] is not None:
                fits.append(row["audience_fit"])
        report["audience_fit"] = round(sum(fits) / len(fits), 1) if fits else None


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


def roster_samples(campaign: Campaign) -> dict[int, tuple[int, str, str, np.ndarray]]:
    """collaboration → (account, handle, platform, member hashes): each contracted creator's
    biggest account with an audience sample, its latest sample (two queries)."""
    collaboration_of = dict(
        Collaboration.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
        .filter(stage__in=stages.COSTED)
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
