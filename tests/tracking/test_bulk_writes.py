"""The fast paths of a recompute (issue 21): frames read by COPY and rows written by COPY read
and write what the ORM would, on PostgreSQL and on SQLite alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from django.db import connection

from creators.models import Creator
from kolhub.bulk import rows_insert, rows_update, rows_upsert
from kolhub.frames import sql_frame
from tests.factories import CreatorFactory, SocialAccountFactory
from tracking.models import AccountScore

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)
FIELDS = [
    "workspace_id",
    "account_id",
    "engagement_rate",
    "signals",
    "computed_at",
    "posts_used",
    "organic_posts",
]


def test_it_inserts_then_updates_the_row_of_the_same_key(workspace):
    first, second = SocialAccountFactory.create_batch(2, creator__workspace=workspace)
    rows_upsert(
        AccountScore,
        fields=FIELDS,
        rows=[(workspace.pk, first.pk, 0.05, {"growth_spike": {"fired": False}}, AT, 12, 0)],
        unique=["account"],
    )
    written = rows_upsert(
        AccountScore,
        fields=FIELDS,
        rows=[
            (workspace.pk, first.pk, None, {"growth_spike": {"fired": True}}, AT, 0, 0),
            (workspace.pk, second.pk, 0.125, {}, AT, 3, 0),
        ],
        unique=["account"],
    )
    assert written == 2
    scores = {score.account_id: score for score in AccountScore.objects.all()}
    assert len(scores) == 2
    assert scores[first.pk].engagement_rate is None
    assert scores[first.pk].signals == {"growth_spike": {"fired": True}}
    assert (scores[second.pk].engagement_rate, scores[second.pk].computed_at) == (0.125, AT)
    assert (scores[first.pk].posts_used, scores[second.pk].posts_used) == (0, 3)


def test_it_inserts_rows_with_json_nulls_and_times(workspace):
    first, second = SocialAccountFactory.create_batch(2, creator__workspace=workspace)
    written = rows_insert(
        AccountScore,
        fields=FIELDS,
        rows=[
            (workspace.pk, first.pk, None, {"note": "台灣 ✓"}, AT, 12, 0),
            (workspace.pk, second.pk, 0.125, {}, AT, 3, 1),
        ],
    )
    assert written == 2
    scores = {score.account_id: score for score in AccountScore.objects.all()}
    assert scores[first.pk].engagement_rate is None
    assert scores[first.pk].signals == {"note": "台灣 ✓"}
    assert (scores[second.pk].engagement_rate, scores[second.pk].computed_at) == (0.125, AT)
    assert rows_insert(AccountScore, fields=FIELDS, rows=[]) == 0


def test_it_writes_nothing_for_no_rows(workspace):
    assert rows_upsert(AccountScore, fields=FIELDS, rows=[], unique=["account"]) == 0
    assert not AccountScore.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's directory updates through the ORM"
)
def test_an_update_touches_only_the_workspaces_rows(workspace):
    ours, theirs = CreatorFactory(workspace=workspace), CreatorFactory()
    changed = rows_update(
        Creator,
        fields=["id", "red_flags", "authenticity_score"],
        rows=[(ours.pk, 2, 75), (theirs.pk, 3, 60)],
        workspace_id=workspace.pk,
    )
    assert changed == 1
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.red_flags, ours.authenticity_score) == (2, 75)
    assert (theirs.red_flags, theirs.authenticity_score) == (None, None)


def test_a_frame_reads_numbers_nulls_and_no_rows(workspace):
    accounts = [
        SocialAccountFactory(creator__workspace=workspace, followers=followers, handle=handle)
        for followers, handle in ((1_000, "one"), (None, "two"))
    ]
    sql = (
        "SELECT id, followers, handle FROM creators_socialaccount "
        "WHERE workspace_id = %s ORDER BY id"
    )
    frame = sql_frame(sql, [workspace.pk], ["account", "followers", "handle"])
    assert frame["account"].tolist() == [account.pk for account in accounts]
    assert frame["followers"].iloc[0] == 1_000 and pd.isna(frame["followers"].iloc[1])
    assert frame["handle"].tolist() == ["one", "two"]
    empty = sql_frame(sql, [0], ["account", "followers", "handle"], {"account": "int64"})
    assert list(empty.columns) == ["account", "followers", "handle"] and empty.empty
    assert empty["account"].dtype == "int64"
