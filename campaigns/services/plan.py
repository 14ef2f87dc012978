"""Writes to a campaign's plan: the campaign itself, KPI targets, tier budgets, the brief."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from campaigns import webhooks
from campaigns.models import (
    BriefAsset,
    BriefVersion,
    Campaign,
    CampaignEvent,
    CampaignStatus,
    KpiTarget,
    TierBudget,
)
from kolhub.celery import send_task_after_commit
from kolhub.models import User
from kolhub.uploads import upload_facts

BRIEF_FIELDS = [
    "key_messages",
    "dos",
    "donts",
    "hashtags",
    "mentions",
    "disclosure",
    "required_link",
    "promo_code",
    "forbidden_words",
    "format_requirements",
]


@transaction.atomic
def campaign_save(*, campaign: Campaign, user: User | None = None) -> Campaign:
    """Save a campaign, filling the observation window and owner when left empty. A change of
    status is logged; closing or reopening asks results to store the final report or make it
    live again (tracking.results.figures), at once after the commit."""
    if campaign.observation_ends_on is None:
        campaign.observation_ends_on = Campaign.default_observation_end(campaign.ends_on)
    if campaign._state.adding and campaign.owner_id is None:
        campaign.owner = user
    if not campaign.slug:
        campaign.slug = free_campaign_slug(campaign)
    before = (
        Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).first()
        if campaign.pk
        else ""
    )
    campaign.save()
    if before != campaign.status:
        CampaignEvent.objects.create(
            workspace_id=campaign.workspace_id,
            campaign=campaign,
            from_status=before or "",
            to_status=campaign.status,
            actor=user,
        )
    if before and before != campaign.status and CampaignStatus.CLOSED in (before, campaign.status):
        send_task_after_commit("tracking.tasks.recompute_campaign_results", campaign.pk)
    webhooks.campaign_status_changed(campaign, previous=before or "")
    return campaign


def free_campaign_slug(campaign: Campaign) -> str:
    """The name as a slug (Chinese characters kept), with -2, -3… when the workspace has it."""
    base = slugify(campaign.name, allow_unicode=True)[:72] or "campaign"
    taken = set(
        Campaign.objects.filter(workspace_id=campaign.workspace_id, slug__startswith=base)
        .exclude(pk=campaign.pk)
        .values_list("slug", flat=True)
    )
    return next(
        slug
        for n in range(1, len(taken) + 2)
        if (slug := base if n == 1 else f"{base}-{n}") not in taken
    )


def campaign_target_audience_set(
    *, campaign: Campaign, target: dict[str, dict[str, float]]
) -> None:
    """The persona the campaign wants to reach (creators' audience fit is judged against it)."""
    campaign.target_audience = target
    campaign.save(update_fields=["target_audience"])


@transaction.atomic
def kpi_targets_set(*, campaign: Campaign, targets: dict[str, Decimal | None]) -> None:
    """Replace the campaign's KPI targets: a metric with no value has no target."""
    KpiTarget.objects.filter(campaign=campaign).exclude(
        metric__in=[metric for metric, value in targets.items() if value is not None]
    ).delete()
    for metric, value in targets.items():
        if value is not None:
            KpiTarget.objects.update_or_create(
                campaign=campaign,
                metric=metric,
                defaults={"target": value, "workspace_id": campaign.workspace_id},
            )


@transaction.atomic
def tier_budgets_set(
    *, campaign: Campaign, plans: dict[str, tuple[Decimal | None, Decimal | None]]
) -> None:
    """Replace the tier budget plan: tier -> (share %, amount); both empty removes the tier."""
    TierBudget.objects.filter(campaign=campaign).delete()
    TierBudget.objects.bulk_create(
        TierBudget(
            workspace_id=campaign.workspace_id,
            campaign=campaign,
            tier=tier,
            share=share,
            amount=amount if share is None else None,
        )
        for tier, (share, amount) in plans.items()
        if share is not None or amount is not None
    )


def latest_brief(campaign: Campaign) -> BriefVersion | None:
    return campaign.brief_versions.order_by("-number").first()


@transaction.atomic
def brief_publish(
    *,
    campaign: Campaign,
    user: User | None,
    fields: dict[str, str],
    uploads: Iterable[UploadedFile] = (),
    removed_asset_ids: Iterable[int] = (),
) -> BriefVersion:
    """Write a new brief version when anything changed; the versions sent stay as they were."""
    # Lock the campaign so two editors cannot both write "version 3".
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    previous = latest_brief(campaign)
    asset_ids = set(previous.assets.values_list("pk", flat=True)) if previous else set()
    asset_ids -= set(removed_asset_ids)
    for upload in uploads:
        asset = BriefAsset(
            workspace_id=campaign.workspace_id, campaign=campaign, **upload_facts(upload)
        )
        asset.file.save(asset.name, upload, save=True)
        asset_ids.add(asset.pk)
    if previous is not None and (
        all(getattr(previous, name) == fields.get(name, "") for name in BRIEF_FIELDS)
        and asset_ids == set(previous.assets.values_list("pk", flat=True))
    ):
        return previous
    version = BriefVersion.objects.create(
        workspace_id=campaign.workspace_id,
        campaign=campaign,
        number=(previous.number + 1) if previous else 1,
        created_by=user,
        **{name: fields.get(name, "") for name in BRIEF_FIELDS},
    )
    version.assets.set(asset_ids)
    return version
