"""A spreadsheet import in a real browser: the page follows the worker, then previews."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from creators import services
from creators.models import Creator, CreatorImport
from tests.e2e.conftest import sign_in_marketer

pytestmark = pytest.mark.e2e

ROSTER = "名稱,IG,IG 粉絲數\n小美日常,meimei.daily,1.2萬\n阿宏,ahong.tech,8K\n".encode()


def test_an_upload_is_previewed_then_imported(page, live_server, agency, tmp_path):
    sign_in_marketer(page, live_server)
    page.goto(f"{live_server.url}/w/{agency.slug}/creators/import/")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER)
    page.get_by_label("Spreadsheet").set_input_files(str(roster))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page).to_have_url(re.compile(r"/creators/import/\d+/$"))
    expect(page.locator(".lede")).to_have_text("2 rows")
    page.get_by_role("button", name="Import: 2 new, 0 updated").click()
    expect(page.get_by_role("heading", name="This file was imported")).to_be_visible()
    assert Creator.objects.filter(workspace=agency).count() == 3
    assert page.console_errors == []


def test_the_page_follows_a_check_still_running_and_shows_the_preview(page, live_server, agency):
    creator_import = CreatorImport(workspace=agency, filename="roster.csv", language="en")
    creator_import.file.save("roster.csv", ContentFile(ROSTER), save=False)
    creator_import.progress = {"step": "reading", "done": 2000}
    creator_import.save()
    sign_in_marketer(page, live_server)
    page.goto(f"{live_server.url}/w/{agency.slug}/creators/import/{creator_import.pk}/")
    expect(page.locator("#import-progress")).to_contain_text("Reading the file: 2,000 rows so far")

    services.creator_import_check(creator_import=creator_import)  # the worker's part

    # The page polls, sees the check done, and reloads itself to the preview.
    expect(page.locator(".lede")).to_have_text("2 rows", timeout=10_000)
    expect(page.get_by_role("button", name="Import: 2 new, 0 updated")).to_be_visible()
    assert page.console_errors == []
