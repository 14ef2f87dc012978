"""A campaign from plan to "published" in a real browser, with the creator on the portal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Collaboration, Draft, Stage
from tests.e2e.conftest import sign_in_marketer

pytestmark = pytest.mark.e2e


def test_it_runs_a_campaign_from_plan_to_published(browser, page, live_server, agency):
    base = f"{live_server.url}/w/{agency.slug}"
    today = timezone.localdate()

    # The marketer signs in and plans the campaign.
    sign_in_marketer(page, live_server)
    page.goto(f"{base}/campaigns/")
    page.get_by_role("link", name="+ New campaign").first.click()
    page.select_option("select[name=brand]", label="Mountain Tea")
    page.fill("input[name=name]", "Cold brew summer")
    page.select_option("select[name=objective]", "conversion")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + timedelta(days=30)).isoformat())
    page.fill("input[name=total_budget]", "200000")
    page.select_option("select[name=status]", "running")
    page.get_by_role("button", name="Create campaign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cold brew summer")

    page.get_by_role("link", name="Set targets").click()
    page.fill("input[name=impressions]", "1000000")
    page.fill("input[name=cpe]", "10")
    page.get_by_role("button", name="Save targets").click()
    expect(page.locator("#kpis")).to_contain_text("1,000,000")

    page.get_by_role("link", name="Plan budget").click()
    page.fill("input[name=micro_share]", "60")
    page.fill("input[name=mid_share]", "40")
    page.get_by_role("button", name="Save budget").click()
    expect(page.locator("#budget")).to_contain_text("120,000")

    page.get_by_role("link", name="Write the brief").click()
    page.fill("input[name=hashtags]", "#tea")
    page.fill("input[name=disclosure]", "#ad")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator("#brief")).to_contain_text("v1")

    # Roster: add the creator from the directory, then move the card by drag and by button.
    page.get_by_role("tab", name="Roster").or_(
        page.get_by_role("link", name="Roster")
    ).first.click()
    with page.expect_response(lambda response: "candidates/?q=mei" in response.url):
        page.locator("#cand-q").fill("mei")
    page.get_by_label(re.compile("Mei Hikes")).check()
    page.get_by_role("button", name="Add the ticked creators").click()
    expect(page.locator(".toast--success")).to_contain_text("1 creator added to the roster.")
    card = page.locator(".card-mini", has_text="Mei Hikes")
    card.drag_to(page.locator('.board__column[data-stage="contacted"]'))
    expect(page.locator('.board__column[data-stage="contacted"]')).to_contain_text("Mei Hikes")
    # The card moves at once; wait for the server's answer (and its new board) before the next
    # move, or that move may go to a card the answer is about to replace.
    expect(page.locator(".toast--success", has_text="Contacted")).to_be_visible()
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    card = page.locator(".card-mini", has_text="Mei Hikes")
    card.locator("select[name=stage]").select_option("negotiating")
    expect(page.locator('.board__column[data-stage="negotiating"]')).to_contain_text("Mei Hikes")

    # Terms, a deliverable, the contract.
    page.get_by_role("link", name="Mei Hikes").click()
    page.get_by_role("link", name="Edit terms").click()
    page.fill("input[name=fee]", "8000")
    page.check("input[name=rights_organic]")
    page.get_by_role("button", name="Save terms").click()
    page.get_by_role("link", name="+ Deliverable").click()
    page.select_option("select[name=format]", "ig_reel")
    page.fill("input[name=draft_due]", (today + timedelta(days=5)).isoformat())
    page.fill("input[name=publish_due]", (today + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save deliverable").click()
    page.select_option("#move-stage", "contracted")
    page.locator(".move-bar").get_by_role("button", name="Move").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contracted")

    # The creator's private link.
    page.get_by_role("button", name="Create the link").click()
    portal_url = page.locator("#portal-url").input_value()
    creator_context = browser.new_context(viewport={"width": 390, "height": 844})
    creator = creator_context.new_page()
    creator.set_default_timeout(15_000)
    creator.goto(portal_url)
    expect(creator.get_by_role("heading", level=1)).to_contain_text("Mei Hikes")
    creator.locator("summary", has_text="Send your draft").click()
    creator.fill("textarea[name=caption]", "Summer tea on the trail #tea")
    creator.get_by_role("button", name="Send for review").click()
    expect(creator.locator(".toast--success")).to_contain_text("sent for review")

    # The reviewer sees the missing disclosure and asks for changes.
    page.reload()
    page.get_by_role("link", name="Version 1").click()
    expect(page.locator("#checks")).to_contain_text("#ad")
    page.fill("textarea[name=body]", "Please add #ad at the end.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator(".comments")).to_contain_text("Please add #ad")

    # The creator reads the note and sends a second version.
    creator.reload()
    expect(creator.locator(".review-notes")).to_contain_text("Please add #ad")
    creator.fill("textarea[name=caption]", "Summer tea on the trail #tea #ad")
    creator.get_by_role("button", name="Send for review").click()
    expect(creator.locator(".toast--success")).to_contain_text("version 2")

    # Approved on the second round, with the diff on screen.
    page.goto(f"{base}/campaigns/drafts/{Draft.objects.get(version=2).pk}/")
    expect(page.locator("#diff ins")).to_contain_text("#ad")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("h1 .draft-status")).to_contain_text("Approved")

    # The creator posts and sends the link: the collaboration is published.
    creator.reload()
    creator.fill("input[name=url]", "https://www.instagram.com/reel/Cx1234567/")
    creator.get_by_role("button", name="Send the post link").click()
    expect(creator.locator(".toast--success")).to_contain_text("We have the link")
    creator_context.close()

    collaboration = Collaboration.objects.get()
    page.goto(f"{base}/campaigns/collaborations/{collaboration.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    expect(page.locator("#activity")).to_contain_text("Mei Hikes")
    assert collaboration.stage == Stage.PUBLISHED
    assert page.console_errors == []
