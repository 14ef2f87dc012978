"""Import creators from the browser: upload, preview with column mapping, confirm.

Managers and owners only: an upload shows and writes contact details, which members may not see.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from creators import selectors, services
from creators.import_forms import ColumnMappingForm, ImportUploadForm
from creators.models import CreatorImport
from kolhub.http import posted
from kolhub.models import Role
from kolhub.spreadsheets import ImportFileError
from kolhub.tenancy import WorkspaceRequest, workspace_member

PREVIEW_ROWS = 15
SHOWN_ERRORS = 200


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def import_start(request: WorkspaceRequest) -> HttpResponse:
    form = ImportUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            creator_import = services.creator_import_upload(
                workspace=request.workspace, user=request.user, upload=form.cleaned_data["file"]
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(
                "import_preview", workspace_slug=request.workspace.slug, import_id=creator_import.pk
            )
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
    if creator_import.status == CreatorImport.Status.APPLIED:
        return render(
            request,
            "creators/import_done.html",
            {"creator_import": creator_import, "section": "creators"},
        )
    try:
        frame, parsed, summary = services.creator_import_preview(creator_import=creator_import)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("import_start", workspace_slug=request.workspace.slug)
    form = ColumnMappingForm(posted(request), columns=parsed.columns)
    if request.method == "POST" and form.is_valid():
        services.creator_import_set_mapping(creator_import=creator_import, mapping=form.mapping())
        return redirect(
            "import_preview", workspace_slug=request.workspace.slug, import_id=creator_import.pk
        )
    context = {
        "creator_import": creator_import,
        "form": form,
        "headers": list(frame.columns),
        "rows": frame.head(PREVIEW_ROWS).values.tolist(),
        "total_rows": len(frame),
        "errors": parsed.errors[:SHOWN_ERRORS],
        "error_count": len(parsed.errors),
        "invalid_rows": parsed.invalid_rows,
        "summary": summary,
        "section": "creators",
    }
    return render(request, "creators/import_preview.html", context)


@require_POST
@workspace_member(role=Role.MANAGER)
def import_confirm(request: WorkspaceRequest, import_id: int) -> HttpResponse:
    creator_import = selectors.get_import(request.membership, import_id)
    try:
        summary = services.creator_import_apply(
            creator_import=creator_import, skip_invalid=request.POST.get("skip_invalid") == "1"
        )
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("import_start", workspace_slug=request.workspace.slug)
    if summary.errors and request.POST.get("skip_invalid") != "1":
        messages.error(request, _("Nothing was imported: fix the rows listed below, or skip them."))
        return redirect(
            "import_preview", workspace_slug=request.workspace.slug, import_id=creator_import.pk
        )
    messages.success(
        request,
        _(
            "Import finished: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s rows skipped."
        )
        % summary.as_dict(),
    )
    return redirect("creator_list", workspace_slug=request.workspace.slug)
