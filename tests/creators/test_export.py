from __future__ import annotations

import io

import pandas as pd
import pytest
from django.urls import reverse

from creators import services
from creators.models import Creator
from kolhub.spreadsheets import neutralise
from tests.factories import CreatorFactory, SocialAccountFactory


@pytest.fixture
def roster(workspace):
    evil = CreatorFactory(workspace=workspace, display_name='=HYPERLINK("http://x")', region="+886")
    SocialAccountFactory(creator=evil, handle="evil", followers=5000)
    mei = CreatorFactory(workspace=workspace, display_name="小美日常", region="台北市")
    SocialAccountFactory(creator=mei, handle="mei", followers=12000)
    services.creators_refresh_summary(workspace=workspace, creator_ids=[evil.pk, mei.pk])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+886", "'+886"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("safe", "safe"),
        (12, 12),
        (None, None),
    ],
)
def test_it_neutralises_formulas(value, expected):
    assert neutralise(value) == expected


def test_it_exports_the_filtered_directory_as_csv(alice_client, workspace, roster):
    response = alice_client.get(
        reverse("creator_export", args=[workspace.slug, "csv"]), {"region": "台北市"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="creators-')
    assert response.content.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert list(frame["Name"]) == ["小美日常"]
    assert frame.loc[0, "Instagram followers"] == 12000


def test_it_exports_xlsx_without_live_formulas(alice_client, workspace, roster):
    response = alice_client.get(reverse("creator_export", args=[workspace.slug, "xlsx"]))
    frame = pd.read_excel(io.BytesIO(response.content), dtype=str)
    names = set(frame["Name"])
    assert '\'=HYPERLINK("http://x")' in names
    assert "'+886" in set(frame["Region"])


def test_it_knows_only_csv_and_xlsx(alice_client, workspace):
    assert (
        alice_client.get(reverse("creator_export", args=[workspace.slug, "pdf"])).status_code == 404
    )


def test_the_export_carries_the_scores_the_directory_shows(alice_client, workspace, roster):
    mei = Creator.objects.get(workspace=workspace, display_name="小美日常")
    services.creators_scores_record(
        workspace_id=workspace.pk,
        scores={mei.pk: services.CreatorScores(0.0312, 85, 1.3, 0.42, 1, 0.8)},
    )
    response = alice_client.get(
        reverse("creator_export", args=[workspace.slug, "csv"]), {"region": "台北市"}
    )
    row = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig").iloc[0]
    assert row["Engagement rate"] == 0.0312 and row["Authenticity"] == 85
    assert row["Engagement variation (CV)"] == 0.42 and row["Red flags"] == 1
    assert row["Engagement against its tier (×)"] == 1.3
    assert row["Sponsored vs organic (×)"] == 0.8
