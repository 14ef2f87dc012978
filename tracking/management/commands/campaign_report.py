"""python manage.py campaign_report CAMPAIGN_SLUG --workspace SLUG --format json"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from kolhub.models import Workspace
from tracking.results.figures import campaign_report_now


class Command(BaseCommand):
    help = (
        "Print a campaign's figures (cost, revenue, impressions, engagements, clicks, "
        "conversions, engagement_rate, cpm, cpe, cpc, cpa, roas, roi, ctr, conversion_rate, "
        "emv) as a whole and per creator, tier and platform, computed now from the database; a "
        "closed campaign's final report as stored when it was closed (final_at). "
        "Money is in the campaign currency; null means n/a (see missing_rates and "
        "missing_counters). `coverage` says how many of the `posts` each rate is computed "
        "over: the posts that report its counters."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("campaign", help="the campaign's short name (slug)")
        parser.add_argument("--workspace", required=True, help="the workspace's URL name (slug)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, campaign: str, workspace: str, **options) -> None:
        try:
            target = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with the URL name {workspace!r}.") from None
        found = Campaign.objects.for_workspace(target).filter(slug=campaign).first()
        if found is None:
            known = ", ".join(
                Campaign.objects.for_workspace(target).values_list("slug", flat=True)[:20]
            )
            raise CommandError(
                f"No campaign {campaign!r} in {workspace}. Its campaigns: {known or 'none'}."
            )
        report = campaign_report_now(found)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
