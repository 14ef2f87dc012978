"""A rate says how many posts it covers, and the campaign's ratios against the accounts'
usual are never n/a while its creators have them: on the page, in the XLSX, the PDF and the
JSON of `campaign_report`."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command

from creators.models import SocialAccount
from tests.campaigns import url
from tests.factories import CampaignFactory
from tests.tracking.test_results import roster
from tracking.models import Post
from tracking.results import figures


@pytest.fixture
def campaign(brand):
    """Three creators with a post each (1,000 views, 50 likes, 5 comments) on accounts that
    usually get 800 views; the third post hides its likes."""
    campaign = CampaignFactory(brand=brand, name="Hidden likes")
    collabs = roster(campaign, 3)
    SocialAccount.objects.filter(creator__collaborations__campaign=campaign).update(avg_views=800)
    Post.objects.filter(collaboration=collabs[2]).update(likes=None)
    figures.campaign_result_compute(campaign)
    return campaign


def fragment(client, workspace, campaign, name: str) -> str:
    response = client.get(url("campaign_results_fragment", workspace, campaign.pk, name))
    assert response.status_code == 200
    return response.text


def test_it_shows_the_campaigns_ratios_under_the_kpi_cards(alice_client, workspace, campaign):
    html = fragment(alice_client, workspace, campaign, "kpis")
    found = re.search(
        r'data-figure="views_vs_usual">.*?data-value="([^"]*)"', html, flags=re.DOTALL
    )
    assert found and float(found.group(1)) == 1.25  # 3,000 views against 3 × 800
    assert "Views against the usual" in html


def test_it_says_how_many_posts_the_engagement_rate_covers(alice_client, workspace, campaign):
    html = fragment(alice_client, workspace, campaign, "kpis")
    assert "over 2 of 3 posts" in html
    assert "over 2 of 3 posts" in fragment(alice_client, workspace, campaign, "funnel")
    creators = fragment(alice_client, workspace, campaign, "creators")
    # The creator who hides their likes has no engagement rate; the others cover all posts.
    assert "over 2 of 3 posts" not in creators
    tiers = fragment(alice_client, workspace, campaign, "tiers")
    assert "over 2 of 3 posts" in tiers


def test_it_gives_the_ratios_and_the_posts_counted_in_the_xlsx(alice_client, workspace, campaign):
    response = alice_client.get(url("campaign_results_export", workspace, campaign.pk, "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Summary"].iter_rows(values_only=True))
    header, summary = rows[0], {row[0]: row for row in rows[1:]}
    value, counted = header.index("Value"), header.index("Posts counted")
    assert summary["Views against the usual"][value] == 1.25
    assert summary["Engagement rate"][value] == pytest.approx(110 / 2_000)
    assert summary["Engagement rate"][counted] == "over 2 of 3 posts"
    tiers = list(book["Tiers"].iter_rows(values_only=True))
    micro = dict(zip(tiers[0], tiers[1], strict=True))
    assert micro["Views against the usual"] == 1.25
    assert micro["Posts counted"] == "Engagement rate 2/3 · CPE 2/3"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler) not installed")
def test_it_gives_the_ratios_and_the_posts_counted_in_the_pdf(alice_client, workspace, campaign):
    response = alice_client.get(url("campaign_results_export", workspace, campaign.pk, "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "1.25×" in flat
    assert "over 2 of 3 posts" in flat


def test_it_gives_the_ratios_and_the_coverage_in_the_json(campaign, capsys):
    call_command("campaign_report", campaign.slug, "--workspace", campaign.workspace.slug)
    report = json.loads(capsys.readouterr().out)
    assert report["views_vs_usual"] == 1.25
    assert report["coverage"]["engagement_rate"] == 2 and report["posts"] == 3
    assert report["tiers"][0]["coverage"]["cpe"] == 2
