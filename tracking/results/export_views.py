"""The campaign report as XLSX or PDF, for members and through a share link.

A small campaign's file is built in the request. A large one's (tracking.results.exports) is
built by a worker: the Download button swaps in a panel that polls the file's progress and ends
with a link; without JavaScript the same address is a page that says how far it got. Once
built, the stored file is served, by the member views (for a campaign the member may see) or by
the share link's own address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from kolhub.files import file_response
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking.models import CampaignResult, ReportFile, SharedReport
from tracking.results import exports, selectors
from tracking.results.dashboard_views import shared_view, stored_result

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

PAGE = "tracking/report_file.html"


class ShareRequest(HttpRequest):
    """Typing-only: the request of a share link's view (no workspace; htmx details)."""

    htmx: HtmxDetails


def _built_now(campaign: Campaign, result: CampaignResult, file_format: str) -> HttpResponse:
    response = HttpResponse(
        exports.export_build(campaign, result, file_format),
        content_type=exports.FORMATS[file_format].content_type,
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=exports.export_filename(campaign, file_format)
    )
    return response


def _stored(report_file: ReportFile) -> HttpResponseBase:
    return file_response(
        report_file.file,
        name=exports.export_filename(report_file.campaign, report_file.file_format),
        content_type=exports.FORMATS[report_file.file_format].content_type,
        download=True,
    )


def _requested(campaign: Campaign, file_format: str) -> tuple[CampaignResult, ReportFile | None]:
    """The stored figures, and the worker's file of them when the campaign is large (None:
    build it now)."""
    if file_format not in exports.FORMATS:
        raise Http404
    result = stored_result(campaign)
    if not exports.built_in_worker(result):
        return result, None
    report_file = exports.report_file_request(
        campaign=campaign, result=result, file_format=file_format, language=get_language()
    )
    return result, report_file


def _progress(request: HttpRequest, context: dict) -> HttpResponse:
    """The progress panel, polled until the file is built or failed (then 286 stops it)."""
    report_file: ReportFile = context["report_file"]
    context["ready"] = exports.report_file_ready(report_file)
    if report_file.in_progress:
        return render(request, f"{PAGE}#progress", context)
    return HttpResponseStopPolling(render_to_string(f"{PAGE}#progress", context, request))


def _page(request: HttpRequest, context: dict) -> HttpResponse:
    context["ready"] = exports.report_file_ready(context["report_file"])
    return render(request, PAGE, context)


@require_GET
@workspace_member()
def campaign_results_export(
    request: WorkspaceRequest, campaign_id: int, file_format: str
) -> HttpResponseBase:
    campaign = campaign_selectors.get_campaign(request.membership, campaign_id)
    result, report_file = _requested(campaign, file_format)
    if report_file is None:
        return _built_now(campaign, result, file_format)
    if request.htmx:
        return _progress(request, _member_context(request, report_file))
    if exports.report_file_ready(report_file):
        return _stored(report_file)
    return redirect("report_file", request.workspace.slug, report_file.pk)


def _member_context(request: WorkspaceRequest, report_file: ReportFile) -> dict:
    slug, campaign = request.workspace.slug, report_file.campaign
    return {
        "base_template": "base.html",
        "report_file": report_file,
        "campaign": campaign,
        "section": "campaigns",
        "tab": "results",
        "status_url": reverse("report_file", args=[slug, report_file.pk]),
        "download_url": reverse("report_file_download", args=[slug, report_file.pk]),
        "again_url": reverse(
            "campaign_results_export", args=[slug, campaign.pk, report_file.file_format]
        ),
        "results_url": reverse("campaign_results", args=[slug, campaign.pk]),
    }


@require_GET
@workspace_member()
def report_file(request: WorkspaceRequest, report_file_id: int) -> HttpResponse:
    found = selectors.get_report_file(request.membership, report_file_id)
    context = _member_context(request, found)
    return _progress(request, context) if request.htmx else _page(request, context)


@require_GET
@workspace_member()
def report_file_download(request: WorkspaceRequest, report_file_id: int) -> HttpResponseBase:
    found = selectors.get_report_file(request.membership, report_file_id)
    if not exports.report_file_ready(found):
        return redirect("report_file", request.workspace.slug, found.pk)
    return _stored(found)


@shared_view
def shared_results_export(
    request: ShareRequest, share: SharedReport, file_format: str
) -> HttpResponseBase:
    """The share link's download: its one address polls, then serves the stored file."""
    campaign = share.campaign
    result, report_file = _requested(campaign, file_format)
    if report_file is None:
        return _built_now(campaign, result, file_format)
    here = reverse("shared_results_export", args=[share.token, file_format])
    context = {
        "base_template": "tracking/shared_base.html",
        "shared": True,
        "share": share,
        "report_file": report_file,
        "campaign": campaign,
        "status_url": here,
        "download_url": here,
        "again_url": here,
        "results_url": reverse("shared_results", args=[share.token]),
    }
    if request.htmx:
        return _progress(request, context)
    if exports.report_file_ready(report_file):
        return _stored(report_file)
    return _page(request, context)
