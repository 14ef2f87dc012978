"""Every account's scores of a workspace: inputs read in a fixed number of queries, computed
at once by tracking.results.scoring.creator, stored in AccountScore and rolled up to the creators'
directory columns (engagement rate and authenticity of their biggest account)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from creators.audience_labels import COUNTRIES, canonical_shares
from creators.models import AccountSnapshot, AudienceProfile, CommentSample, SocialAccount
from creators.services import CreatorScores, creators_scores_record
from kolhub.bulk import rows_upsert
from kolhub.frames import sql_frame
from tracking.models import AccountPost, AccountScore, EngagementBenchmark, Post
from tracking.results.scoring.campaign import ENGAGEMENT_COUNTERS
from tracking.results.scoring.creator import SIGNALS, account_scores
from tracking.results.scoring.defaults import DEFAULT_ENGAGEMENT_BENCHMARKS

HISTORY_DAYS = 90
# Where a creator is based, read from the free-text region (Taiwan's cities and counties, or
# an ISO country code typed as is).
TAIWAN = re.compile(
    r"台北|臺北|新北|桃園|台中|臺中|台南|臺南|高雄|新竹|基隆|嘉義|苗栗|彰化|南投|雲林|屏東|宜蘭|"
    r"花蓮|台東|臺東|澎湖|金門|連江|馬祖|台灣|臺灣|taipei|taichung|kaohsiung|tainan|taiwan",
    re.IGNORECASE,
)


def home_country(region: str) -> str:
    text = region.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return "TW" if TAIWAN.search(text) else ""


def benchmarks(workspace_id: int) -> dict[tuple[str, str], float]:
    table = {
        (platform, tier): rate
        for platform, tiers in DEFAULT_ENGAGEMENT_BENCHMARKS.items()
        for tier, rate in tiers.items()
    }
    own = EngagementBenchmark.objects.filter(workspace_id=workspace_id).values_list(
        "platform", "tier", "rate"
    )
    return table | {(platform, tier): float(rate) for platform, tier, rate in own}


def score_inputs(workspace_id: int) -> tuple[pd.DataFrame, ...]:
    """accounts, posts, history, audience, comments: six queries whatever the workspace's
    size."""
    accounts = pd.DataFrame.from_records(
        list(
            SocialAccount.objects.filter(workspace_id=workspace_id).values_list(
                "pk", "creator_id", "platform", "tier", "followers", "following", "creator__region"
            )
        ),
        columns=["account", "creator", "platform", "tier", "followers", "following", "region"],
    )
    accounts["home_country"] = accounts["region"].fillna("").map(home_country)
    # A tracked post counts for its creator's account on its platform (the biggest, if two).
    owner = (
        accounts.assign(size=accounts["followers"].fillna(-1))
        .sort_values("size", ascending=False)
        .drop_duplicates(["creator", "platform"])
        .set_index(["creator", "platform"])["account"]
    )
    post_rows = raw_frame(
        Post.objects.filter(workspace_id=workspace_id).values_list(
            "collaboration__creator_id",
            "platform",
            "platform_id",
            "published_at",
            *ENGAGEMENT_COUNTERS,
        ),
        ["creator", "platform", "platform_id", "published_at", *ENGAGEMENT_COUNTERS],
    )
    keys = pd.MultiIndex.from_frame(post_rows[["creator", "platform"]])
    tracked = post_rows.assign(account=owner.reindex(keys).to_numpy()).dropna(subset=["account"])
    posts = pd.concat(
        [tracked.assign(sponsored=True), own_posts(workspace_id, tracked)], ignore_index=True
    )
    since = timezone.localdate() - timedelta(days=HISTORY_DAYS)
    history = raw_frame(
        AccountSnapshot.objects.filter(
            workspace_id=workspace_id, captured_on__gte=since, followers__isnull=False
        ).values_list("account_id", "captured_on", "followers"),
        ["account", "day", "followers"],
    )
    return accounts, posts, history, latest_audience(workspace_id), latest_comments(workspace_id)


def own_posts(workspace_id: int, tracked: pd.DataFrame) -> pd.DataFrame:
    """The accounts' latest posts read from their profiles, less those a campaign tracks."""
    listed = raw_frame(
        AccountPost.objects.filter(workspace_id=workspace_id).values_list(
            "account_id", "platform_id", "published_at", *ENGAGEMENT_COUNTERS
        ),
        ["account", "platform_id", "published_at", *ENGAGEMENT_COUNTERS],
    )
    campaign = tracked[["account", "platform_id"]].astype({"account": "int64"}).drop_duplicates()
    marked = listed.astype({"account": "int64"}).merge(campaign, how="left", indicator=True)
    return marked[marked["_merge"] == "left_only"].drop(columns="_merge").assign(sponsored=False)


def raw_frame(queryset, columns: list[str]) -> pd.DataFrame:
    """The rows of a values_list query straight from the database (kolhub.frames): for
    hundreds of thousands of plain ints and dates, Django's per-row converters cost more than
    the query. Times (published_at) are read as times on PostgreSQL, and stay text on SQLite,
    which pandas sorts the same."""
    sql, params = queryset.query.sql_with_params()
    frame = sql_frame(sql, params, columns)
    if connection.vendor == "postgresql" and "published_at" in frame:
        frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True, format="ISO8601")
    return frame


