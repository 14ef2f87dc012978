"""A large campaign's export goes through the real broker to a real Celery worker, and the
page's polling ends with the stored file."""

from __future__ import annotations

from tests.campaigns import url
from tests.factories import CampaignFactory
from tests.kolhub import test_worker
from tests.kolhub.test_worker import wait_for
from tests.tracking.test_report_files import HTMX, export_url, streamed, summary_of
from tests.tracking.test_results import roster
from tracking.models import CampaignResult, ReportFile

worker = test_worker.worker  # a real Celery worker through the real broker


def test_a_worker_builds_the_file_the_page_then_links_to(
    worker, settings, alice_client, workspace, brand
):
    settings.REPORT_EXPORT_WORKER_ROWS = 2
    campaign = CampaignFactory(brand=brand)
    roster(campaign, 3)
    started = alice_client.get(export_url(workspace, campaign), headers=HTMX)
    assert 'hx-trigger="every 1s"' in started.text
    report_file = ReportFile.objects.get()
    status_url = url("report_file", workspace, report_file.pk)

    def polled_done():
        return alice_client.get(status_url, headers=HTMX).status_code == 286

    assert wait_for(polled_done), "the worker never built the file"
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY
    download = alice_client.get(url("report_file_download", workspace, report_file.pk))
    summary = summary_of(streamed(download))
    assert summary["Cost"] == CampaignResult.objects.get(campaign=campaign).report["cost"]
