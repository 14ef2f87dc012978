"""The campaign report as XLSX and PDF, for members and through a share link."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns import url
from tests.factories import CampaignFactory, CollaborationFactory, PostFactory
from tests.tracking.test_results import roster, snapshot
from tracking.models import MetricSnapshot, Post, SharedReport


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, name="夏日冷泡茶 Summer Brew")
    roster(campaign, 3)
    return campaign


def download(client, workspace, campaign, file_format: str):
    return client.get(url("campaign_results_export", workspace, campaign.pk, file_format))


def test_the_xlsx_has_a_sheet_per_table_with_the_figures(alice_client, workspace, campaign):
    response = download(alice_client, workspace, campaign, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary", "Creators", "Tiers", "Platforms", "Posts", "Time series", "Orders"
    ]  # fmt: skip
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Cost"] == 3000 and summary["CPM"] == pytest.approx(1000.0)
    creators = list(book["Creators"].iter_rows(values_only=True))
    assert len(creators) == 4 and creators[0][0] == "Creator"


def test_the_xlsx_draws_the_time_series_beside_its_figures(alice_client, workspace, campaign):
    post = Post.objects.filter(collaboration__campaign=campaign).first()
    start = timezone.now() - timedelta(days=3)
    MetricSnapshot.objects.bulk_create(
        [snapshot(post, start + timedelta(days=d), views=100 * d, likes=d) for d in range(3)]
    )
    book = openpyxl.load_workbook(
        io.BytesIO(download(alice_client, workspace, campaign, "xlsx").content)
    )
    sheet = book["Time series"]
    assert sheet.max_row > 1, "the roster's posts have a history"
    (chart,) = sheet._images
    assert chart.anchor._from.col == 4 and chart.anchor._from.row == 1  # E2, beside A:C
    assert chart._data()[:8] == b"\x89PNG\r\n\x1a\n"


def test_text_that_a_spreadsheet_would_run_stays_text(alice_client, workspace, campaign):
    evil = CollaborationFactory(campaign=campaign, stage="published", fee=10)
    evil.creator.display_name = '=HYPERLINK("http://evil.example","x")'
    evil.creator.save()
    PostFactory(collaboration=evil, views=10)
    book = openpyxl.load_workbook(
        io.BytesIO(download(alice_client, workspace, campaign, "xlsx").content)
    )
    names = [row[1] for row in book["Creators"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    posts = [row[0] for row in book["Posts"].iter_rows(min_row=2, values_only=True)]
    assert all(not str(name).startswith("=") for name in posts)


def test_the_pdf_embeds_its_font_and_reads_in_chinese(alice_client, alice, workspace, campaign):
    alice.language = "zh-hant"
    alice.save()
    response = download(alice_client, workspace, campaign, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"NotoSansTC" in response.content and b"/FontFile3" in response.content
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "夏日冷泡茶" in text and "成本" in text and "互動次數" in text


def test_a_campaign_with_nothing_yet_still_exports(alice_client, workspace, brand):
    empty = CampaignFactory(brand=brand)
    for file_format in ("xlsx", "pdf"):
        assert download(alice_client, workspace, empty, file_format).status_code == 200


def test_an_unknown_format_is_404(alice_client, workspace, campaign):
    assert download(alice_client, workspace, campaign, "docx").status_code == 404


def test_a_share_link_downloads_the_same_report_until_it_closes(client, campaign):
    share = SharedReport.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        expires_at=timezone.now() + timedelta(days=1),
    )
    export = reverse("shared_results_export", args=[share.token, "pdf"])
    assert client.get(export).content.startswith(b"%PDF")
    assert export in client.get(reverse("shared_results", args=[share.token])).text
    share.revoked_at = timezone.now()
    share.save()
    assert client.get(export).status_code == 410
