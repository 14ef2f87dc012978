"""A campaign's results: the scoring inputs read in a fixed number of queries, the figures
computed by tracking.results.scoring, and their stored copy that the pages read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from campaigns import stages
from campaigns.models import Campaign, CampaignStatus, Collaboration, Deliverable
from creators.audience import unpack_identifiers
from creators.audience_labels import stored_label
from creators.models import AudienceProfile, AudienceSample, SocialAccount
from kolhub.bulk import rows_upsert
from kolhub.selectors import exchange_rates
from tracking.models import (
    COUNTERS,
    CampaignResult,
    ClickDay,
    Conversion,
    EmvRate,
    Post,
)
from tracking.results import aggregates
from tracking.results.scoring.defaults import DEFAULT_EMV_VALUES, EMV_CURRENCY
from tracking.results.scoring.fit import DIMENSIONS as FIT_DIMENSIONS
from tracking.results.scoring.fit import audience_fit
from tracking.results.scoring.overlap import audience_overlap, deduplicated_reach, union_size
from tracking.results.scoring.report import ReportInputs, campaign_report
from tracking.results.series import campaign_series_many, final_series

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


def campaign_report_fresh(campaign: Campaign) -> dict[str, Any]:
    """The campaign's figures computed now, as JSON-ready values, with audience fit."""
    report = jsonable(campaign_report(report_inputs(campaign)))
    attach_audience_fit(campaign.workspace_id, [(campaign, report)])
    return report


def workspace_results_compute(workspace_id: int) -> int:
    """Recompute every campaign of a workspace (campaigns_results_compute)."""
    return campaigns_results_compute(workspace_id)


def campaigns_results_compute(workspace_id: int, campaign_ids: list[int] | None = None) -> int:
    """Recompute these campaigns of a workspace (every one when None) at once: their inputs,
    series and audience samples in about fifteen queries however many they are, then one
    transaction storing the reports with their aggregates. Returns the campaigns computed.

    A closed campaign's final report stays as it is (see campaign_result_compute), and the
    campaigns not named are not touched."""
    due = Campaign.objects.filter(workspace_id=workspace_id).exclude(
        status=CampaignStatus.CLOSED, result__final_at__isnull=False
    )
    if campaign_ids is not None:
        due = due.filter(pk__in=campaign_ids)
    campaigns = list(due.order_by("pk"))
    if not campaigns:
        return 0
    ids = [campaign.pk for campaign in campaigns]
    inputs = report_inputs_many(workspace_id, campaigns)
    series = campaign_series_many(workspace_id, ids)
    samples = roster_samples_many(workspace_id, ids)
    now = timezone.now()
    reports = [(campaign, jsonable(campaign_report(inputs[campaign.pk]))) for campaign in campaigns]
    attach_audience_fit(workspace_id, reports)
    rows = []
    for campaign, report in reports:
        report["overlap"] = jsonable(roster_overlap(samples[campaign.pk], report["creators"]))
        closed = campaign.status == CampaignStatus.CLOSED
        rows.append(
            CampaignResult(
                workspace_id=workspace_id,
                campaign=campaign,
                report=report,
                series=final_series(series[campaign.pk]) if closed else series[campaign.pk],
                computed_at=now,
                final_at=now if closed else None,
                **aggregates.report_headline(report),
            )
        )
    results_store(workspace_id, rows)
    return len(rows)


def results_store(workspace_id: int, results: list[CampaignResult]) -> None:
    """Store computed reports, replacing the campaigns' earlier ones, with the aggregates
    Insights read, in one transaction: a reader sees both old or both new."""
    fields = [*RESULT_FIELDS, *aggregates.report_headline({})]
    with transaction.atomic():
        # Through COPY: bulk_create would have psycopg escape each report's JSON in Python.
        rows_upsert(
            CampaignResult,
            fields=fields,
            rows=[[getattr(result, name) for name in fields] for result in results],
            unique=["campaign"],
        )
        aggregates.lines_replace(
            workspace_id, {result.campaign_id: result.report for result in results}
        )


RESULT_FIELDS = ["workspace_id", "campaign_id", "report", "series", "computed_at", "final_at"]


def attach_audience_fit(workspace_id: int, reports: list[tuple[Campaign, dict]]) -> None:
    """Each creator row's audience fit to its campaign's target persona (0–100 overall and per
    dimension), from the latest audience profile of the creator's account on the row's
    platform, else of their biggest account with one, whoever wrote it; where that profile
    comes from; and the campaign's mean. One query."""
    wanted = [(campaign, report) for campaign, report in reports if campaign.target_audience]
    creators = {row["creator"] for _c, report in wanted for row in report["creators"]}
    profiles: dict[int, dict[str, dict]] = {}
    biggest: dict[int, dict] = {}
    for creator, platform, source, day, *shares in (
        AudienceProfile.objects.filter(workspace_id=workspace_id, account__creator_id__in=creators)
        .order_by("-account__followers", "-captured_on", "-pk")
        .values_list(
            "account__creator_id",
            "account__platform",
            "source",
            "captured_on",
            *FIT_DIMENSIONS,
        )
    ):
        audience = {
            "shares": dict(zip(FIT_DIMENSIONS, shares, strict=True)),
            "from": {"source": source, "platform": platform, "captured_on": day.isoformat()},
        }
        profiles.setdefault(creator, {}).setdefault(platform, audience)
        biggest.setdefault(creator, audience)
    for campaign, report in reports:
        fits = []
        target = campaign.target_audience
        for row in report["creators"]:
            found = profiles.get(row["creator"], {}).get(row["platform"]) or biggest.get(
                row["creator"]
            )
            fit = audience_fit(found["shares"], target, read=stored_label) if found else None
            row["audience_fit"] = fit["overall"] if fit and campaign.target_audience else None
            row["audience_fit_dimensions"] = fit["dimensions"] if fit else {}
            row["audience_from"] = found["from"] if found and fit else None
            if row["audience_fit"] is not None:
                fits.append(row["audience_fit"])
        report["audience_fit"] = round(sum(fits) / len(fits), 1) if fits else None


