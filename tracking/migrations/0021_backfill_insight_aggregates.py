"""Existing installs have stored reports but not their aggregates: take them from each report,
as tracking.results.aggregates does (copied here, as a migration must not change later).

A closed campaign's final report is not recomputed, so its aggregates can only come from the
report itself; and reading the reports here means Insights show the same figures right after
the upgrade as before it, with no recompute to wait for."""

from django.db import migrations

ADDED_UP = ["cost", "revenue", "impressions", "engagements", "clicks", "conversions"]


def _number(value):
    return float(value or 0)


def backfill(apps, schema_editor):
    CampaignResult = apps.get_model("tracking", "CampaignResult")
    CampaignResultLine = apps.get_model("tracking", "CampaignResultLine")
    # One report at a time: a report can be large, and there can be many.
    results = list(
        CampaignResult.objects.order_by("pk").values_list("pk", "workspace_id", "campaign_id")
    )
    for pk, workspace_id, campaign_id in results:
        report = CampaignResult.objects.values_list("report", flat=True).get(pk=pk) or {}
        cost = report.get("cost")
        CampaignResult.objects.filter(pk=pk).update(
            currency=report.get("currency") or "",
            cost=None if cost is None else float(cost),
            **{name: _number(report.get(name)) for name in ADDED_UP[1:]},
        )
        CampaignResultLine.objects.filter(campaign_id=campaign_id).delete()
        CampaignResultLine.objects.bulk_create(
            [
                CampaignResultLine(
                    workspace_id=workspace_id,
                    campaign_id=campaign_id,
                    collaboration_id=row.get("collaboration"),
                    creator_id=row.get("creator") or None,
                    tier=row.get("tier") or "",
                    platform=row.get("platform") or "",
                    **{name: _number(row.get(name)) for name in ADDED_UP},
                )
                for row in report.get("creators") or []
            ],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [("tracking", "0020_store_insight_aggregates")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
