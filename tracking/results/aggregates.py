"""The small stored rows Insights add up: each campaign's headline totals (columns of
CampaignResult) and one line per creator row of its report (CampaignResultLine). They are
taken from the report when it is stored, in the same transaction, so they change exactly when
the report does (the same "needs recomputing" marks) and no page reads every report."""

from __future__ import annotations

from typing import Any

from kolhub.bulk import rows_insert
from tracking.models import CampaignResultLine

# The figures Insights add up, as the report names them (campaign totals and creator rows).
ADDED_UP = ["cost", "revenue", "impressions", "engagements", "clicks", "conversions"]


def _number(value: Any) -> float:
    # An unknown amount (no exchange rate) adds nothing, as it always did in Insights.
    return float(value or 0)


def report_headline(report: dict[str, Any]) -> dict[str, Any]:
    """The report's totals as CampaignResult columns; an unknown cost stays None (the
    campaign is then left out of the totals in its currency)."""
    cost = report.get("cost")
    return {
        "currency": report.get("currency") or "",
        "cost": None if cost is None else float(cost),
        **{name: _number(report.get(name)) for name in ADDED_UP[1:]},
    }


LINE_FIELDS = [
    "workspace_id",
    "campaign_id",
    "collaboration_id",
    "creator_id",
    "tier",
    "platform",
    *ADDED_UP,
]


def report_lines(workspace_id: int, campaign_id: int, report: dict) -> list[list[Any]]:
    """One line per creator row of the report: its values in LINE_FIELDS' order."""
    return [
        [
            workspace_id,
            campaign_id,
            row.get("collaboration"),
            row.get("creator") or None,
            row.get("tier") or "",
            row.get("platform") or "",
            *(_number(row.get(name)) for name in ADDED_UP),
        ]
        for row in report.get("creators") or []
    ]


def lines_replace(workspace_id: int, reports: dict[int, dict[str, Any]]) -> None:
    """Replace these campaigns' lines by their reports' creator rows (two statements, in the
    caller's transaction: the one that stores the reports)."""
    CampaignResultLine.objects.filter(
        workspace_id=workspace_id, campaign_id__in=list(reports)
    ).delete()
    rows_insert(
        CampaignResultLine,
        fields=LINE_FIELDS,
        rows=[
            line
            for campaign_id, report in reports.items()
            for line in report_lines(workspace_id, campaign_id, report)
        ],
    )
