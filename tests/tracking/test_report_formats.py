"""The campaign report's XLSX keeps figures numeric and shows them as what they are, with a
stable column order; KPI cards and the summary read down the funnel on every surface."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import FUNNEL_ORDER, funnel_position
from campaigns.services import kpi_targets_set
from tests.campaigns import url
from tests.factories import CampaignFactory, PostFactory
from tests.tracking.test_results import roster
from tracking.models import Conversion
from tracking.results.figures import campaign_result_compute
from tracking.results.services import shared_report_create

# The Creators sheet's columns, in order (the figures' labels in English).
CREATORS_HEADER = [
    "Creator",
    "Name",
    "Profile URL",
    "Tier",
    "Platform",
    "Posts",
    "Cost",
    "Revenue",
    "Impressions",
    "Engagements",
    "Clicks",
    "Conversions",
    "CPE",
    "CPC",
    "CPA",
    "ROI",
    "Engagement rate",
    "Views against the usual",
    "Sponsored vs organic",
    "Earned media value",
    "Authenticity",
    "Audience fit",
    "Posts counted",
]
# KPIs set in an order unlike the funnel's (and unlike the alphabet's).
KPIS = {
    "roi": Decimal(10),
    "clicks": Decimal(100),
    "impressions": Decimal(1000),
    "cpe": Decimal(5),
    "revenue": Decimal(1000),
    "engagement_rate": Decimal(3),
    "conversions": Decimal(5),
    "reach": Decimal(500),
}
FUNNEL_KPIS = [
    "Reach",
    "Impressions",
    "Engagement rate",
    "CPE",
    "Clicks",
    "Conversions",
    "Revenue",
    "ROI",
]


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, currency="TWD", name="Funnel")
    roster(campaign, 3)
    kpi_targets_set(campaign=campaign, targets=KPIS)
    return campaign


def workbook(client, workspace, campaign):
    response = client.get(url("campaign_results_export", workspace, campaign.pk, "xlsx"))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows_by_header(sheet):
    header = [cell.value for cell in sheet[1]]
    return header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_the_creators_sheet_has_a_stable_column_order(alice_client, workspace, campaign):
    header, _rows = rows_by_header(workbook(alice_client, workspace, campaign)["Creators"])
    assert header == CREATORS_HEADER


def test_each_creator_row_links_the_main_account(alice_client, workspace, campaign):
    _header, rows = rows_by_header(workbook(alice_client, workspace, campaign)["Creators"])
    urls = {row["Profile URL"].value for row in rows}
    assert len(urls) == 3
    assert all(re.fullmatch(r"https://www\.youtube\.com/@h\d+", u) for u in urls)


def test_every_sheet_freezes_its_header_row(alice_client, workspace, campaign):
    book = workbook(alice_client, workspace, campaign)
    assert {sheet.title: sheet.freeze_panes for sheet in book} == dict.fromkeys(
        book.sheetnames, "A2"
    )


def test_money_rates_and_counts_are_numbers_formatted_as_such(alice_client, workspace, campaign):
    book = workbook(alice_client, workspace, campaign)
    _header, creators = rows_by_header(book["Creators"])
    row = creators[0]
    assert row["Cost"].value == 1000 and row["Cost"].number_format == '"TWD" #,##0'
    assert isinstance(row["Engagement rate"].value, float)
    assert row["Engagement rate"].number_format == "0.0%"
    assert row["Engagements"].value == 55 and isinstance(row["Engagements"].value, int)
    assert row["Engagements"].number_format == "#,##0"
    assert row["CPE"].number_format == '"TWD" #,##0.00'  # 1000 / 55 has cents
    _header, posts = rows_by_header(book["Posts"])
    assert posts[0]["Views"].value == 1000 and isinstance(posts[0]["Views"].value, int)
    assert posts[0]["Views"].number_format == "#,##0"
    summary = {row["Figure"].value: row["Value"] for row in rows_by_header(book["Summary"])[1]}
    assert summary["Cost"].value == 3000 and summary["Cost"].number_format == '"TWD" #,##0'
    assert summary["ROI"].number_format == "0.0%" and summary["ROAS"].number_format == '0.00"×"'
    assert summary["Impressions"].number_format == "#,##0"


def test_the_summary_lists_the_figures_down_the_funnel(alice_client, workspace, campaign):
    _header, rows = rows_by_header(workbook(alice_client, workspace, campaign)["Summary"])
    figures = [row["Figure"].value for row in rows]
    assert figures[:5] == ["Cost", "Reach", "Impressions", "CPM", "Views"]
    assert figures.index("Clicks") < figures.index("Conversions") < figures.index("Revenue")
    assert figures.index("Revenue") < figures.index("ROAS") < figures.index("ROI")


def test_the_funnel_order_names_every_kpi_and_puts_each_cost_after_its_result():
    from campaigns.models import KpiMetric

    assert set(KpiMetric.values) <= set(FUNNEL_ORDER)
    for cost, result in (("cpm", "impressions"), ("cpe", "engagements"), ("cpc", "clicks")):
        assert funnel_position(cost) > funnel_position(result)


def _kpi_labels(page: str) -> list[str]:
    """The labels of the KPI cards (the campaign's rates and ratios below them are not KPIs)."""
    cards = page.split("kpi-cards--ratios")[0]
    return re.findall(r'class="kpi(?:-card)?__label">([^<]+)<', cards)


def test_the_results_kpi_cards_follow_the_funnel(alice_client, workspace, campaign):
    page = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "kpis")).text
    assert _kpi_labels(page) == FUNNEL_KPIS


