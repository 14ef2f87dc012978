"""The Results tab and a client's share link in a real browser: every fragment loads without a
CSP or htmx error, sorting swaps the table and keeps its state in the address, both languages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign
from kolhub.management.commands.seed_demo import DEMO_SLUG
from tests.e2e.test_browser import demo, sign_in  # noqa: F401 - the demo fixture
from tracking.models import SharedReport

pytestmark = pytest.mark.e2e

SECTIONS = ["kpis", "funnel", "alerts", "series", "creators", "tiers", "platforms", "overlap"]


def running_campaign() -> Campaign:
    return Campaign.objects.get(workspace__slug=DEMO_SLUG, name__contains="30")


def test_the_results_tab_loads_every_fragment_and_sorts_in_place(page, live_server, demo):  # noqa: F811
    campaign = running_campaign()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/{DEMO_SLUG}/tracking/campaigns/{campaign.pk}/results/")
    for section in SECTIONS:
        expect(page.locator(f"#results-{section}")).to_be_visible()
    # The chart is an image of its own, addressed by the figures' version, and it loads.
    expect(page.locator("#results-series img")).to_have_attribute(
        "src", re.compile(r"/results/series-wide\.svg\?v=\d+$")
    )
    page.wait_for_function(
        "() => { const chart = document.querySelector('#results-series img');"
        " return chart && chart.complete && chart.naturalWidth > 0; }"
    )
    page.locator("#results-creators").get_by_role("link", name="CPE").click()
    expect(page).to_have_url(re.compile(r"results/\?sort=cpe&dir=desc"))
    expect(page.locator("#results-creators th[aria-sort]")).to_contain_text("CPE")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("#results-funnel")).to_contain_text("轉換漏斗")
    expect(page.locator("#results-creators th[aria-sort]")).to_contain_text("CPE")  # kept
    assert page.console_errors == []


def test_a_share_link_shows_the_dashboard_to_someone_without_an_account(
    browser,
    live_server,
    demo,  # noqa: F811
):
    campaign = running_campaign()
    share = SharedReport.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        expires_at=timezone.now() + timedelta(days=7),
    )
    context = browser.new_context(locale="zh-TW")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/s/{share.token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(campaign.name)
    for section in SECTIONS:
        expect(page.locator(f"#results-{section}")).to_be_visible()
    expect(page.get_by_text("立即重新計算")).to_have_count(0)
    expect(page.get_by_role("link", name="下載 PDF")).to_be_visible()
    assert errors == []
    context.close()
