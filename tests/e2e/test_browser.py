from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kolhub.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from kolhub.models import Membership, Role, User
from tests.factories import BrandFactory, WorkspaceFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    consultant = User.objects.get(email="consultant@demo.kolhub.local")
    consultant.language = ""  # follow the browser (English) until the user picks a language
    consultant.save()
    second = WorkspaceFactory(name="Second Studio", slug="second-studio")
    BrandFactory(workspace=second, name="Studio Brand")
    Membership.objects.create(workspace=second, user=consultant, role=Role.MANAGER)
    return consultant


def sign_in(page, live_server, email="consultant@demo.kolhub.local"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].button--primary")
    expect(page).to_have_url(re.compile(r"/w/[\w-]+/$"))


def test_it_walks_a_consultant_through_workspaces_brands_and_languages(page, live_server, demo):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/{DEMO_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Obsidian Agency")
    expect(page.get_by_test_id("brand-card")).to_have_count(3)

    # Switch workspace through the switcher menu.
    page.get_by_test_id("workspace-switcher").locator("summary").click()
    page.get_by_role("link", name=re.compile("Second Studio")).click()
    expect(page).to_have_url(re.compile(r"/w/second-studio/$"))
    expect(page.get_by_test_id("brand-card")).to_have_count(1)

    # Open a brand.
    page.get_by_test_id("brand-card").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Studio Brand")

    # Switch the interface to Traditional Chinese and back.
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.get_by_role("link", name="總覽")).to_be_visible()
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Overview")).to_be_visible()
    assert page.console_errors == []


def test_it_changes_a_role_in_place_with_htmx(page, live_server, demo):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/{DEMO_SLUG}/settings/members/")
    manager = Membership.objects.get(user__email="manager@demo.kolhub.local")
    page.locator(f"#member-{manager.pk}").get_by_role("link", name="Change role").click()
    row = page.locator(f"#member-{manager.pk}.member--editing")
    row.locator("select[name=role]").select_option("member")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#member-{manager.pk}")).to_contain_text("Saved.")
    manager.refresh_from_db()
    assert manager.role == Role.MEMBER
    assert page.console_errors == []  # CSP violations and htmx errors land here


def test_it_shows_invitation_errors_without_reloading(page, live_server, demo):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/{DEMO_SLUG}/settings/members/")
    page.fill("#invite-form input[name=email]", "manager@demo.kolhub.local")
    page.locator("#invite-form").get_by_role("button", name="Send invitation").click()
    expect(page.locator("#invite-form")).to_contain_text("already a member")


def test_it_keeps_a_client_viewer_to_their_brand(page, live_server, demo):
    sign_in_url = f"{live_server.url}/accounts/login/"
    page.goto(sign_in_url)
    page.fill("input[name=username]", "client@demo.kolhub.local")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].button--primary")
    expect(page.get_by_test_id("brand-card")).to_have_count(1)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)


def test_it_searches_the_roster_as_you_type_and_opens_a_profile(page, live_server, demo):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/{DEMO_SLUG}/creators/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(25)
    page.fill("#id_q", "dr.lin")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=dr\.lin"))  # the filters live in the URL
    page.select_option("#id_tier", "mega")
    expect(page.locator("#results")).to_contain_text("No creator matches")
    page.select_option("#id_tier", "")
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("皮膚科林醫師")
    expect(page.locator(".chart img[src^='data:image/svg+xml']").first).to_be_visible()
    assert page.console_errors == []
