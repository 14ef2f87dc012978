"""The directory as CSV or XLSX, as filtered on screen.

A small directory's file is built in the request. A large one's (creators.export_files) is
built by a worker: the Export link swaps in a panel that polls the export's progress and ends
with a link; without JavaScript the same address leads to a page that says how far it got.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling

from creators import export_files, selectors
from creators.models import DirectoryExport
from kolhub.files import file_response
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member

PAGE = "creators/directory_export.html"


@require_GET
@workspace_member(role=Role.MEMBER)
def creator_export(request: WorkspaceRequest, file_format: str) -> HttpResponseBase:
    if file_format not in export_files.FORMATS:
        raise Http404
    filters = export_files.directory_filters(request.workspace, request.GET)
    if not export_files.built_in_worker(
        selectors.creator_directory(request.workspace, filters).count()
    ):
        creators = selectors.creator_directory_export(request.workspace, filters)
        response = HttpResponse(
            export_files.export_build(creators, file_format),
            content_type=export_files.FORMATS[file_format].content_type,
        )
        filename = export_files.export_filename(
            request.workspace, file_format, timezone.localdate()
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
        return response
    query = request.GET.copy()
    query.pop("page", None)
    directory_export = export_files.directory_export_request(
        membership=request.membership,
        filters=query.urlencode(),
        file_format=file_format,
        language=get_language(),
    )
    if request.htmx:
        return _progress(request, directory_export)
    return redirect("directory_export", request.workspace.slug, directory_export.pk)


def _context(request: WorkspaceRequest, directory_export: DirectoryExport) -> dict:
    slug, query = request.workspace.slug, directory_export.filters
    directory_url = reverse("creator_list", args=[slug])
    again_url = reverse("creator_export", args=[slug, directory_export.file_format])
    return {
        "directory_export": directory_export,
        "ready": export_files.directory_export_ready(directory_export),
        "section": "creators",
        "status_url": reverse("directory_export", args=[slug, directory_export.pk]),
        "download_url": reverse("directory_export_download", args=[slug, directory_export.pk]),
        "again_url": f"{again_url}?{query}" if query else again_url,
        "directory_url": f"{directory_url}?{query}" if query else directory_url,
    }


def _progress(request: WorkspaceRequest, directory_export: DirectoryExport) -> HttpResponse:
    """The progress panel, polled until the file is built or failed (then 286 stops it)."""
    context = _context(request, directory_export)
    if directory_export.in_progress:
        return render(request, f"{PAGE}#progress", context)
    return HttpResponseStopPolling(render_to_string(f"{PAGE}#progress", context, request))


@require_GET
@workspace_member(role=Role.MEMBER)
def directory_export(request: WorkspaceRequest, directory_export_id: int) -> HttpResponse:
    found = selectors.get_directory_export(request.membership, directory_export_id)
    if request.htmx:
        return _progress(request, found)
    return render(request, PAGE, _context(request, found))


@require_GET
@workspace_member(role=Role.MEMBER)
def directory_export_download(
    request: WorkspaceRequest, directory_export_id: int
) -> HttpResponseBase:
    found = selectors.get_directory_export(request.membership, directory_export_id)
    if not export_files.directory_export_ready(found):
        return redirect("directory_export", request.workspace.slug, found.pk)
    day = timezone.localdate(found.created_at)
    return file_response(
        found.file,
        name=export_files.export_filename(request.workspace, found.file_format, day),
        content_type=export_files.FORMATS[found.file_format].content_type,
        download=True,
    )
