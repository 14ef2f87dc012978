"""Comments pasted in a real browser reach the authenticity score once recomputed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kolhub.models import Role
from tests.factories import (
    PASSWORD,
    CreatorFactory,
    MembershipFactory,
    SocialAccountFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def creator(transactional_db):
    workspace = WorkspaceFactory(name="Tea Agency", slug="tea-agency", language="en")
    marketer = UserFactory(email="marketer@example.com", language="en")
    MembershipFactory(workspace=workspace, user=marketer, role=Role.MEMBER)
    creator = CreatorFactory(workspace=workspace, display_name="Mei Hikes")
    SocialAccountFactory(creator=creator, handle="mei.hikes", followers=12_000, following=300)
    return creator


def test_pasted_comments_flag_the_account_after_a_recompute(page, live_server, creator):
    base = f"{live_server.url}/w/tea-agency/creators/{creator.pk}"
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "marketer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].button--primary")

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