def latest_audience(workspace_id: int) -> pd.DataFrame:
    """account, country, share from each account's latest audience profile."""
    profiles = (
        AudienceProfile.objects.filter(workspace_id=workspace_id)
        .exclude(countries={})
        .order_by("account_id", "-captured_on", "-pk")
        .values_list("account_id", "countries")
    )
    rows, seen = [], set()
    for account, countries in profiles:
        if account in seen:
            continue
        seen.add(account)
        rows += [
            (account, code, share) for code, share in canonical_shares(COUNTRIES, countries).items()
        ]
    return pd.DataFrame(rows, columns=["account", "country", "share"])


def latest_comments(workspace_id: int) -> pd.DataFrame:
    """account, text, source, created_at of each account's newest comment sample, whatever
    its source (pasted, uploaded or read from the platform)."""
    newest = CommentSample.objects.filter(account=OuterRef("account")).order_by(
        "-created_at", "-pk"
    )
    samples = CommentSample.objects.filter(
        workspace_id=workspace_id, pk=Subquery(newest.values("pk")[:1])
    ).values_list("account_id", "comments", "source", "created_at")
    rows = [
        (account, str(text), source, created_at)
        for account, texts, source, created_at in samples
        for text in texts
    ]
    return pd.DataFrame(rows, columns=["account", "text", "source", "created_at"])


def sample_origins(comments: pd.DataFrame) -> dict[int, dict[str, str]]:
    """account → where its newest comment sample came from and when (ISO), for the
    explanation of the comments signal."""
    firsts = comments.drop_duplicates("account")
    return {
        int(account): {"sample_source": str(source), "sample_at": created_at.isoformat()}
        for account, source, created_at in zip(
            firsts["account"], firsts["source"], firsts["created_at"], strict=True
        )
    }


def account_scores_compute(workspace_id: int) -> int:
    """Recompute and store every account's scores of the workspace; returns accounts scored."""
    accounts, posts, history, audience, comments = score_inputs(workspace_id)
    if accounts.empty:
        return 0
    scores = account_scores(
        accounts,
        posts.astype({"account": "int64"}),
        history,
        audience,
        benchmarks(workspace_id),
        comments,
    )
    now = timezone.now()
    origins = sample_origins(comments)
    rows = [
        (
            workspace_id,
            int(account),
            _number(row["er_median"]),
            _number(row["er_cv"]),
            int(row["posts_used"]) if not np.isnan(row["posts_used"]) else 0,
            _number(row["benchmark"]),
            None if np.isnan(row["authenticity"]) else int(row["authenticity"]),
            signals_of(row, origins.get(int(account), {})),
            _number(row["organic_rate"]),
            int(row["organic_posts"]),
            _number(row["sponsored_vs_organic"]),
            now,
        )
        for account, row in zip(scores.index, scores.to_dict("records"), strict=True)
    ]
    with transaction.atomic():
        rows_upsert(AccountScore, fields=SCORE_FIELDS, rows=rows, unique=["account"])
        creators_scores_record(workspace_id=workspace_id, scores=creator_rollup(accounts, scores))
    return len(rows)


# The columns of an AccountScore row, in the order account_scores_compute writes them.
SCORE_FIELDS = [
    "workspace_id",
    "account_id",
    "engagement_rate",
    "stability",
    "posts_used",
    "benchmark",
    "authenticity",
    "signals",
    "organic_rate",
    "organic_posts",
    "sponsored_vs_organic",
    "computed_at",
]


def _number(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def signals_of(row: dict, comment_origin: dict[str, str] | None = None) -> dict:
    """Each signal: whether it could be read, whether it fired, and the value it read (the
    comments signal adds how many comments it read, the most repeated ones, and where and
    when its sample was taken)."""
    values = {
        "growth_spike": row["growth_z"],
        "low_engagement": row["er_vs_benchmark"],
        "comment_like_ratio": row["comment_like_ratio"],
        "follow_ratio": (row["following"] / row["followers"]) if row["followers"] else None,
        "generic_comments": row["suspicious_comments"],
        "audience_geography": row["home_share"],
    }
    signals: dict[str, dict[str, Any]] = {
        name: {
            "available": bool(row[f"available_{name}"]),
            "fired": bool(row[f"fired_{name}"]),
            "value": _number(values[name]) if values[name] is not None else None,
            "penalty": signal.penalty,
        }
        for name, signal in SIGNALS.items()
    }
    signals["generic_comments"] |= {
        "comments_read": int(row["comments_read"]),
        "examples": row["comment_examples"] if isinstance(row["comment_examples"], list) else [],
        **(comment_origin or {}),
    }
    return signals


# The account-score column that each directory column reads.
ROLLUP_COLUMNS = {
    "engagement_rate": "er_median",
    "authenticity_score": "authenticity",
    "engagement_vs_tier": "er_vs_benchmark",
    "engagement_stability": "er_cv",
    "red_flags": "red_flags",
    "sponsored_vs_organic": "sponsored_vs_organic",
}


def creator_rollup(accounts: pd.DataFrame, scores: pd.DataFrame) -> dict[int, CreatorScores]:
    """creator → the directory's score columns, read from their biggest account."""
    joined = accounts.set_index("account").join(scores[list(ROLLUP_COLUMNS.values())])
    joined = joined.assign(size=joined["followers"].fillna(-1)).sort_values("size", ascending=False)
    top = joined.drop_duplicates("creator")
    return {
        int(row["creator"]): CreatorScores(
            **{field: _number(row[column]) for field, column in ROLLUP_COLUMNS.items()}
        )
        for row in top.to_dict("records")
    }
