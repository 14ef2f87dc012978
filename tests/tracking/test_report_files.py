"""A large campaign's XLSX and PDF are built by the worker: progress, a link, the stored file
served again for the same figures, to members who may see the campaign and through the share
link; a small campaign's are still built in the request."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import BrandFactory, CampaignFactory, MembershipFactory, UserFactory
from tests.tracking.test_results import roster
from tracking.models import CampaignResult, ReportFile, SharedReport
from tracking.results import exports
from tracking.results.figures import campaign_result_compute

HTMX = {"HX-Request": "true"}


@pytest.fixture
def large(settings):
    """Campaigns of more than two collaborations count as large here."""
    settings.REPORT_EXPORT_WORKER_ROWS = 2


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, name="Large launch")
    roster(campaign, 3)
    return campaign


def export_url(workspace, campaign, file_format="xlsx"):
    return url("campaign_results_export", workspace, campaign.pk, file_format)


def summary_of(content: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}


def builds(callbacks) -> int:
    """How many builds the request sent to the worker."""
    return sum("build_report_file" in repr(callback) for callback in callbacks)


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_builds_a_large_campaigns_file_in_the_worker_then_links_to_it(
    large, alice_client, workspace, campaign, django_capture_on_commit_callbacks
):
    page = alice_client.get(url("campaign_results", workspace, campaign.pk))
    assert f'hx-get="{export_url(workspace, campaign)}"' in page.text
    with django_capture_on_commit_callbacks(execute=True) as sent:
        started = alice_client.get(export_url(workspace, campaign), headers=HTMX)
    # The click answers at once with the progress panel; the worker builds after the commit.
    assert started.status_code == 200 and 'hx-trigger="every 1s"' in started.text
    assert "Waiting for a worker to start" in started.text
    assert builds(sent) == 1
    report_file = ReportFile.objects.get()
    assert report_file.status == ReportFile.Status.READY and report_file.language == "en"
    assert report_file.computed_at == CampaignResult.objects.get(campaign=campaign).computed_at

    status = alice_client.get(url("report_file", workspace, report_file.pk), headers=HTMX)
    assert status.status_code == 286  # htmx stops polling
    download_url = url("report_file_download", workspace, report_file.pk)
    assert f'href="{download_url}"' in status.text and "every 1s" not in status.text

    download = alice_client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="' in download["Content-Disposition"]
    # The figures of the stored result, the same the page shows.
    report = CampaignResult.objects.get(campaign=campaign).report
    summary = summary_of(streamed(download))
    assert summary["Cost"] == report["cost"] == 3000
    assert summary["CPM"] == pytest.approx(report["cpm"])


def test_the_same_figures_reuse_the_stored_file_and_new_ones_replace_it(
    large, alice_client, workspace, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    first = ReportFile.objects.get()
    stored = Path(first.file.path)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        again = alice_client.get(export_url(workspace, campaign))
    assert builds(sent) == 0, "nothing is built twice"
    assert again.status_code == 200 and streamed(again) == stored.read_bytes()

    campaign_result_compute(campaign)  # new figures: a new version
    with django_capture_on_commit_callbacks(execute=True) as sent:
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    assert builds(sent) == 1
    (second,) = ReportFile.objects.all()
    assert second.pk != first.pk and second.status == ReportFile.Status.READY
    assert not stored.exists(), "the old version's file is deleted"


def test_without_javascript_the_export_is_a_page_that_ends_with_the_file(
    large, alice_client, workspace, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = alice_client.get(export_url(workspace, campaign, "pdf"))
    report_file = ReportFile.objects.get()
    page_url = url("report_file", workspace, report_file.pk)
    assert response.status_code == 302 and response["Location"] == page_url
    page = alice_client.get(page_url)
    assert "Report as PDF" in page.text and 'http-equiv="refresh"' in page.text
    # Not built yet: the download address leads back to the page.
    assert (
        alice_client.get(url("report_file_download", workspace, report_file.pk)).status_code == 302
    )
    for callback in sent:
        callback()
    ready = alice_client.get(page_url)
    assert "Download PDF" in ready.text and 'http-equiv="refresh"' not in ready.text
    download = alice_client.get(url("report_file_download", workspace, report_file.pk))
    assert download["Content-Type"] == "application/pdf"
    assert streamed(download).startswith(b"%PDF")


def test_a_small_campaign_is_still_exported_in_the_request(alice_client, workspace, campaign):
    page = alice_client.get(url("campaign_results", workspace, campaign.pk))
    assert "hx-get" not in page.text.split('class="results-bar__actions"')[1].split("</div>")[0]
    response = alice_client.get(export_url(workspace, campaign), headers=HTMX)
    assert response.status_code == 200
    assert summary_of(response.content)["Cost"] == 3000
    assert not ReportFile.objects.exists()


def test_the_share_link_serves_the_stored_file(
    large, client, campaign, django_capture_on_commit_callbacks
):
    share = SharedReport.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        expires_at=timezone.now() + timedelta(days=7),
    )
    here = reverse("shared_results_export", args=[share.token, "xlsx"])
    page = client.get(reverse("shared_results", args=[share.token]))
    assert f'hx-get="{here}"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(here)
    assert waiting.status_code == 200 and "Waiting for a worker to start" in waiting.text
    assert "Read-only report" in waiting.text
    report_file = ReportFile.objects.get()
    polled = client.get(here, headers=HTMX)
    assert polled.status_code == 286 and f'href="{here}"' in polled.text
    with django_capture_on_commit_callbacks(execute=True) as sent:
        download = client.get(here)
    assert builds(sent) == 0 and ReportFile.objects.count() == 1
    assert streamed(download) == Path(report_file.file.path).read_bytes()
    assert summary_of(Path(report_file.file.path).read_bytes())["Cost"] == 3000


def test_a_closed_share_link_serves_no_file(large, client, campaign):
    share = SharedReport.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        expires_at=timezone.now() + timedelta(days=7),
        revoked_at=timezone.now(),
    )
    assert (
        client.get(reverse("shared_results_export", args=[share.token, "xlsx"])).status_code == 410
    )
    assert not ReportFile.objects.exists()


def test_another_workspace_and_other_brands_client_viewers_get_404(
    large,
    alice_client,
    charlie_client,
    client,
    workspace,
    campaign,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    report_file = ReportFile.objects.get()
    addresses = [
        url("report_file", workspace, report_file.pk),
        url("report_file_download", workspace, report_file.pk),
    ]
    for address in addresses:
        assert charlie_client.get(address).status_code == 404
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(BrandFactory(workspace=workspace))
    client.force_login(viewer)
    for address in addresses:
        assert client.get(address).status_code == 404
    membership.brands.add(campaign.brand)
    assert client.get(addresses[1]).status_code == 200


def test_a_failed_build_says_why_and_can_be_tried_again(
    large, alice_client, workspace, campaign, settings, tmp_path, django_capture_on_commit_callbacks
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked  # the disk refuses the file
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    report_file = ReportFile.objects.get()
    assert report_file.status == ReportFile.Status.FAILED
    status = alice_client.get(url("report_file", workspace, report_file.pk), headers=HTMX)
    assert status.status_code == 286
    assert "The file could not be prepared. Try again" in status.text
    assert f'hx-get="{export_url(workspace, campaign)}"' in status.text  # "Try again"

    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True) as sent:
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    assert builds(sent) == 1
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY and report_file.error == ""


def test_the_worker_writes_in_the_readers_language(
    large, alice, alice_client, workspace, campaign, django_capture_on_commit_callbacks
):
    alice.language = "zh-hant"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    report_file = ReportFile.objects.get()
    assert report_file.language == "zh-hant"
    book = openpyxl.load_workbook(Path(report_file.file.path))
    assert book.sheetnames[:2] == ["摘要", "創作者"]


def test_an_unknown_format_is_404(large, alice_client, workspace, campaign):
    assert alice_client.get(export_url(workspace, campaign, "docx")).status_code == 404
    assert not ReportFile.objects.exists()


def test_the_prune_deletes_replaced_and_old_files(
    large, alice_client, workspace, campaign, brand, django_capture_on_commit_callbacks
):
    other = CampaignFactory(brand=brand)
    roster(other, 3)
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
        alice_client.get(export_url(workspace, other), headers=HTMX)
    kept, replaced = (
        ReportFile.objects.get(campaign=campaign),
        ReportFile.objects.get(campaign=other),
    )
    CampaignResult.objects.filter(campaign=other).update(
        computed_at=timezone.now() + timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.report_files_prune() == 1
    assert list(ReportFile.objects.all()) == [kept]
    assert not Path(replaced.file.path).exists() and Path(kept.file.path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.report_files_prune(now=timezone.now() + timedelta(days=4)) == 1
    assert not ReportFile.objects.exists() and not Path(kept.file.path).exists()


def test_the_results_page_reads_no_more_rows_for_a_large_campaign(
    large, alice_client, workspace, campaign, django_assert_max_num_queries
):
    alice_client.get(url("campaign_results", workspace, campaign.pk))  # computes once
    with django_assert_max_num_queries(12):
        page = alice_client.get(url("campaign_results", workspace, campaign.pk))
    assert 'id="exports-xlsx"' in page.text


def test_a_file_being_built_when_the_figures_change_says_so(
    large, alice_client, workspace, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as first:
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    waiting = ReportFile.objects.get()
    campaign_result_compute(campaign)  # new figures while the first file waits for a worker
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace, campaign), headers=HTMX)
    for callback in first:  # the worker reaches the first file only now
        callback()
    waiting.refresh_from_db()
    assert waiting.status == ReportFile.Status.FAILED
    status = alice_client.get(url("report_file", workspace, waiting.pk), headers=HTMX)
    assert status.status_code == 286 and "The figures changed" in status.text
    assert ReportFile.objects.filter(status=ReportFile.Status.READY).count() == 1
