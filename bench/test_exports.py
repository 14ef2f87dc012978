"""Exporting a large campaign's report (issue 21), on PostgreSQL, each figure beside its budget:

    the Download click of a large campaign (250 collaborations,
        1,250 posts): the progress panel, the file sent to a worker     ≤ 200 ms median
    a poll of the progress panel                                         ≤ 200 ms median
    the download of the stored file                                      ≤ 200 ms median

"Before" is the same click building the file in the request, as every campaign did until the
worker took the large ones over (REPORT_EXPORT_WORKER_ROWS); it is printed beside, with the
worker's own time to build the file, for comparison.

Measured on PostgreSQL, 2 cores shared with five other busy processes (medians; the "before"
figures are inflated by the load, the ratios measured back to back):

    XLSX  click 4,972 ms before → 102 ms after (49×); poll 41 ms; stored download 40 ms;
          the worker's build 5.6 s
    PDF   click 14,763 ms before → 126 ms after (117×); poll 55 ms; stored download 56 ms
    contract issue 1,557 ms (request + printing) → 161 ms; signed PDF 815 ms → 7 ms (stored)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kolhub.models import Role
from tests.factories import MembershipFactory, UserFactory
from tracking.models import ReportFile
from tracking.results import exports, figures

HTMX = {"HX-Request": "true"}
RUNS = 7
BUDGET = 0.2


def median_of(action: Callable[[], object], runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def line(name: str, seconds: float, budget: float | None = None) -> str:
    if budget is None:
        return f"  {name:<44} {seconds * 1000:8.1f} ms"
    verdict = "within budget" if seconds <= budget else "OVER BUDGET"
    return f"  {name:<44} {seconds * 1000:8.1f} ms (budget {budget * 1000:.0f} ms) {verdict}"


@pytest.fixture
def large_campaign(db):
    from bench.scoring_data import campaign_with_history

    campaign = campaign_with_history(creators=250, posts=1_250, snapshots=50_000)
    owner = UserFactory()
    MembershipFactory(workspace=campaign.workspace, user=owner, role=Role.OWNER)
    client = Client(headers={"accept-language": "en"})
    client.force_login(owner)
    figures.campaign_result_compute(campaign)
    return campaign, client


@pytest.mark.scale
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the budget is PostgreSQL's")
@pytest.mark.parametrize("file_format", ["xlsx", "pdf"])
def test_export_click(
    large_campaign, file_format, settings, server_rendering, django_capture_on_commit_callbacks
):
    campaign, client = large_campaign
    slug = campaign.workspace.slug
    url = reverse("campaign_results_export", args=[slug, campaign.pk, file_format])

    settings.REPORT_EXPORT_WORKER_ROWS = 10**9  # before: every file built in the request
    client.get(url)  # warm (fonts, the chart)
    before = median_of(lambda: client.get(url), runs=5)

    settings.REPORT_EXPORT_WORKER_ROWS = 200

    def click() -> float:
        ReportFile.objects.all().delete()
        started = time.perf_counter()
        # The message to the broker goes after the commit, in the request: it is counted.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url, headers=HTMX)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and "every 1s" in response.text
        return elapsed

    click()
    after = statistics.median(click() for _ in range(RUNS))
    report_file = ReportFile.objects.get()
    started = time.perf_counter()
    exports.report_file_build(report_file_id=report_file.pk)  # the worker's part
    built = time.perf_counter() - started
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY
    status_url = reverse("report_file", args=[slug, report_file.pk])
    poll = median_of(lambda: client.get(status_url, headers=HTMX))
    download_url = reverse("report_file_download", args=[slug, report_file.pk])

    def download() -> None:
        response = client.get(download_url)
        assert b"".join(response.streaming_content)

    served = median_of(download)
    print(f"\n{file_format.upper()} of a campaign of 250 collaborations / 1,250 posts:")
    print(line("before: the click built the file", before))
    print(line("after: the click (panel, sent to the worker)", after, BUDGET))
    print(line("after: a poll of the progress panel", poll, BUDGET))
    print(line("after: the download of the stored file", served, BUDGET))
    print(line("the worker's build (off the request)", built))
    print(f"  the click is {before / after:.0f}x faster")
    assert max(after, poll, served) <= BUDGET


# --- Contracts ----------------------------------------------------------------------------


@pytest.mark.scale
def test_contract_issue_and_signed_pdf(db, django_capture_on_commit_callbacks):
    """Issuing a contract: the request saves the version, a worker prints the PDF (before, the
    request printed it). The signed PDF: stored once fully signed (before, built each time)."""
    from campaigns.contracts import selectors as contract_selectors
    from campaigns.contracts.pdf import contract_pdf
    from campaigns.models import SignedDocument, SignerRole
    from campaigns.signing import audit, services
    from campaigns.signing.texts import contract_draft
    from tests.factories import CollaborationFactory

    collaboration = CollaborationFactory()
    owner = UserFactory()
    MembershipFactory(workspace=collaboration.workspace, user=owner, role=Role.OWNER)
    client = Client(headers={"accept-language": "zh-hant"})
    client.force_login(owner)
    issue_url = reverse(
        "signing_contract_issue", args=[collaboration.workspace.slug, collaboration.pk]
    )
    chosen = contract_selectors.choose_template([], language="zh-hant", template_id=None)
    contract = contract_draft(collaboration, chosen).contract()
    contract_pdf(contract)  # warm: the font
    printed = median_of(lambda: contract_pdf(contract), runs=5)

    def issue() -> float:
        SignedDocument.objects.all().delete()
        started = time.perf_counter()
        # The message to the broker is not sent here (nothing would consume it): the
        # request's own work is timed, and the print done after.
        with django_capture_on_commit_callbacks(execute=False) as sent:
            assert client.post(issue_url, {"language": "zh-hant"}).status_code == 302
        elapsed = time.perf_counter() - started
        assert len(sent) == 1  # the print, sent to the worker once committed: done here
        services.document_pdf_render(document_id=SignedDocument.objects.get().pk)
        return elapsed

    issue()
    after = statistics.median(issue() for _ in range(RUNS))
    document = SignedDocument.objects.get()
    for role in (SignerRole.CREATOR, SignerRole.BRAND):
        services.document_sign(
            document=document, role=role, name="X", consent=True, ip="", user_agent=""
        )
    fresh = SignedDocument.objects.select_related("workspace")
    rebuilt = median_of(lambda: audit.signed_pdf(fresh.get(pk=document.pk)), runs=5)
    audit.signed_pdf_stored(fresh.get(pk=document.pk))
    stored = median_of(lambda: audit.signed_pdf_stored(fresh.get(pk=document.pk)))
    print("\nContract (zh-Hant, built-in template):")
    print(line("before: issuing, the request plus printing the PDF", after + printed))
    print(line("after: issuing (the worker prints the PDF)", after, BUDGET))
    print(line("before: the signed PDF, built at each download", rebuilt))
    print(line("after: the signed PDF, stored once", stored, BUDGET))
    assert after <= BUDGET and stored <= BUDGET
