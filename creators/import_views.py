"""Import creators from the browser: upload, preview with column mapping, confirm.

A worker reads, checks and writes the file (a large one takes a minute); the page shows its
progress and polls until the step is done. Managers and owners only: an upload shows and
writes contact details, which members may not see.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from creators import selectors, services
from creators.import_forms import ColumnMappingForm, ImportUploadForm
from creators.importer import ColumnRole
from creators.models import CreatorImport
from kolhub.http import posted
from kolhub.models import Role
from kolhub.spreadsheets import ImportFileError
from kolhub.tenancy import WorkspaceRequest, workspace_member


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def import_start(request: WorkspaceRequest) -> HttpResponse:
    form = ImportUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            creator_import = services.creator_import_upload(
                workspace=request.workspace,
                user=request.user,
                upload=form.cleaned_data["file"],
                language=get_language(),
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return _to_preview(request, creator_import)
    return render(
        request,
        "creators/import_start.html",
        {"form": form, "section": "creators"},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def import_preview(request: WorkspaceRequest, import_id: int) -> HttpResponse:
    creator_import = selectors.get_import(request.membership, import_id)
    if request.htmx and request.method == "GET":
        return _progress(request, creator_import)
    if _preview_outdated(creator_import):
        services.creator_import_recheck(creator_import=creator_import, language=get_language())
    context = {"creator_import": creator_import, "section": "creators"}
    if creator_import.status == CreatorImport.Status.APPLIED:
        return render(request, "creators/import_done.html", context)
    if creator_import.status != CreatorImport.Status.PREVIEW:
        return render(request, "creators/import_preview.html", context)
    form = ColumnMappingForm(posted(request), columns=_columns(creator_import))
    if request.method == "POST" and form.is_valid():
        services.creator_import_set_mapping(
            creator_import=creator_import, mapping=form.mapping(), language=get_language()
        )
        return _to_preview(request, creator_import)
    context |= {"form": form, "preview": creator_import.preview}
    return render(request, "creators/import_preview.html", context)


def _progress(request: WorkspaceRequest, creator_import: CreatorImport) -> HttpResponse:
    """The progress panel the page polls; once the step is done, the whole page again."""
    if not creator_import.in_progress:
        return HttpResponseClientRefresh()
    return render(
        request,
        "creators/import_preview.html#progress",
        {"creator_import": creator_import},
    )


def _preview_outdated(creator_import: CreatorImport) -> bool:
    """A preview checked in another language (its messages are in that one), or stored
    before previews were kept, is checked again."""
    return creator_import.status == CreatorImport.Status.PREVIEW and (
        not creator_import.preview or creator_import.language != get_language()
    )


def _columns(creator_import: CreatorImport) -> dict[str, ColumnRole | None]:
    return {name: ColumnRole.from_key(key) for name, key in creator_import.preview["columns"]}


def _to_preview(request: WorkspaceRequest, creator_import: CreatorImport) -> HttpResponse:
    return redirect(
        "import_preview", workspace_slug=request.workspace.slug, import_id=creator_import.pk
    )


@require_POST
@workspace_member(role=Role.MANAGER)
def import_confirm(request: WorkspaceRequest, import_id: int) -> HttpResponse:
    creator_import = selectors.get_import(request.membership, import_id)
    skip_invalid = request.POST.get("skip_invalid") == "1"
    invalid_rows = creator_import.preview.get("invalid_rows", 0)
    if creator_import.status == CreatorImport.Status.PREVIEW and invalid_rows and not skip_invalid:
        messages.error(request, _("Nothing was imported: fix the rows listed below, or skip them."))
    else:
        services.creator_import_start(creator_import=creator_import, skip_invalid=skip_invalid)
    return _to_preview(request, creator_import)
