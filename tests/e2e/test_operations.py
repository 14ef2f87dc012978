"""The admin's operations page shows a stopped worker, and a running one again, on its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kolhub.models import WorkerHeartbeat
from kolhub.tasks import heartbeat
from tests.factories import PASSWORD, UserFactory
from tracking import ops


@pytest.fixture
def staff(transactional_db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True, language="en")


def test_the_operations_page_follows_the_worker_heartbeat(
    page, live_server, staff, settings, monkeypatch
):
    # A short staleness and refresh: the page must change by itself, without a reload.
    settings.WORKER_STOPPED_AFTER_SECONDS = 2
    monkeypatch.setattr(ops, "REFRESH_SECONDS", 1)
    WorkerHeartbeat.objects.create(
        hostname="celery@gone", beat_at=timezone.now() - timedelta(minutes=10)
    )

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Workers, queues, periodic tasks, quotas and backlogs").click()

    state = page.locator("#ops-worker [data-worker-state]")
    expect(state).to_have_text("stopped")
    expect(page.locator("#ops-worker")).to_contain_text("celery@gone")

    heartbeat.delay()  # the real task (run inline in tests), as beat sends it to a worker
    expect(state).to_have_text("running", timeout=10_000)

    # No heartbeat since: stale after 2 s, shown within the next refresh.
    expect(state).to_have_text("stopped", timeout=10_000)
    # htmx and the page's CSS load under the CSP (the admin itself asks for a missing favicon).
    assert not [error for error in page.console_errors if "Content Security Policy" in error]
