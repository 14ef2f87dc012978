"""Scores of a creator's account, computed for every account of a workspace at once.

    engagement rate by followers = median over the account's last 12 posts of
                                   (likes + comments + shares + saves) / followers
    stability                    = coefficient of variation (std / mean) of those 12 rates
    against the tier benchmark   = median rate / the workspace's benchmark for (platform, tier)
    organic rate                 = the same median over the account's last 12 posts outside
                                   any campaign (read from its profile)
    sponsored vs organic         = the median rate of its last 12 campaign posts / organic rate

The authenticity score starts at 100 and loses the penalty of every warning signal that
fires (docs/scoring.md gives the sources of each threshold). A signal without the data it
needs is reported as unavailable and costs nothing; the page says how many signals were read.

Inputs (one row each; no ORM here):
    accounts:  account, platform, tier, followers, following, home_country
    posts:     account, published_at, likes, comments, shares, saves, sponsored (a campaign
               post, or one of the account's own posts read from its profile)
    history:   account, day, followers          (daily AccountSnapshot rows)
    audience:  account, country, share          (the latest audience profile's countries)
    comments:  account, text                    (the latest comment sample's texts)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracking.results.scoring.campaign import ENGAGEMENT_COUNTERS
from tracking.results.scoring.comments import MIN_COMMENTS, SUSPICIOUS_SHARE, comment_readings

RECENT_POSTS = 12
# Robust z-score of a day's follower gain above which the day is a spike (PLATFORMS.md 6.3:
# (Δ − median) / (1.4826 · MAD) > 4), over at least this many days of history.
SPIKE_Z = 4.0
MIN_HISTORY_DAYS = 14
MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True)
class Signal:
    name: str
    penalty: int


# The penalties of the warning signals; the score is 100 minus those that fire.
SIGNALS = {
    "growth_spike": Signal("growth_spike", 25),
    "low_engagement": Signal("low_engagement", 25),
    "comment_like_ratio": Signal("comment_like_ratio", 15),
    "follow_ratio": Signal("follow_ratio", 10),
    "generic_comments": Signal("generic_comments", 10),
    "audience_geography": Signal("audience_geography", 15),
}
# Engagement below this share of the tier benchmark is a warning (ghost or bought followers).
LOW_ENGAGEMENT_SHARE = 0.25
# Comments per like outside this band: bought likes (too few comments) or pods (too many).
COMMENT_LIKE_BAND = (0.002, 0.5)
# Following more than followers (for an account past this size), or more than MASS_FOLLOWING.
FOLLOW_RATIO_FROM = 1_000
MASS_FOLLOWING = 5_000
MIN_SIGNALS = 2
# Less than this share of the audience in the creator's own country is a mismatch.
HOME_SHARE_MIN = 0.4


def engagement_by_followers(accounts: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """er_median, er_cv and posts_used per account (NaN where there are no posts or no
    follower count)."""
    followers = accounts.set_index("account")["followers"].astype("float64")
    recent = (
        posts.sort_values("published_at", ascending=False)
        .groupby("account", sort=False)
        .head(RECENT_POSTS)
    )
    engagements = recent[list(ENGAGEMENT_COUNTERS)].astype("float64").fillna(0).sum(axis=1)
    per_post = engagements / recent["account"].map(followers).where(lambda f: f > 0)
    grouped = per_post.groupby(recent["account"])
    result = pd.DataFrame(
        {
            "er_median": grouped.median(),
            "er_cv": grouped.std(ddof=0) / grouped.mean(),
            "posts_used": grouped.count(),
        }
    )
    return result.reindex(accounts["account"]).rename_axis("account")


# Fewer organic posts than this make no baseline: one lucky post is not a habit.
MIN_ORGANIC_POSTS = 3


def organic_baseline(accounts: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """organic_rate, organic_posts and sponsored_vs_organic per account: how the audience
    engages with the campaign posts against the account's own (NaN without a baseline)."""
    sponsored = (
        posts["sponsored"].astype(bool)
        if "sponsored" in posts
        else pd.Series(True, index=posts.index)
    )
    organic = engagement_by_followers(accounts, posts[~sponsored])
    paid = engagement_by_followers(accounts, posts[sponsored])
    baseline = organic["er_median"].where(organic["posts_used"] >= MIN_ORGANIC_POSTS)
    return pd.DataFrame(
        {
            "organic_rate": baseline,
            "organic_posts": organic["posts_used"].fillna(0).astype("int64"),
            "sponsored_vs_organic": paid["er_median"] / baseline.where(baseline > 0),
        }
    )


def growth_spike_z(history: pd.DataFrame) -> pd.Series:
    """Per account, the largest robust z-score of a day's follower gain; NaN with fewer than
    MIN_HISTORY_DAYS snapshots, or when the gains never vary (MAD 0)."""
    ordered = history.sort_values(["account", "day"])
    by_account = ordered.groupby("account")
    # Snapshots can skip days (a missed refresh): a gain over n days counts as n daily gains.
    days = pd.to_datetime(ordered["day"])
    elapsed = days.groupby(ordered["account"]).diff().dt.days
    gains = by_account["followers"].diff() / elapsed.where(elapsed > 0)
    frame = pd.DataFrame({"account": ordered["account"], "gain": gains}).dropna()
    by_account = frame.groupby("account")["gain"]
    median = by_account.transform("median")
    mad = (frame["gain"] - median).abs().groupby(frame["account"]).transform("median")
    z = (frame["gain"] - median) / (MAD_TO_SIGMA * mad.where(mad > 0))
    top = z.groupby(frame["account"]).max()
    days = by_account.count()
    return top.where(days >= MIN_HISTORY_DAYS - 1)


