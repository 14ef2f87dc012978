"""Comments pasted in a real browser reach the authenticity score once recomputed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from creators.models import Creator
from tests.e2e.conftest import sign_in_marketer

pytestmark = pytest.mark.e2e


def test_pasted_comments_flag_the_account_after_a_recompute(page, live_server, agency):
    creator = Creator.objects.get(workspace=agency, display_name="Mei Hikes")
    base = f"{live_server.url}/w/{agency.slug}/creators/{creator.pk}"
    sign_in_marketer(page, live_server)

    page.goto(f"{base}/audience/")
    form = page.locator("form[action$='/audience/comments/']")
    form.get_by_label("Account").select_option(label="Instagram @mei.hikes")
    questions = [f"Which trail is it in part {n}?" for n in range(20)]
    form.get_by_label("Comments").fill("\n".join(questions + ["Nice pic!"] * 20))
    form.get_by_role("button", name="Store comments").click()

    expect(page).to_have_url(re.compile(rf"/creators/{creator.pk}/$"))
    expect(page.get_by_text("40 comments stored for Instagram @mei.hikes")).to_be_visible()
    scores = page.locator("#scores")
    expect(scores).to_contain_text("Comments were stored after these scores were computed.")
    scores.get_by_role("button", name="Recompute now").click()

    # The panel reloads itself once the worker has run (tasks run at once in tests).
    signal = scores.locator(".signal", has_text="Duplicate or generic comments")
    expect(signal).to_contain_text("−10", timeout=15_000)
    expect(signal).to_contain_text("read: 50.0% · of 40 comments")
    expect(signal).to_contain_text("Nice pic! × 20")
    assert page.console_errors == []
