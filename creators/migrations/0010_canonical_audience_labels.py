"""Audience labels and creator regions under the one vocabulary of creators.audience_labels:
profiles typed as 女性 or 台灣, or read from a platform as F or "Taipei, Taiwan", are stored
as female, TW and 台北市, and 臺北/台北/Taipei regions become 台北市."""

from django.db import migrations

from creators.audience_labels import DIMENSIONS, canonical_region, canonical_shares

BATCH = 500


def canonicalise_audience_labels(apps, schema_editor):
    AudienceProfile = apps.get_model("creators", "AudienceProfile")
    changed = []
    for profile in AudienceProfile.objects.only("pk", *DIMENSIONS).iterator(chunk_size=BATCH):
        before = [getattr(profile, dimension) for dimension in DIMENSIONS]
        for dimension in DIMENSIONS:
            shares = getattr(profile, dimension) or {}
            setattr(profile, dimension, canonical_shares(dimension, shares))
        if [getattr(profile, dimension) for dimension in DIMENSIONS] != before:
            changed.append(profile)
    AudienceProfile.objects.bulk_update(changed, list(DIMENSIONS), batch_size=BATCH)

    Creator = apps.get_model("creators", "Creator")
    creators = []
    for creator in (
        Creator.objects.exclude(region="").only("pk", "region").iterator(chunk_size=BATCH)
    ):
        region = canonical_region(creator.region)
        if region != creator.region:
            creator.region = region
            creators.append(creator)
    Creator.objects.bulk_update(creators, ["region"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("creators", "0009_add_import_progress"),
    ]

    operations = [
        migrations.RunPython(canonicalise_audience_labels, migrations.RunPython.noop),
    ]
