"""A campaign's report (whole, per creator, tier and platform) against figures worked out by
hand, and the money conversion behind its cost and revenue."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from tracking.results.scoring.money import (
    collaboration_costs,
    convert,
    net_revenue,
    rate_between,
    split_exactly,
)
from tracking.results.scoring.report import ReportInputs, campaign_report, platform_shares

NAN = float("nan")
COUNTERS = ["views", "reach", "impressions", "likes", "comments", "shares", "saves"]

# Three creators in a TWD campaign; Ben is paid in USD (1 USD = 30 TWD).
#   Anna (micro, TWD): 10,000 + 2,000 + 100 + 0      = 12,100 TWD
#   Ben  (macro, USD): 1,000 + 0 + 0 + 50 = 1,050 USD = 31,500 TWD
#   Cara (micro, TWD): no fee, 500 of product         =    500 TWD, nothing posted yet
COLLABORATIONS = pd.DataFrame(
    [
        (1, "Anna", "micro", "TWD", Decimal(10_000), Decimal(2_000), Decimal(100), Decimal(0)),
        (2, "Ben", "macro", "USD", Decimal(1_000), Decimal(0), Decimal(0), Decimal(50)),
        (3, "Cara", "micro", "TWD", None, Decimal(500), Decimal(0), Decimal(0)),
    ],
    columns=[
        "collaboration",
        "name",
        "tier",
        "currency",
        "fee",
        "product_cost",
        "shipping_cost",
        "other_cost",
    ],
)
# Anna's post: impressions unknown → views 10,000; engagements 500+50+10+40 = 600.
# Ben on Instagram: impressions 50,000; engagements 1,000+100 = 1,100 (shares, saves missing).
# Ben on YouTube: views 30,000; engagements 900+100 = 1,000.
POSTS = pd.DataFrame(
    [
        (1, "instagram", "live", 10_000, 8_000, NAN, 500, 50, 10, 40),
        (2, "instagram", "live", NAN, NAN, 50_000, 1_000, 100, NAN, NAN),
        (2, "youtube", "deleted", 30_000, NAN, NAN, 900, 100, NAN, NAN),
    ],
    columns=["collaboration", "platform", "status", *COUNTERS],
)
ACCOUNTS = pd.DataFrame(
    [
        (1, "instagram", "anna.ig", 20_000, 5_000),
        (2, "youtube", "BenTube", 80_000, None),
        (2, "instagram", "ben.ig", 50_000, 25_000),
    ],
    columns=["collaboration", "platform", "handle", "followers", "avg_views"],
)
DELIVERABLES = pd.DataFrame(
    [(1, "instagram"), (2, "instagram"), (3, "youtube")], columns=["collaboration", "platform"]
)
CLICKS = pd.DataFrame([(1, 200), (2, 100)], columns=["collaboration", "clicks"])
# Anna: 1,000 + (2,000 − 500 refunded) = 2,500 TWD and a cancelled 3,000 that does not count.
# Ben: 100 USD = 3,000 TWD.
CONVERSIONS = pd.DataFrame(
    [
        (1, Decimal(1_000), Decimal(0), "TWD", False),
        (1, Decimal(2_000), Decimal(500), "TWD", False),
        (1, Decimal(3_000), Decimal(0), "TWD", True),
        (2, Decimal(100), Decimal(0), "USD", False),
    ],
    columns=["collaboration", "amount", "refunded", "currency", "cancelled"],
)
EMV_TABLE = pd.DataFrame(
    [
        ("instagram", "views", Decimal("0.01"), "USD"),
        ("instagram", "likes", Decimal("0.10"), "USD"),
        ("youtube", "views", Decimal("0.02"), "USD"),
    ],
    columns=["platform", "action", "value", "currency"],
)
RATES = {("USD", "TWD"): Decimal(30)}


def inputs(**changes) -> ReportInputs:
    values = {
        "currency": "TWD",
        "collaborations": COLLABORATIONS,
        "accounts": ACCOUNTS,
        "posts": POSTS,
        "deliverables": DELIVERABLES,
        "clicks": CLICKS,
        "conversions": CONVERSIONS,
        "emv_table": EMV_TABLE,
        "rates": RATES,
    }
    return ReportInputs(**(values | changes))


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_the_campaign_figures_add_up_every_creator_in_the_campaign_currency():
    report = campaign_report(inputs())
    assert report["cost"] == Decimal("44100.00")
    assert report["revenue"] == Decimal("5500.00")
    assert report["impressions"] == 90_000
    assert report["engagements"] == 2_700
    assert (report["clicks"], report["conversions"]) == (300, 3)
    assert report["engagement_rate"] == pytest.approx(0.03)
    # Cara has not posted: her 500 waits out of the cost per impression and per engagement.
    assert report["cpm"] == pytest.approx(43_600 / 90_000 * 1000)
    assert report["cpe"] == pytest.approx(43_600 / 2_700)
    assert report["cpc"] == pytest.approx(147.0)
    assert report["cpa"] == pytest.approx(14_700.0)
    assert report["roas"] == pytest.approx(5_500 / 44_100)
    assert report["roi"] == pytest.approx((5_500 - 44_100) / 44_100)
    assert report["ctr"] == pytest.approx(300 / 90_000)
    assert report["conversion_rate"] == pytest.approx(0.01)
    assert (report["posts"], report["deleted_posts"]) == (3, 1)
    assert report["missing_rates"] == report["emv_missing_rates"] == []


def test_earned_media_value_converts_the_value_table_into_the_campaign_currency():
    # Instagram: 10,000 views × 0.3 + 1,500 likes × 3 = 7,500; YouTube: 30,000 views × 0.6.
    assert campaign_report(inputs())["emv"] == Decimal("25500.00")


def test_each_creator_has_its_own_figures_and_handle():
    creators = by(campaign_report(inputs())["creators"], "name")
    anna, ben, cara = creators["Anna"], creators["Ben"], creators["Cara"]
    assert (anna["handle"], anna["tier"], anna["platform"]) == ("anna.ig", "micro", "instagram")
    assert anna["cost"] == Decimal("12100.00") and anna["revenue"] == Decimal("2500.00")
    assert anna["cpe"] == pytest.approx(12_100 / 600)
    assert anna["conversions"] == 2
    # Ben's two posts split evenly; the tie goes to the first platform by name.
    assert (ben["handle"], ben["platform"]) == ("ben.ig", "instagram")
    assert ben["missing_counters"] == ["shares", "saves"]
    assert ben["roi"] == pytest.approx((3_000 - 31_500) / 31_500)
    # Cara has no account and no post: her name stands in, the ratios are n/a, not 0.
    assert (cara["handle"], cara["platform"]) == ("Cara", "youtube")
    assert cara["impressions"] is None and cara["cpe"] is None and cara["cpm"] is None
    assert cara["missing_counters"] == []


def test_a_creator_yet_to_post_is_not_charged_to_those_who_posted():
    report = campaign_report(inputs())
    # The cost per engagement of the campaign is that of its creators' rows, weighted.
    anna, ben = (by(report["creators"], "name")[n] for n in ("Anna", "Ben"))
    weighted = (anna["cost"] + ben["cost"]) / (anna["engagements"] + ben["engagements"])
    assert report["cpe"] == pytest.approx(float(weighted))
    # Her cost still counts in the total, and so in the return on it.
    assert report["cost"] == Decimal("44100.00")


def test_a_creator_with_nothing_to_measure_has_no_return_yet():
    cara = by(campaign_report(inputs())["creators"], "name")["Cara"]
    assert cara["cost"] == Decimal("500.00") and cara["revenue"] == Decimal("0.00")
    assert cara["roi"] is None and cara["roas"] is None  # not −100 %


def test_tiers_group_the_creators_by_their_tier():
    tiers = by(campaign_report(inputs())["tiers"], "tier")
    assert tiers["micro"]["cost"] == Decimal("12600.00")
    assert tiers["micro"]["cpe"] == pytest.approx(12_100 / 600)  # Cara has not posted
    assert tiers["macro"]["cost"] == Decimal("31500.00")
    assert tiers["macro"]["cpe"] == pytest.approx(31_500 / 2_100)


def test_platforms_split_a_creators_cost_and_results_by_their_posts_there():
    platforms = by(campaign_report(inputs())["platforms"], "platform")
    instagram, youtube = platforms["instagram"], platforms["youtube"]
    assert instagram["cost"] == Decimal("27850.00")  # 12,100 + half of 31,500
    assert youtube["cost"] == Decimal("16250.00")  # half of 31,500 + Cara's 500
    assert (instagram["clicks"], youtube["clicks"]) == (250, 50)
    assert (instagram["conversions"], youtube["conversions"]) == (2.5, 0.5)
    assert instagram["revenue"] == Decimal("4000.00")
    assert (instagram["impressions"], youtube["impressions"]) == (60_000, 30_000)
    assert instagram["cost"] + youtube["cost"] == Decimal("44100.00")


def test_a_missing_exchange_rate_is_named_and_makes_the_totals_it_feeds_unknown():
    report = campaign_report(inputs(rates={}))
    assert report["missing_rates"] == report["emv_missing_rates"] == ["USD→TWD"]
    assert report["cost"] is None and report["cpe"] is None and report["roi"] is None
    assert report["emv"] is None
    creators = by(report["creators"], "name")
    assert creators["Anna"]["cost"] == Decimal("12100.00")  # her own money needs no rate
    assert creators["Ben"]["cost"] is None


def test_a_campaign_with_nothing_yet_reports_na_rather_than_zero():
    empty = campaign_report(
        inputs(
            collaborations=COLLABORATIONS.iloc[:0],
            posts=POSTS.iloc[:0],
            accounts=ACCOUNTS.iloc[:0],
            deliverables=DELIVERABLES.iloc[:0],
            clicks=CLICKS.iloc[:0],
            conversions=CONVERSIONS.iloc[:0],
        )
    )
    assert empty["cost"] == Decimal("0.00")
    assert empty["impressions"] is None
    for name in ("engagement_rate", "cpm", "cpe", "cpc", "cpa", "roas", "roi", "ctr"):
        assert empty[name] is None, name
    assert (empty["creators"], empty["tiers"], empty["platforms"]) == ([], [], [])


def test_rates_apply_both_ways_and_the_same_currency_needs_none():
    rates = {("USD", "TWD"): Decimal(32)}
    assert rate_between("TWD", "TWD", {}) == 1
    assert rate_between("USD", "TWD", rates) == 32
    assert rate_between("TWD", "USD", rates) == Decimal(1) / Decimal(32)
    assert rate_between("JPY", "TWD", rates) is None


def test_conversion_lists_each_missing_rate_once():
    converted = convert([Decimal(1), Decimal(2), Decimal(3)], ["JPY", "JPY", "EUR"], "TWD", {})
    assert converted.missing_rates == ["EUR→TWD", "JPY→TWD"]
    assert converted.total() is None


def test_costs_and_revenue_read_the_right_columns():
    costs = collaboration_costs(COLLABORATIONS.set_index("collaboration"), "TWD", RATES)
    assert list(costs.amounts) == [Decimal("12100.00"), Decimal("31500.00"), Decimal("500.00")]
    revenue = net_revenue(CONVERSIONS, "TWD", RATES)
    assert revenue.total() == Decimal("5500.00")


def test_a_collaboration_without_posts_or_deliverables_has_no_platform():
    shares = platform_shares(POSTS.iloc[:0], DELIVERABLES.iloc[:0], pd.Index([7]))
    assert shares.to_dict("records") == [{"collaboration": 7, "platform": "", "share": 1.0}]


def test_sponsored_views_are_held_against_the_accounts_usual_views():
    creators = by(campaign_report(inputs())["creators"], "name")
    # Anna: one post of 10,000 views against her usual 5,000.
    assert creators["Anna"]["views_vs_usual"] == 2.0
    # Ben: 30,000 views of the one post that reports views against ben.ig's usual 25,000.
    assert creators["Ben"]["views_vs_usual"] == 1.2
    assert creators["Cara"]["views_vs_usual"] is None  # no post, no account


def test_sponsored_engagement_is_held_against_the_accounts_own_posts():
    accounts = ACCOUNTS.assign(organic_rate=[0.06, None, 0.03])
    creators = by(campaign_report(inputs(accounts=accounts))["creators"], "name")
    # Anna: 600 engagements on one post / 20,000 followers = 0.03, against her own 0.06.
    assert creators["Anna"]["sponsored_vs_organic"] == 0.5
    # Ben: 2,100 engagements over two posts / ben.ig's 50,000 followers = 0.021, against 0.03.
    assert creators["Ben"]["sponsored_vs_organic"] == 0.7
    assert creators["Cara"]["sponsored_vs_organic"] is None  # no post, no account
    # Without a baseline (the column absent) the figure is n/a, never 0.
    assert by(campaign_report(inputs())["creators"], "name")["Anna"]["sponsored_vs_organic"] is None


def test_it_holds_the_campaign_tiers_and_platforms_views_against_the_usual_of_their_rows():
    report = campaign_report(inputs())
    # Σ views of the posts that report views / Σ (those posts × their account's usual):
    # Anna 10,000 against 5,000, Ben's YouTube post 30,000 against ben.ig's 25,000.
    assert report["views_vs_usual"] == round(40_000 / 30_000, 3)
    assert report["coverage"]["views_vs_usual"] == 2
    tiers, platforms = by(report["tiers"], "tier"), by(report["platforms"], "platform")
    assert (tiers["micro"]["views_vs_usual"], tiers["macro"]["views_vs_usual"]) == (2.0, 1.2)
    assert platforms["instagram"]["views_vs_usual"] == 2.0
    assert platforms["youtube"]["views_vs_usual"] == 1.2


def test_it_holds_the_campaigns_engagement_against_the_organic_engagement_of_its_rows():
    accounts = ACCOUNTS.assign(organic_rate=[0.06, None, 0.03])
    report = campaign_report(inputs(accounts=accounts))
    # Anna: 600 against 20,000 × 0.06 = 1,200; Ben: 2,100 against 2 × 50,000 × 0.03 = 3,000.
    assert report["sponsored_vs_organic"] == round(2_700 / 4_200, 3)
    assert by(report["tiers"], "tier")["macro"]["sponsored_vs_organic"] == 0.7
    assert by(report["platforms"], "platform")["youtube"]["sponsored_vs_organic"] == round(
        1_000 / 1_500, 3
    )


def test_it_leaves_a_post_without_views_out_of_its_creators_views_against_the_usual():
    # Ben's Instagram post reports no views: his YouTube post alone, 30,000 against 25,000.
    ben = by(campaign_report(inputs())["creators"], "name")["Ben"]
    assert ben["views_vs_usual"] == 1.2
    assert ben["coverage"]["views_vs_usual"] == 1 and ben["posts"] == 2


def test_it_spreads_a_creators_cost_over_the_posts_that_report_likes_for_the_cpe():
    posts = POSTS.assign(likes=[500, NAN, 900])  # Ben hides the likes of his Instagram post
    report = campaign_report(inputs(posts=posts))
    ben = by(report["creators"], "name")["Ben"]
    # Half of Ben's 31,500 for his YouTube post's 1,000 engagements.
    assert ben["cpe"] == pytest.approx(15_750 / 1_000)
    assert ben["coverage"]["cpe"] == 1
    # The campaign: Anna's 12,100 + half of Ben's; Cara's 500 waits until she posts.
    assert report["cpe"] == pytest.approx((12_100 + 15_750) / (600 + 1_000))
    instagram = by(report["platforms"], "platform")["instagram"]
    assert instagram["cpe"] == pytest.approx(12_100 / 600)


def test_it_splits_a_creators_money_between_platforms_to_the_cent():
    # 100.00 over three platforms: 33.34 + 33.33 + 33.33, not 3 × 33.33 = 99.99.
    assert split_exactly(Decimal("100.00"), [1 / 3] * 3, Decimal("0.01")) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert sum(split_exactly(Decimal("-0.05"), [0.5, 0.5], Decimal("0.01"))) == Decimal("-0.05")
    posts = pd.DataFrame(
        [(1, p, "live", 10, NAN, NAN, 1, 0, 0, 0) for p in ("instagram", "youtube", "tiktok")],
        columns=["collaboration", "platform", "status", *COUNTERS],
    )
    collaborations = COLLABORATIONS.iloc[:1].assign(
        fee=Decimal("97.9"), product_cost=Decimal(0), shipping_cost=Decimal(0)
    )
    report = campaign_report(
        inputs(collaborations=collaborations, posts=posts, clicks=CLICKS.iloc[:1])
    )
    platforms = report["platforms"]
    assert sum(row["cost"] for row in platforms) == report["cost"] == Decimal("97.90")
    assert sum(row["clicks"] for row in platforms) == report["clicks"] == 200
    assert sum(Decimal(str(row["conversions"])) for row in platforms) == 2
