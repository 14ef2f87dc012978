from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creators import services
from creators.models import Creator
from kolhub.spreadsheets import neutralise
from tests.factories import CreatorFactory, RateCardItemFactory, SocialAccountFactory


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


EXPECTED_HEADER = [
    "Name",
    "Real name",
    "Profile URL",
    "KOL or influencer",
    "Categories",
    "Region",
    "Followers",
    "Tier",
    "Engagement rate",
    "Engagement variation (CV)",
    "Authenticity",
    "Red flags",
    "Engagement against its tier (×)",
    "Sponsored vs organic (×)",
    "Lowest rate",
    "Currency",
    "Relationship",
]


@pytest.fixture
def spread(workspace):
    """Creators whose accounts are on different platforms, the biggest not listed first, and
    a count missing (which pandas would turn into floats)."""
    big = CreatorFactory(workspace=workspace, display_name="Big", rate_currency="USD")
    SocialAccountFactory(
        creator=big, platform="youtube", handle="bigtube", followers=1_591_845, profile_url=""
    )
    SocialAccountFactory(creator=big, platform="instagram", handle="big.ig", followers=12_000)
    RateCardItemFactory(creator=big, format="ig_post", price=Decimal("1250.50"))
    small = CreatorFactory(workspace=workspace, display_name="Small")
    SocialAccountFactory(creator=small, platform="tiktok", handle="smol", followers=None)
    RateCardItemFactory(creator=small, format="ig_post", price=Decimal("8000"))
    services.creators_refresh_summary(workspace=workspace, creator_ids=[big.pk, small.pk])
    services.creators_scores_record(
        workspace_id=workspace.pk,
        scores={big.pk: services.CreatorScores(0.0312, 85, 1.3, 0.42, 1, 0.8)},
    )


def _download(client, workspace, file_format):
    response = client.get(reverse("creator_export", args=[workspace.slug, file_format]))
    assert response.status_code == 200
    return response.content


def test_it_writes_counts_as_whole_numbers_in_the_csv(alice_client, workspace, spread):
    text = _download(alice_client, workspace, "csv").decode("utf-8-sig")
    assert "1591845" in text
    assert "1591845.0" not in text and "12000.0" not in text and "85.0" not in text
    assert ",8000," in text and "8000.0" not in text  # an amount without cents
    assert ",1250.5," in text


def test_the_columns_come_in_a_fixed_order_with_platforms_in_the_platform_list_order(
    alice_client, workspace, spread
):
    frame = pd.read_csv(io.BytesIO(_download(alice_client, workspace, "csv")), encoding="utf-8-sig")
    assert list(frame.columns) == [
        *EXPECTED_HEADER,
        "Instagram",
        "Instagram followers",
        "YouTube",
        "YouTube followers",
        "TikTok",
        "TikTok followers",
    ]


def test_the_profile_url_is_the_main_accounts(alice_client, workspace, spread):
    frame = pd.read_csv(io.BytesIO(_download(alice_client, workspace, "csv")), encoding="utf-8-sig")
    urls = dict(zip(frame["Name"], frame["Profile URL"], strict=True))
    assert urls == {
        "Big": "https://www.youtube.com/@bigtube",
        "Small": "https://www.tiktok.com/@smol",
    }


def test_the_xlsx_keeps_figures_numeric_and_formats_them(alice_client, workspace, spread):
    sheet = load_workbook(io.BytesIO(_download(alice_client, workspace, "xlsx"))).active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[: len(EXPECTED_HEADER)] == EXPECTED_HEADER
    big = dict(zip(header, sheet[2], strict=True))
    assert big["Name"].value == "Big"
    assert big["Followers"].value == 1_603_845 and big["Followers"].number_format == "#,##0"
    assert big["YouTube followers"].value == 1_591_845
    assert big["Engagement rate"].value == pytest.approx(0.0312)
    assert big["Engagement rate"].number_format == "0.00%"
    assert big["Lowest rate"].value == pytest.approx(1250.5)
    assert big["Lowest rate"].number_format == '"USD" #,##0.00'
    small = dict(zip(header, sheet[3], strict=True))
    assert small["Lowest rate"].number_format == '"TWD" #,##0'
    assert small["TikTok followers"].value is None
