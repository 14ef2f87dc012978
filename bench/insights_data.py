"""An agency's campaigns for the Insights benchmark (issue 21): 20 brands, 200 campaigns of 20
contracted creators (4,000 collaborations), two posts each with daily snapshots, one or two
deliverables, categories, sales and audience samples; written in bulk (and COPY)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bench.scoring_data import posts_for, roster, snapshots_for
from campaigns.models import Campaign, Deliverable
from creators.audience import pack_identifiers
from creators.models import AudienceSample, Category, Creator, DeliverableFormat, SocialAccount
from kolhub.models import Workspace
from tests.factories import BrandFactory, CampaignFactory, WorkspaceFactory
from tracking.models import Conversion


def agency_campaigns(
    *, campaigns: int = 200, per_campaign: int = 20, brands: int = 20, seed: int = 21
) -> tuple[Workspace, list[Campaign]]:
    """A workspace of `campaigns` campaigns of `per_campaign` creators (repeatable seed)."""
    rng = random.Random(seed)
    workspace = WorkspaceFactory()
    brand_rows = [BrandFactory(workspace=workspace, name=f"Brand {n:02d}") for n in range(brands)]
    today = timezone.localdate()
    made, collaborations = [], []
    for n in range(campaigns):
        starts = today - timedelta(days=3 * n + 5)
        campaign = CampaignFactory(
            brand=brand_rows[n % brands],
            workspace=workspace,
            name=f"Campaign {n:03d}",
            # Every tenth campaign is in another currency: left out of the totals.
            currency="USD" if n % 10 == 9 else "TWD",
            starts_on=starts,
            ends_on=starts + timedelta(days=14),
            observation_ends_on=starts + timedelta(days=rng.choice([30, 60, 400])),
        )
        made.append(campaign)
        collaborations += roster(workspace, campaign, per_campaign, rng)
    snapshots_for(workspace.pk, posts_for(collaborations, 2, rng), 5)
    formats = list(DeliverableFormat.values)
    Deliverable.objects.bulk_create(
        [
            Deliverable(
                workspace=workspace,
                collaboration=collab,
                format=rng.choice(formats),
                platform="instagram",
            )
            for collab in collaborations
            for _ in range(rng.randint(1, 2))
        ],
        batch_size=5000,
    )
    categories = Category.objects.bulk_create(
        [Category(workspace=workspace, name=f"Category {n:02d}") for n in range(12)]
    )
    Creator.categories.through.objects.bulk_create(
        [
            Creator.categories.through(creator_id=collab.creator_id, category_id=category.pk)
            for collab in collaborations
            for category in rng.sample(categories, rng.randint(0, 2))
        ],
        batch_size=5000,
    )
    Conversion.objects.bulk_create(
        [
            Conversion(
                workspace=workspace,
                collaboration=collab,
                channel="shopify",
                order_id=f"o{collab.pk}",
                amount=Decimal(rng.randint(100, 9000)),
                currency="TWD",
                occurred_at=timezone.now(),
            )
            for collab in collaborations
            if rng.random() < 0.3
        ],
        batch_size=5000,
    )
    # Two sampled creators a campaign: every campaign's overlap is computed.
    sampled = [collab for n, collab in enumerate(collaborations) if n % per_campaign < 2]
    accounts = dict(
        SocialAccount.objects.filter(
            creator_id__in=[collab.creator_id for collab in sampled]
        ).values_list("creator_id", "pk")
    )
    samples = []
    for collab in sampled:
        start = rng.randint(0, 5000)
        packed, size = pack_identifiers(f"fan{i}" for i in range(start, start + 2000))
        samples.append(
            AudienceSample(
                workspace=workspace,
                account_id=accounts[collab.creator_id],
                size=size,
                hashes=packed,
            )
        )
    AudienceSample.objects.bulk_create(samples, batch_size=500)
    return workspace, made
