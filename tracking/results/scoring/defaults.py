"""Documented defaults for the workspace-editable tables (docs/scoring.md gives the sources).

There is no industry standard for either table; these are starting points a workspace is
expected to replace with its own figures (Settings → Scoring tables).
"""

from __future__ import annotations

from decimal import Decimal

EMV_CURRENCY = "USD"
# Value of one view: the platform's CPM / 1000 (MightyScout's CPMs: Instagram and Facebook $10,
# TikTok $5, YouTube $20; Threads taken as Instagram). Impressions are 0 so that a post
# reporting both views and impressions is not valued twice. Per-action values: like $0.10,
# comment $0.75, share $1.50, save $1.00 (a published per-action table, low authority).
_VIEW_VALUE = {
    "instagram": Decimal("0.010"),
    "facebook": Decimal("0.010"),
    "threads": Decimal("0.010"),
    "tiktok": Decimal("0.005"),
    "youtube": Decimal("0.020"),
}
_ACTION_VALUE = {
    "impressions": Decimal(0),
    "likes": Decimal("0.10"),
    "comments": Decimal("0.75"),
    "shares": Decimal("1.50"),
    "saves": Decimal("1.00"),
}
DEFAULT_EMV_VALUES: dict[str, dict[str, Decimal]] = {
    platform: {"views": view} | _ACTION_VALUE for platform, view in _VIEW_VALUE.items()
}

# Engagement rate by followers typical of a tier, per platform (organicmediabuying.com's
# aggregate, quoted in PLATFORMS.md 6.2; vendors disagree widely, so the table is editable).
# Facebook and Threads have no published figure: a workspace sets its own or the comparison
# is n/a.
DEFAULT_ENGAGEMENT_BENCHMARKS: dict[str, dict[str, float]] = {
    "instagram": {"nano": 0.048, "micro": 0.024, "mid": 0.018, "macro": 0.015, "mega": 0.012},
    "tiktok": {"nano": 0.103, "micro": 0.081, "mid": 0.063, "macro": 0.055, "mega": 0.049},
    "youtube": {"nano": 0.032, "micro": 0.021, "mid": 0.015, "macro": 0.012, "mega": 0.009},
}