def test_the_plan_tab_and_the_kpi_form_follow_the_funnel(alice_client, workspace, campaign):
    page = alice_client.get(url("campaign_detail", workspace, campaign.pk)).text
    assert _kpi_labels(page) == FUNNEL_KPIS
    form = alice_client.get(url("campaign_kpis", workspace, campaign.pk)).text
    names = re.findall(r'name="(\w+)"', form)
    assert [n for n in names if n in KPIS] == [n for n in FUNNEL_ORDER if n in KPIS]


def test_a_share_link_shows_the_kpi_cards_down_the_funnel(client, alice, campaign):
    share = shared_report_create(campaign=campaign, user=alice, days=7)
    page = client.get(reverse("shared_results", args=[share.token])).text
    fragment = re.search(r'hx-get="([^"]*kpis[^"]*)"', page).group(1)
    assert _kpi_labels(client.get(fragment.replace("&amp;", "&")).text) == FUNNEL_KPIS


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")
def test_the_pdf_lists_kpis_down_the_funnel(alice_client, workspace, campaign):
    pdf = alice_client.get(url("campaign_results_export", workspace, campaign.pk, "pdf")).content
    command = ["pdftotext", "-layout", "-", "-"]
    text = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()
    kpis = text.split("KPIs: actual against target")[1].split("Figures")[0]
    found = [label for label in FUNNEL_KPIS if label in kpis]
    assert sorted(found, key=kpis.index) == FUNNEL_KPIS


def test_the_numbers_behind_the_chart_are_exact(alice_client, workspace, campaign):
    collaboration = campaign.collaborations.first()
    PostFactory(collaboration=collaboration, views=25_000, likes=1_234)
    campaign_result_compute(campaign)
    page = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "series")).text
    table = page.split('class="chart-data"')[1]
    assert "28,000" in table  # the three posts' 1,000 views and this one's 25,000
    assert "萬" not in table and "K<" not in table


def test_an_orders_cancellation_reads_as_yes_or_no(alice_client, workspace, campaign):
    collaboration = campaign.collaborations.first()
    for order_id, cancelled in (("A-1", True), ("A-2", False)):
        Conversion.objects.create(
            workspace=workspace,
            collaboration=collaboration,
            channel="manual",
            rule="promo",
            order_id=order_id,
            amount=Decimal(100),
            currency="TWD",
            cancelled=cancelled,
            occurred_at=timezone.now(),
        )
    _header, orders = rows_by_header(workbook(alice_client, workspace, campaign)["Orders"])
    assert {row["Order"].value: row["Cancelled"].value for row in orders} == {
        "A-1": "Yes",
        "A-2": "No",
    }
