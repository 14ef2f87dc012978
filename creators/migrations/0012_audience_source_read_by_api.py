"""Audience profiles say whether the platform's API read them ("api", written by the account
refresh) or a person entered them (typed from the insights, from a screenshot, estimated), and
the demo workspace's made-up profiles say they are demo data.

Profiles stored before this change under "platform" may have been read by the refresh or typed
in from the insights screen: nothing tells them apart, so they stay "platform" and read as
entered by hand (the refresh writes a new "api" profile, the newest, at its next run). In demo
workspaces, "platform" was only ever the seed's."""

from django.db import migrations, models


def label_demo_profiles(apps, schema_editor):
    AudienceProfile = apps.get_model("creators", "AudienceProfile")
    AudienceProfile.objects.filter(workspace__is_demo=True, source="platform").update(source="demo")


class Migration(migrations.Migration):
    dependencies = [
        ("creators", "0011_fold_creator_search_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="audienceprofile",
            name="source",
            field=models.CharField(
                choices=[
                    ("api", "Read from the platform"),
                    ("platform", "Platform insights"),
                    ("screenshot", "Creator-provided screenshot"),
                    ("estimate", "Estimate"),
                    ("demo", "Demo data"),
                ],
                max_length=12,
                verbose_name="source",
            ),
        ),
        migrations.RunPython(label_demo_profiles, migrations.RunPython.noop),
    ]
