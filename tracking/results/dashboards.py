"""What the campaign dashboard's fragments show, built from the stored figures
(tracking.models.CampaignResult) as plain dicts for the templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from campaigns.models import (
    KPI_KIND,
    LOWER_IS_BETTER,
    Campaign,
    CampaignStatus,
    KpiMetric,
    KpiTarget,
    TierBudget,
    kpis_in_funnel_order,
)
from creators.audience_sources import audience_source_label
from creators.models import Platform, Tier
from kolhub import formatting


@dataclass(frozen=True)
class Figure:
    label: Any
    kind: str  # count, money, rate (a fraction shown as %), ratio (shown as ×)
    formula: Any = ""


FIGURES: dict[str, Figure] = {
    "cost": Figure(_("Cost"), "money", _("fees + product + shipping + other costs")),
    "revenue": Figure(_("Revenue"), "money", _("attributed orders, net of refunds")),
    "impressions": Figure(_("Impressions"), "count", _("impressions, else views, else reach")),
    "reach": Figure(_("Reach"), "count", _("Σ reach as reported")),
    "views": Figure(_("Views"), "count", _("Σ views")),
    "engagements": Figure(_("Engagements"), "count", _("likes + comments + shares + saves")),
    "clicks": Figure(_("Clicks"), "count", _("human clicks on tracked links")),
    "conversions": Figure(_("Conversions"), "count", _("attributed orders")),
    "engagement_rate": Figure(
        _("Engagement rate"),
        "rate",
        _("engagements / impressions, over the posts that report likes and impressions"),
    ),
    "cpm": Figure(
        "CPM",
        "money",
        _(
            "cost / impressions × 1000, over the posts that report impressions (cost spread "
            "evenly over each creator's posts; creators yet to post are left out)"
        ),
    ),
    "cpe": Figure(
        "CPE",
        "money",
        _(
            "cost / engagements, over the posts that report likes (cost spread evenly over "
            "each creator's posts; creators yet to post are left out)"
        ),
    ),
    "cpc": Figure("CPC", "money", _("cost / clicks")),
    "cpa": Figure("CPA", "money", _("cost / conversions")),
    "roas": Figure("ROAS", "ratio", _("revenue / cost")),
    "roi": Figure("ROI", "rate", _("(revenue − cost) / cost")),
    "ctr": Figure(
        "CTR",
        "rate",
        _(
            "clicks / impressions, over the posts that report impressions (clicks spread "
            "evenly over each creator's posts; creators yet to post are left out)"
        ),
    ),
    "conversion_rate": Figure(_("Conversion rate"), "rate", _("conversions / clicks")),
    "emv": Figure(_("Earned media value"), "money", _("Σ count × value per action")),
    "views_vs_usual": Figure(
        _("Views against the usual"),
        "ratio",
        _(
            "Σ views of the posts that report views / Σ the average views of each post's "
            "account (for a creator: their posts' average over their usual)"
        ),
    ),
    "sponsored_vs_organic": Figure(
        _("Sponsored vs organic"),
        "ratio",
        _(
            "Σ engagements of the posts that report likes / Σ, for each post, followers × the "
            "median engagement by followers of its account's own latest posts"
        ),
    ),
    "audience_fit": Figure(
        _("Audience fit"),
        "score",
        _(
            "Σ min(audience share, target share) ÷ Σ target share per dimension (the part of "
            "the audience the target names), averaged; 0–100"
        ),
    ),
}
COUNTER_LABELS = {
    "likes": _("Likes"),
    "comments": _("Comments"),
    "shares": _("Shares"),
    "saves": _("Saves"),
}
COUNTER_COLUMNS = {
    "views": _("Views"),
    "reach": _("Reach"),
    "impressions": _("Impressions"),
    **COUNTER_LABELS,
}
KPI_STATUS_LABELS = {
    "met": _("Target met"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "missed": _("Target missed"),
    "no_data": _("No data yet"),
    "not_started": _("Not started"),
}
# What each KPI is measured from: the posts' counters, or what the posts bring (clicks,
# orders). Until one of these exists there is nothing to judge, whatever the costs say
# (before the first post, ROI is −100 % by arithmetic, not by result).
FROM_POSTS = {"impressions", "reach", "views", "engagements", "engagement_rate", "cpm", "cpe"}
LEADERBOARD = ["cost", "impressions", "engagement_rate", "cpe", "cpc", "cpa", "roi"]
BREAKDOWN = [
    "cost",
    "revenue",
    "impressions",
    "engagements",
    "clicks",
    "conversions",
    "cpe",
    "cpc",
    "cpa",
    "roi",
    "engagement_rate",
    "views_vs_usual",
    "sponsored_vs_organic",
]
# The figures computed over the posts that report their counters (scoring.campaign.COVERAGE).
COVERAGE_SHOWN = [
    "engagement_rate",
    "cpm",
    "cpe",
    "ctr",
    "views_vs_usual",
    "sponsored_vs_organic",
]
# The campaign's own ratios, shown under the KPI cards whether or not a target names them.
CAMPAIGN_RATIOS = ["engagement_rate", "views_vs_usual", "sponsored_vs_organic"]
SORTABLE = {
    "handle",
    "tier",
    "platform",
    "posts",
    "authenticity",
    "audience_fit",
    "views_vs_usual",
    "sponsored_vs_organic",
    *LEADERBOARD,
}
# How far below the pace a count target may fall before it is "at risk".
PACE_TOLERANCE = 0.8


def format_figure(value: Any, kind: str, currency: str = "") -> str:
    """A figure as people read it: money with its currency, a rate as %, a ratio as ×, a
    count compact (1.2萬 / 12.3K); "n/a" when it cannot be computed."""
    if value is None or value == "":
        return str(formatting.NOT_AVAILABLE)
    number = float(value)
    if kind == "money":
        return formatting.money(value, currency, digits=2 if 0 < abs(number) < 100 else 0)
    if kind == "rate":
        return formatting.percent(value, digits=2 if abs(number) < 0.01 else 1)
    if kind == "ratio":
        return f"{formatting.grouped(value, 2)}×"
    if kind == "percent":  # a KPI target typed as a percentage already
        return f"{formatting.grouped(value, 1)}%"
    if kind == "score":  # 0–100
        return formatting.grouped(value)
    if not number.is_integer():
        return formatting.grouped(value, 1)
    return formatting.compact_count(int(number))


def figure_cells(row: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "value": row.get(name),
            "kind": FIGURES[name].kind,
            "coverage": coverage_note(row, name),
        }
        for name in names
    ]


def coverage_of(row: dict[str, Any], name: str) -> tuple[int, int] | None:
    """(posts the figure is computed over, posts) when that is fewer than all of them: a rate
    leaves out the posts that do not report its counters (scoring.campaign)."""
    covered = (row.get("coverage") or {}).get(name)
    posts = row.get("posts") or 0
    if covered is None or row.get(name) is None or covered >= posts:
        return None
    return covered, posts


def coverage_note(row: dict[str, Any], name: str) -> str:
    """ "over 7 of 9 posts" when the figure leaves some posts out, else ""."""
    found = coverage_of(row, name)
    if found is None:
        return ""
    covered, posts = found
    return ngettext("over %(n)s of %(total)s post", "over %(n)s of %(total)s posts", posts) % {
        "n": covered,
        "total": posts,
    }


def coverage_short(row: dict[str, Any], name: str) -> str:
    """ "7/9" for a table cell in a file, else ""."""
    found = coverage_of(row, name)
    return f"{found[0]}/{found[1]}" if found else ""


def legend(names: list[str]) -> list[tuple[Any, Any]]:
    return [(FIGURES[name].label, FIGURES[name].formula) for name in names]


def na_reason(report: dict[str, Any], name: str) -> Any:
    """Why a figure is n/a, in the user's words."""
    cost_based = {"cost", "revenue", "cpm", "cpe", "cpc", "cpa", "roas", "roi"}
    if report.get("missing_rates") and name in cost_based:
        return _("no exchange rate for %(rates)s") % {"rates": ", ".join(report["missing_rates"])}
    if report.get("emv_missing_rates") and name == "emv":
        return _("no exchange rate for %(rates)s") % {
            "rates": ", ".join(report["emv_missing_rates"])
        }
    if not report.get("posts"):
        if name in ("roas", "roi") and not (report.get("clicks") or report.get("conversions")):
            return _("no post, click or order yet")
        return _("no post tracked yet")
    divisor = {
        "engagement_rate": "impressions",
        "cpm": "impressions",
        "ctr": "impressions",
        "cpe": "engagements",
        "cpc": "clicks",
        "conversion_rate": "clicks",
        "cpa": "conversions",
        "roas": "cost",
        "roi": "cost",
    }.get(name)
    if name in NOT_REPORTED and not (report.get("coverage") or {}).get(name):
        return NOT_REPORTED[name]
    if divisor:
        return _("no %(figure)s to divide by") % {"figure": str(FIGURES[divisor].label).lower()}
    return _("not reported by the platforms")


