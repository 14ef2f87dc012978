"""Real-browser tests: Playwright driving Debian's Chromium against a live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kolhub.models import Role
from tests.factories import (
    PASSWORD,
    BrandFactory,
    CreatorFactory,
    MembershipFactory,
    SocialAccountFactory,
    UserFactory,
    WorkspaceFactory,
)

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
FAILURE_DIR = Path(__file__).resolve().parents[2] / "var" / "e2e-failures"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: browser tests skipped (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason.replace("skipped", "required (REQUIRE_BROWSER=1)"))
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.console_errors = console_errors
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURE_DIR.mkdir(parents=True, exist_ok=True)
        shot = FAILURE_DIR / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
    context.close()


@pytest.fixture
def agency(transactional_db):
    """A small workspace: one brand, its owner (marketer@example.com) and one creator, Mei
    Hikes, with an Instagram account."""
    workspace = WorkspaceFactory(name="Tea Agency", slug="tea-agency", language="en")
    BrandFactory(workspace=workspace, name="Mountain Tea")
    marketer = UserFactory(email="marketer@example.com", first_name="Lin", language="en")
    MembershipFactory(workspace=workspace, user=marketer, role=Role.OWNER)
    creator = CreatorFactory(
        workspace=workspace, display_name="Mei Hikes", search_text="mei hikes", top_tier="micro"
    )
    SocialAccountFactory(creator=creator, platform="instagram", handle="mei.hikes")
    return workspace


def sign_in_marketer(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "marketer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].button--primary")