def campaign_result_compute(campaign: Campaign) -> CampaignResult:
    """Recompute and store the campaign's figures, series and audience overlap (the debounced
    task calls this). A closed campaign's figures are computed once more when it closes and
    are its final report from then on: later pulls add snapshots, but only reopening the
    campaign makes the figures live again."""
    campaigns_results_compute(campaign.workspace_id, [campaign.pk])
    return CampaignResult.objects.get(campaign=campaign)


def campaign_result_current(campaign: Campaign, *, figures: bool = True) -> CampaignResult:
    """The stored figures every reader shows, brought in line with the campaign's state first:
    computed the first time they are asked for, made final when the campaign was closed, live
    again once it was reopened (the task sent on either may not have run yet). Without
    `figures`, only the row's version (pk, computed_at, final_at) is read: the report of a
    big campaign is hundreds of kilobytes of JSON to fetch and parse."""
    stored = CampaignResult.objects.filter(campaign=campaign)
    if not figures:
        stored = stored.defer("report", "series")
    result = stored.first()
    closed = campaign.status == CampaignStatus.CLOSED
    if result is None or (result.final_at is not None) != closed:
        result = campaign_result_compute(campaign)
    return result


def campaign_report_now(campaign: Campaign) -> dict[str, Any]:
    """The report as `campaign_report` prints it: a closed campaign's final report, any other
    campaign's figures computed now; `final_at` says which."""
    if campaign.status == CampaignStatus.CLOSED:
        result = campaign_result_current(campaign)
        final_at = result.final_at.isoformat() if result.final_at else None
        return result.report | {"final_at": final_at}
    return campaign_report_fresh(campaign) | {"final_at": None}


# What jsonable leaves as it is, by exact type: most of a report's hundreds of thousands of
# values, which then cost one lookup instead of the checks below.
PLAIN = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Decimals as numbers (money is in cents, exact in a float's 15 digits), NaN as None."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is float:
        return None if value != value else value
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


Sample = tuple[int, str, str, np.ndarray]


def roster_samples_many(workspace_id: int, ids: list[int]) -> dict[int, dict[int, Sample]]:
    """campaign → collaboration → (account, handle, platform, member hashes): each contracted
    creator's biggest account with an audience sample, its latest sample. Three queries for
    any number of campaigns; only the chosen samples' hashes leave the database."""
    roster: dict[int, dict[int, int]] = {pk: {} for pk in ids}
    for campaign_id, creator, collaboration in (
        Collaboration.objects.filter(workspace_id=workspace_id, campaign_id__in=ids)
        .filter(stage__in=stages.COSTED)
        .values_list("campaign_id", "creator_id", "pk")
    ):
        roster[campaign_id][creator] = collaboration
    in_campaigns: dict[int, list[tuple[int, int]]] = {}
    for campaign_id, collaboration_of in roster.items():
        for creator, collaboration in collaboration_of.items():
            in_campaigns.setdefault(creator, []).append((campaign_id, collaboration))
    rows = (
        AudienceSample.objects.filter(
            workspace_id=workspace_id, account__creator_id__in=in_campaigns
        )
        .order_by("-account__followers", "-created_at")
        .values_list(
            "pk", "account__creator_id", "account_id", "account__handle", "account__platform"
        )
    )
    picked: dict[int, dict[int, tuple[int, int, str, str]]] = {pk: {} for pk in ids}
    for sample, creator, account, handle, platform in rows:
        for campaign_id, collaboration in in_campaigns[creator]:
            picked[campaign_id].setdefault(collaboration, (sample, account, handle, platform))
    wanted = {chosen[0] for of in picked.values() for chosen in of.values()}
    hashes = {
        pk: unpack_identifiers(bytes(packed))
        for pk, packed in AudienceSample.objects.filter(pk__in=wanted).values_list("pk", "hashes")
    }
    return {
        campaign_id: {
            collaboration: (account, handle, platform, hashes[sample])
            for collaboration, (sample, account, handle, platform) in of.items()
        }
        for campaign_id, of in picked.items()
    }


def roster_samples(campaign: Campaign) -> dict[int, Sample]:
    """collaboration → (account, handle, platform, member hashes) of one campaign."""
    return roster_samples_many(campaign.workspace_id, [campaign.pk])[campaign.pk]


def roster_overlap(
    chosen: dict[int, Sample], creators: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The roster's audience overlap and deduplicated reach from its samples (roster_samples),
    for the stored report; None when fewer than two creators have an audience sample."""
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