# Why a figure computed over the posts that report its counters is n/a when no post does.
NOT_REPORTED = {
    "engagement_rate": _("no post reports both its likes and its impressions"),
    "cpe": _("no post reports its likes"),
    "cpm": _("no post reports its impressions, views or reach"),
    "ctr": _("no post reports its impressions, views or reach"),
    "views_vs_usual": _("no post with views on an account whose usual views are known"),
    "sponsored_vs_organic": _("no post with likes on an account whose organic engagement is known"),
}


# --- KPI cards ---------------------------------------------------------------


def _actual(report: dict[str, Any], metric: str) -> float | None:
    value = report.get(metric)
    if value is None:
        return None
    # Targets of rates are typed as percentages (3 for 3 %), the figures are fractions.
    return float(value) * 100 if KPI_KIND[KpiMetric(metric)] == "percent" else float(value)


def elapsed_share(campaign: Campaign, today: date) -> float:
    """How much of the campaign's time (start to the end of observation) has passed, 0–1."""
    total = (campaign.observation_ends_on - campaign.starts_on).days or 1
    return min(max((today - campaign.starts_on).days / total, 0.0), 1.0)


def campaign_is_over(campaign: Campaign, today: date) -> bool:
    """Closed, or past the end of its observation window: what it reached is final."""
    return campaign.status == CampaignStatus.CLOSED or today > campaign.observation_ends_on


