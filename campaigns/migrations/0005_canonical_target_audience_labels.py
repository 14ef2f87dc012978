"""Campaigns' target personas under the one vocabulary of creators.audience_labels: a target
typed as 女性: 70% or 台灣: 90% is stored as female and TW, like the audience it is scored
against."""

from django.db import migrations

from creators.audience_labels import DIMENSIONS, canonical_shares

BATCH = 500


def canonicalise_target_audience_labels(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    changed = []
    for campaign in (
        Campaign.objects.exclude(target_audience={})
        .only("pk", "target_audience")
        .iterator(chunk_size=BATCH)
    ):
        target = {
            dimension: canonical_shares(dimension, shares) if dimension in DIMENSIONS else shares
            for dimension, shares in campaign.target_audience.items()
        }
        if target != campaign.target_audience:
            campaign.target_audience = target
            changed.append(campaign)
    Campaign.objects.bulk_update(changed, ["target_audience"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_add_campaign_target_audience"),
    ]

    operations = [
        migrations.RunPython(canonicalise_target_audience_labels, migrations.RunPython.noop),
    ]