def comment_like_ratio(posts: pd.DataFrame) -> pd.Series:
    """Σ comments / Σ likes over each account's recent posts (NaN without likes)."""
    recent = (
        posts.sort_values("published_at", ascending=False)
        .groupby("account", sort=False)
        .head(RECENT_POSTS)
    )
    sums = recent.groupby("account")[["comments", "likes"]].sum(min_count=1)
    return sums["comments"] / sums["likes"].where(sums["likes"] > 0)


def home_share(accounts: pd.DataFrame, audience: pd.DataFrame) -> pd.Series:
    """The share of each account's audience in its creator's own country (NaN if unknown)."""
    home = accounts.set_index("account")["home_country"]
    matched = audience[audience["country"] == audience["account"].map(home)]
    shares = matched.groupby("account")["share"].sum()
    known = set(audience["account"]) & set(home.dropna()[home.dropna() != ""].index)
    return shares.reindex(sorted(known), fill_value=0.0)


def account_scores(
    accounts: pd.DataFrame,
    posts: pd.DataFrame,
    history: pd.DataFrame,
    audience: pd.DataFrame,
    benchmarks: Mapping[tuple[str, str], float],
    comments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every score of every account, with the inputs of each signal (indexed by account)."""
    frame = accounts.set_index("account")
    scores = engagement_by_followers(accounts, posts).join(organic_baseline(accounts, posts))
    scores["benchmark"] = [
        benchmarks.get((platform, tier), np.nan)
        for platform, tier in zip(frame["platform"], frame["tier"], strict=True)
    ]
    scores["er_vs_benchmark"] = scores["er_median"] / scores["benchmark"]
    scores["growth_z"] = growth_spike_z(history).reindex(scores.index)
    scores["comment_like_ratio"] = comment_like_ratio(posts).reindex(scores.index)
    followers = frame["followers"].astype("float64")
    following = frame["following"].astype("float64")
    scores["followers"], scores["following"] = followers, following
    scores["home_share"] = home_share(accounts, audience).reindex(scores.index)
    readings = comment_readings(
        comments if comments is not None else pd.DataFrame(columns=["account", "text"])
    ).reindex(scores.index)
    scores["comments_read"] = readings["comments_read"].fillna(0).astype("int64")
    scores["comment_examples"] = readings["examples"]
    # Too few comments say nothing about an audience: the signal is not read.
    scores["suspicious_comments"] = (
        readings["suspicious_share"]
        .astype("float64")
        .where(scores["comments_read"] >= MIN_COMMENTS)
    )
    fired = _fired(scores)
    available = _available(scores)
    penalty = sum(
        (fired[name] & available[name]).astype(int) * signal.penalty
        for name, signal in SIGNALS.items()
    )
    scores["signals_read"] = available.sum(axis=1)
    # One signal alone proves little: a score needs at least MIN_SIGNALS of them read.
    scores["authenticity"] = (
        (100 - penalty).clip(0, 100).where(scores["signals_read"] >= MIN_SIGNALS)
    )
    for name in SIGNALS:
        scores[f"fired_{name}"] = fired[name] & available[name]
        scores[f"available_{name}"] = available[name]
    # The directory's "red flags": how many signals fired, where there is a score at all.
    red_flags = sum(scores[f"fired_{name}"].astype(int) for name in SIGNALS)
    scores["red_flags"] = red_flags.where(scores["authenticity"].notna())
    return scores


def _available(scores: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "growth_spike": scores["growth_z"].notna(),
            "low_engagement": scores["er_vs_benchmark"].notna(),
            "comment_like_ratio": scores["comment_like_ratio"].notna(),
            "follow_ratio": scores["followers"].notna() & scores["following"].notna(),
            "generic_comments": scores["suspicious_comments"].notna(),
            "audience_geography": scores["home_share"].notna(),
        }
    )


def _fired(scores: pd.DataFrame) -> pd.DataFrame:
    low, high = COMMENT_LIKE_BAND
    ratio = scores["comment_like_ratio"]
    followers, following = scores["followers"], scores["following"]
    return pd.DataFrame(
        {
            "growth_spike": scores["growth_z"] > SPIKE_Z,
            "low_engagement": scores["er_vs_benchmark"] < LOW_ENGAGEMENT_SHARE,
            "comment_like_ratio": (ratio < low) | (ratio > high),
            "follow_ratio": ((following > followers) & (followers >= FOLLOW_RATIO_FROM))
            | (following > MASS_FOLLOWING),
            "generic_comments": scores["suspicious_comments"] >= SUSPICIOUS_SHARE,
            "audience_geography": scores["home_share"] < HOME_SHARE_MIN,
        }
    ).fillna(False)