def kpi_status(target: KpiTarget, actual: float | None, pace: float) -> str:
    """met, on_track, at_risk or no_data. Totals are judged against the pace (the share of the
    target due by now), costs per result and rates against the target itself."""
    goal = float(target.target)
    if actual is None:
        return "no_data"
    if target.metric in LOWER_IS_BETTER:
        return "met" if actual <= goal else "at_risk"
    if actual >= goal:
        return "met"
    if KPI_KIND[KpiMetric(target.metric)] in ("count", "money") and target.metric != "cpm":
        return "on_track" if actual >= goal * pace * PACE_TOLERANCE else "at_risk"
    return "at_risk"


def kpi_cards(campaign: Campaign, report: dict[str, Any], today: date) -> list[dict[str, Any]]:
    pace = elapsed_share(campaign, today)
    cards = []
    for target in kpis_in_funnel_order(campaign.kpi_targets.all()):
        waiting = nothing_to_measure(report, target.metric)
        # A ratio built on results that cannot exist yet is not shown (ROI would read −100 %).
        actual = (
            None
            if waiting and target.kind in ("percent", "ratio")
            else _actual(report, target.metric)
        )
        goal = float(target.target)
        progress = None
        if actual is not None and goal and not waiting:
            share = goal / actual if target.metric in LOWER_IS_BETTER and actual else actual / goal
            progress = round(min(share, 1.0) * 100)
        if waiting:
            status = "not_started" if today < campaign.starts_on else "no_data"
        else:
            status = kpi_status(target, actual, pace)
        if status in ("on_track", "at_risk") and campaign_is_over(campaign, today):
            status = "missed"  # no time is left to catch up: "at risk" would be a false hope
        cards.append(
            {
                "metric": target.metric,
                "label": target.get_metric_display(),
                "kind": target.kind,
                "actual": actual,
                "target": goal,
                "progress": progress,
                "status": status,
                "status_label": KPI_STATUS_LABELS[status],
                "lower_is_better": target.lower_is_better,
                "formula": FIGURES[target.metric].formula if target.metric in FIGURES else "",
                "reason": waiting_reason(target.metric)
                if waiting
                else (na_reason(report, target.metric) if actual is None else ""),
                "coverage": coverage_note(report, target.metric),
            }
        )
    return cards


