"""The campaign formulas against figures worked out by hand."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from tracking.results.scoring.campaign import (
    campaign_figures,
    missing_counters,
    post_engagements,
    post_impressions,
    ratio,
)

NAN = float("nan")


def frame(rows):
    return pd.DataFrame(rows)


def test_the_roi_example_of_the_product_brief():
    # 100,000 spent, 1,000,000 of orders: ROI 900 %, ROAS 10.
    figures = campaign_figures(
        frame([{"platform": "instagram", "views": 1}]),
        cost=Decimal(100_000),
        revenue=Decimal(1_000_000),
        clicks=0,
        conversions=0,
    )
    assert figures.roi == pytest.approx(9.0)
    assert figures.roas == pytest.approx(10.0)


def test_impressions_fall_back_to_views_then_reach():
    posts = frame(
        [
            {"impressions": 1000, "views": 800, "reach": 500},  # impressions known
            {"impressions": NAN, "views": 800, "reach": 500},  # → views
            {"impressions": NAN, "views": NAN, "reach": 500},  # → reach
            {"impressions": NAN, "views": NAN, "reach": NAN},  # unknown
        ]
    )
    values = post_impressions(posts).tolist()
    assert values[:3] == [1000, 800, 500] and math.isnan(values[3])


def test_engagements_count_a_missing_counter_as_zero_and_say_so():
    posts = frame([{"likes": 100, "comments": 10, "shares": NAN}, {"likes": 50, "comments": 5}])
    assert post_engagements(posts).tolist() == [110, 55]
    assert missing_counters(posts) == ["shares", "saves"]


def test_a_campaign_worked_out_by_hand():
    posts = frame(
        [
            # impressions 20,000; engagements 600 + 40 + 30 + 30 = 700
            {"platform": "instagram", "impressions": 20_000, "likes": 600, "comments": 40,
             "shares": 30, "saves": 30},
            # no impressions: views 30,000; engagements 1,100 + 150 + 50 = 1,300 (saves missing)
            {"platform": "youtube", "impressions": NAN, "views": 30_000, "likes": 1_100,
             "comments": 150, "shares": 50, "saves": NAN},
        ]
    )  # fmt: skip
    figures = campaign_figures(
        posts, cost=Decimal(50_000), revenue=Decimal(80_000), clicks=1_000, conversions=40
    )
    assert (figures.impressions, figures.engagements) == (50_000, 2_000)
    assert figures.engagement_rate == pytest.approx(0.04)  # 2,000 / 50,000
    assert figures.cpm == pytest.approx(1000.0)  # 50,000 / 50,000 × 1,000
    assert figures.cpe == pytest.approx(25.0)  # 50,000 / 2,000
    assert figures.cpc == pytest.approx(50.0)  # 50,000 / 1,000
    assert figures.cpa == pytest.approx(1250.0)  # 50,000 / 40
    assert figures.roas == pytest.approx(1.6)  # 80,000 / 50,000
    assert figures.roi == pytest.approx(0.6)  # 30,000 / 50,000
    assert figures.ctr == pytest.approx(0.02)  # 1,000 / 50,000
    assert figures.conversion_rate == pytest.approx(0.04)  # 40 / 1,000
    assert figures.missing_counters == []  # each counter came from at least one post


def test_nothing_is_divided_by_zero():
    figures = campaign_figures(
        frame([{"platform": "tiktok", "views": NAN, "likes": NAN}]),
        cost=Decimal(0),
        revenue=Decimal(0),
        clicks=0,
        conversions=0,
    )
    for name in ("engagement_rate", "cpm", "cpe", "cpc", "cpa", "roas", "roi", "ctr",
                 "conversion_rate"):  # fmt: skip
        assert getattr(figures, name) is None, name
    assert figures.impressions is None and figures.engagements == 0


def test_ratio_is_none_for_unknowns_and_zero_denominators():
    assert ratio(1, 0) is None and ratio(None, 5) is None and ratio(5, None) is None
    assert ratio(Decimal(3), Decimal(4)) == 0.75


def test_earned_media_value_from_a_rate_table():
    posts = frame(
        [
            {"platform": "instagram", "views": 10_000, "likes": 500, "comments": 20},
            {"platform": "youtube", "views": 4_000, "likes": NAN, "comments": 10},
        ]
    )
    rates = {
        "instagram": {
            "views": Decimal("0.01"),
            "likes": Decimal("0.10"),
            "comments": Decimal("0.75"),
        },
        "youtube": {"views": Decimal("0.02"), "comments": Decimal("1")},
    }
    figures = campaign_figures(
        posts, cost=Decimal(1), revenue=Decimal(0), clicks=0, conversions=0, emv_rates=rates
    )
    # Instagram: 100 + 50 + 15 = 165; YouTube: 80 + 10 = 90.
    assert figures.emv == Decimal("255.00")


# Posts that hide a counter -------------------------------------------------------------------
# A: 10,000 impressions, 400 likes + 100 comments; B: 10,000 impressions, likes hidden, 50
# comments; C: nothing read of its reach (a story), 30 likes.
HIDDEN = [
    {"platform": "instagram", "impressions": 10_000, "likes": 400, "comments": 100},
    {"platform": "instagram", "impressions": 10_000, "likes": NAN, "comments": 50},
    {"platform": "instagram", "impressions": NAN, "likes": 30, "comments": 0},
]


def test_it_computes_the_engagement_rate_over_the_posts_that_report_likes_and_impressions():
    figures = campaign_figures(
        frame(HIDDEN), cost=Decimal(900), revenue=Decimal(0), clicks=30, conversions=0
    )
    # Only A reports both: 500 / 10,000, not 580 / 20,000 (B's views without its likes).
    assert figures.engagement_rate == pytest.approx(0.05)
    assert figures.coverage["engagement_rate"] == 1
    assert figures.posts == 3


def test_it_charges_each_rate_only_the_cost_of_the_posts_that_report_its_counters():
    figures = campaign_figures(
        frame(HIDDEN), cost=Decimal(900), revenue=Decimal(0), clicks=30, conversions=0
    )
    # The 900 spread over three posts: 300 each. CPE: A and C report likes, 600 / 530.
    assert figures.cpe == pytest.approx(600 / 530)
    assert figures.coverage["cpe"] == 2
    # CPM and CTR: A and B report impressions, 600 / 20,000 × 1,000 and 20 clicks / 20,000.
    assert figures.cpm == pytest.approx(30.0)
    assert figures.ctr == pytest.approx(20 / 20_000)
    assert figures.coverage["cpm"] == figures.coverage["ctr"] == 2
    # The totals themselves are every post's.
    assert (figures.cost, figures.engagements, figures.impressions) == (900, 580, 20_000)


def test_it_keeps_the_old_formulas_when_every_post_reports_every_counter():
    posts = frame([{"platform": "youtube", "views": 2_000, "likes": 100, "comments": 0}] * 2)
    figures = campaign_figures(
        posts, cost=Decimal(400), revenue=Decimal(0), clicks=40, conversions=0
    )
    assert figures.cpe == pytest.approx(2.0) and figures.cpm == pytest.approx(100.0)
    assert figures.engagement_rate == pytest.approx(0.05) and figures.ctr == pytest.approx(0.01)
    assert [figures.coverage[name] for name in ("engagement_rate", "cpe", "cpm", "ctr")] == [2] * 4
