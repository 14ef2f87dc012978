"""Account scores against figures worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from tracking.results.scoring.creator import (
    account_scores,
    comment_like_ratio,
    engagement_by_followers,
    growth_spike_z,
    home_share,
    organic_baseline,
)

NAN = float("nan")
HISTORY_NONE = pd.DataFrame(columns=["account", "day", "followers"])
AUDIENCE_NONE = pd.DataFrame(columns=["account", "country", "share"])
ACCOUNTS = pd.DataFrame(
    [
        # account, platform, tier, followers, following, home country
        (1, "instagram", "micro", 10_000, 500, "TW"),
        (2, "instagram", "micro", 20_000, 30_000, "TW"),
        (3, "youtube", "mid", None, None, ""),
    ],
    columns=["account", "platform", "tier", "followers", "following", "home_country"],
)


def posts(rows):
    return pd.DataFrame(
        rows, columns=["account", "published_at", "likes", "comments", "shares", "saves"]
    )


def test_engagement_is_the_median_of_the_last_twelve_posts_over_followers():
    # Account 1: 14 posts; the two oldest (huge) fall outside the last 12.
    rows = [(1, date(2026, 1, d), 100 * d, 0, 0, 0) for d in range(3, 15)]
    rows += [(1, date(2026, 1, 1), 99_999, 0, 0, 0), (1, date(2026, 1, 2), 99_999, 0, 0, 0)]
    scores = engagement_by_followers(ACCOUNTS, posts(rows))
    # Rates 0.03 … 0.14 (100·d / 10,000 for d = 3…14): median 0.085.
    assert scores.loc[1, "er_median"] == pytest.approx(0.085)
    assert scores.loc[1, "posts_used"] == 12
    rates = [d / 100 for d in range(3, 15)]
    mean = sum(rates) / 12
    std = (sum((r - mean) ** 2 for r in rates) / 12) ** 0.5
    assert scores.loc[1, "er_cv"] == pytest.approx(std / mean)


def test_an_account_without_posts_or_followers_has_no_rate():
    scores = engagement_by_followers(ACCOUNTS, posts([(3, date(2026, 1, 1), 10, 1, 0, 0)]))
    assert pd.isna(scores.loc[3, "er_median"]) and pd.isna(scores.loc[2, "er_median"])


def test_a_day_of_bought_followers_stands_out_as_a_spike():
    start = date(2026, 1, 1)
    steady = [100, 110, 90, 105, 95, 100, 102, 98, 101, 99, 100, 103, 97]
    followers, total = [], 10_000
    for gain in [*steady, 5_000, 100]:
        total += gain
        followers.append(total)
    history = pd.DataFrame(
        {
            "account": 1,
            "day": [start + timedelta(days=n) for n in range(len(followers))],
            "followers": followers,
        }
    )
    z = growth_spike_z(history)
    # The 14 daily gains (110, 90, 105, … 97, 5,000, 100) have median 100; their absolute
    # deviations (10, 10, 5, 5, 0, 2, 2, 1, 1, 0, 3, 3, 4,900, 0) have median 2.5.
    assert z.loc[1] == pytest.approx(4_900 / (1.4826 * 2.5))


def test_a_short_history_reads_no_spike():
    days = [date(2026, 1, d) for d in range(1, 6)]
    history = pd.DataFrame({"account": 1, "day": days, "followers": [1, 2, 3, 500, 501]})
    assert pd.isna(growth_spike_z(history).get(1))


def test_comments_per_like_and_home_share():
    ratio = comment_like_ratio(posts([(1, date(2026, 1, 1), 1_000, 1, 0, 0)]))
    assert ratio.loc[1] == pytest.approx(0.001)
    audience = pd.DataFrame(
        [(1, "TW", 0.25), (1, "MY", 0.6), (2, "TW", 0.7)], columns=["account", "country", "share"]
    )
    shares = home_share(ACCOUNTS, audience)
    assert shares.loc[1] == pytest.approx(0.25) and shares.loc[2] == pytest.approx(0.7)
    assert 3 not in shares.index  # no home country known


def test_the_authenticity_score_loses_the_penalty_of_each_signal_that_fires():
    post_rows = [(1, date(2026, 1, d), 10, 0, 0, 0) for d in range(1, 13)]  # ER 0.001
    post_rows += [(2, date(2026, 1, d), 2_000, 100, 0, 0) for d in range(1, 13)]  # ER 0.105
    audience = pd.DataFrame(
        [(1, "MY", 0.9), (2, "TW", 0.8)], columns=["account", "country", "share"]
    )
    history = pd.DataFrame(columns=["account", "day", "followers"])
    scores = account_scores(
        ACCOUNTS, posts(post_rows), history, audience, {("instagram", "micro"): 0.024}
    )
    # Account 1: ER 0.001 < 25 % of 0.024 (−25); 0 comments per like (−15); 10 % of the
    # audience at home (−15); following below followers. 100 − 55 = 45, from 4 signals read.
    assert scores.loc[1, "authenticity"] == 45
    assert scores.loc[1, "signals_read"] == 4
    assert bool(scores.loc[1, "fired_low_engagement"]) and not bool(
        scores.loc[1, "fired_follow_ratio"]
    )
    # Account 2 follows 30,000 accounts, more than its 20,000 followers (−10).
    assert scores.loc[2, "authenticity"] == 90
    assert scores.loc[2, "er_vs_benchmark"] == pytest.approx(0.105 / 0.024)
    # The directory counts the signals that fired: three for account 1, one for account 2.
    assert scores.loc[1, "red_flags"] == 3 and scores.loc[2, "red_flags"] == 1
    # Account 3 has nothing to read: no score rather than a perfect one, and no flag count.
    assert pd.isna(scores.loc[3, "authenticity"])
    assert pd.isna(scores.loc[3, "red_flags"])


def test_a_gain_over_several_days_counts_per_day():
    # Weekly snapshots gaining 700 a week are 100 a day: no spike.
    days = [date(2026, 1, 1) + timedelta(weeks=n) for n in range(16)]
    history = pd.DataFrame({"account": 1, "day": days, "followers": [700 * n for n in range(16)]})
    assert pd.isna(growth_spike_z(history).get(1))  # steady: MAD 0, nothing stands out


def test_sponsored_posts_are_held_against_the_accounts_own_posts():
    own = [(1, date(2026, 1, d), 400, 0, 0, 0, False) for d in (1, 2, 3, 4)]  # 0.04 each
    own += [(1, date(2026, 1, 5), 1_000, 0, 0, 0, False)]  # 0.10: median stays 0.04
    campaign = [
        (1, date(2026, 2, 1), 100, 0, 0, 0, True),
        (1, date(2026, 2, 2), 300, 0, 0, 0, True),
    ]
    frame = pd.DataFrame(
        own + campaign,
        columns=["account", "published_at", "likes", "comments", "shares", "saves", "sponsored"],
    )
    baseline = organic_baseline(ACCOUNTS, frame)
    assert baseline.loc[1, "organic_rate"] == pytest.approx(0.04)
    assert baseline.loc[1, "organic_posts"] == 5
    # Campaign posts: 0.01 and 0.03, median 0.02 → half the organic rate.
    assert baseline.loc[1, "sponsored_vs_organic"] == pytest.approx(0.5)
    # The engagement rate itself reads all seven posts: median of 0.01 … 0.10 is 0.04.
    assert account_scores(ACCOUNTS, frame, HISTORY_NONE, AUDIENCE_NONE, {}).loc[
        1, "er_median"
    ] == pytest.approx(0.04)


def test_too_few_own_posts_make_no_baseline():
    rows = [(1, date(2026, 1, d), 400, 0, 0, 0, d > 2) for d in (1, 2, 3)]
    frame = pd.DataFrame(
        rows,
        columns=["account", "published_at", "likes", "comments", "shares", "saves", "sponsored"],
    )
    baseline = organic_baseline(ACCOUNTS, frame)
    assert baseline.loc[1, "organic_posts"] == 2 and pd.isna(baseline.loc[1, "organic_rate"])
    assert pd.isna(baseline.loc[1, "sponsored_vs_organic"])
    assert pd.isna(baseline.loc[2, "organic_rate"])  # no post at all