def nothing_to_measure(report: dict[str, Any], metric: str) -> bool:
    """Whether a KPI has nothing to be judged on yet: no post for what posts show; no post,
    click or order for what they bring."""
    if report.get("posts"):
        return False
    if metric in FROM_POSTS:
        return True
    return not (report.get("clicks") or report.get("conversions"))


def waiting_reason(metric: str) -> Any:
    if metric in FROM_POSTS:
        return _("no post tracked yet")
    return _("no post, click or order yet")


# --- Series ------------------------------------------------------------------


def series_labels() -> dict[str, str]:
    return {"views": str(_("Views")), "engagements": str(_("Engagements"))}


def partial_note(points: list[dict[str, Any]]) -> str:
    """What the chart says of a last period that was not over when the figures were computed:
    "12-05: so far" (a day), "week of 12-01: so far", "2026-12: so far"; "" otherwise."""
    if not points or not points[-1].get("partial"):
        return ""
    last = points[-1]
    period = {
        "week": _("week of %(date)s") % {"date": last["period"][5:]},
        "month": last["period"][:7],
    }.get(last["unit"], last["period"][5:])
    return str(_("%(period)s: so far") % {"period": period})


def campaign_ratios(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The campaign's rates and ratios against the accounts' usual, each with its formula,
    the posts it covers, or why it is n/a."""
    return [
        cell
        | {
            "label": FIGURES[cell["name"]].label,
            "formula": FIGURES[cell["name"]].formula,
            "reason": na_reason(report, cell["name"]) if cell["value"] is None else "",
        }
        for cell in figure_cells(report, CAMPAIGN_RATIOS)
    ]


# --- Funnel ------------------------------------------------------------------


def funnel(report: dict[str, Any]) -> list[dict[str, Any]]:
    """impressions → engagements → clicks → conversions → revenue, each with the rate that
    leads from the step before it."""
    steps = [
        ("impressions", None),
        ("engagements", "engagement_rate"),
        ("clicks", "ctr"),
        ("conversions", "conversion_rate"),
        ("revenue", None),
    ]
    top = max((report.get(name) or 0) for name, _rate in steps[:4]) or 1
    return [
        {
            "name": name,
            "label": FIGURES[name].label,
            "kind": FIGURES[name].kind,
            "value": report.get(name),
            "rate_label": FIGURES[rate].label if rate else "",
            "rate": report.get(rate) if rate else None,
            "rate_formula": FIGURES[rate].formula if rate else "",
            "rate_coverage": coverage_note(report, rate) if rate else "",
            # Bars on a square-root scale: clicks stay visible beside a million impressions.
            "width": round(((report.get(name) or 0) / top) ** 0.5 * 100)
            if name != "revenue"
            else None,
            "reason": na_reason(report, name) if report.get(name) is None else "",
        }
        for name, rate in steps
    ]


# --- Tables ------------------------------------------------------------------


def leaderboard(report: dict[str, Any], sort: str, descending: bool) -> list[dict[str, Any]]:
    """The creators sorted by one column; an n/a value sorts last either way."""
    return leaderboard_rows(leaderboard_order(report.get("creators", []), sort, descending))


def leaderboard_order(
    rows: list[dict[str, Any]], sort: str, descending: bool
) -> list[dict[str, Any]]:
    """The stored creator rows sorted by one column; an n/a value sorts last either way."""
    sort = sort if sort in SORTABLE else "cost"
    known = [row for row in rows if row.get(sort) is not None]
    unknown = [row for row in rows if row.get(sort) is None]
    known.sort(key=lambda row: _sort_key(row[sort]), reverse=descending)
    return known + unknown


def leaderboard_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored creator rows with their cells and labels, as the leaderboard shows them."""
    return [
        row
        | {
            "cells": figure_cells(row, LEADERBOARD),
            "ratio_cells": figure_cells(row, ["views_vs_usual", "sponsored_vs_organic"]),
            "tier_label": tier_label(row["tier"]),
            "platform_label": platform_label(row["platform"]),
            "audience_label": audience_source_label(row.get("audience_from")),
        }
        for row in rows
    ]


def _sort_key(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def tier_label(tier: str) -> Any:
    return Tier(tier).label if tier in Tier.values else pgettext_lazy("tier", "Not set")


def platform_label(platform: str) -> Any:
    return (
        Platform(platform).label if platform in Platform.values else _("No post or deliverable yet")
    )


def tier_rows(campaign: Campaign, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each tier with its planned spend beside the actual, and its cost per result."""
    planned = {
        budget.tier: budget.planned_amount(campaign.total_budget)
        for budget in TierBudget.objects.filter(campaign=campaign)
    }
    actual = {row["tier"]: row for row in report.get("tiers", [])}
    rows = []
    for tier in [*Tier.values, ""]:
        if tier not in actual and tier not in planned:
            continue
        row = actual.get(tier, {})
        plan = planned.get(tier)
        cost = row.get("cost")
        rows.append(
            {
                "tier": tier,
                "label": tier_label(tier),
                "planned": plan,
                "cost": cost,
                "over_plan": plan is not None and cost is not None and Decimal(str(cost)) > plan,
                "creators": sum(1 for c in report.get("creators", []) if c["tier"] == tier),
                "cells": figure_cells(row, BREAKDOWN[1:]),
            }
        )
    return rows


def platform_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "platform": row["platform"],
            "label": platform_label(row["platform"]),
            "posts": row["posts"],
            "cells": figure_cells(row, BREAKDOWN),
        }
        for row in report.get("platforms", [])
    ]


# --- Alerts ------------------------------------------------------------------


def alerts(report: dict[str, Any], cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for row in report.get("creators", []):
        if row.get("deleted_posts"):
            found.append(
                {
                    "level": "bad",
                    "text": ngettext(
                        "%(handle)s: %(n)s post is no longer public",
                        "%(handle)s: %(n)s posts are no longer public",
                        row["deleted_posts"],
                    )
                    % {"handle": row["handle"], "n": row["deleted_posts"]},
                }
            )
    for card in cards:
        if card["status"] == "at_risk":
            found.append(
                {"level": "warn", "text": _("%(kpi)s is at risk") % {"kpi": card["label"]}}
            )
        elif card["status"] == "missed":
            found.append(
                {"level": "warn", "text": _("%(kpi)s missed its target") % {"kpi": card["label"]}}
            )
    if report.get("missing_rates"):
        found.append(
            {
                "level": "warn",
                "text": _(
                    "Add the exchange rate %(rates)s in Settings → Scoring tables: until then "
                    "the cost, revenue and the figures built on them are n/a."
                )
                % {"rates": ", ".join(report["missing_rates"])},
            }
        )
    if report.get("emv_missing_rates") and report.get("posts"):  # EMV is a figure of posts
        found.append(
            {
                "level": "info",
                "text": _(
                    "Earned media value needs the exchange rate %(rates)s: the value "
                    "table is in another currency."
                )
                % {"rates": ", ".join(report["emv_missing_rates"])},
            }
        )
    if report.get("missing_counters") and report.get("posts"):
        found.append(
            {
                "level": "info",
                "text": _("No post reported %(counters)s: engagements leave them out.")
                % {
                    "counters": ", ".join(
                        str(COUNTER_LABELS[c]) for c in report["missing_counters"]
                    )
                },
            }
        )
    return found
