"""Creator imports as jobs, as the import page runs them: upload (a worker checks the file),
read the check (what confirming would do), start (a worker writes), poll until `applied`:
`summary` is then the JSON `manage.py import_creators` prints."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.access import workspace_endpoint
from api.problems import Conflict
from api.serializers import ImportJobSerializer, ImportStartSerializer, ImportUploadSerializer
from api.views.docs import documented
from creators import selectors, services
from kolhub.spreadsheets import ImportFileError

IMPORTS = "imports:write"


@documented(
    IMPORTS,
    summary="Upload a spreadsheet of creators (a job: a worker checks it)",
    request={"multipart/form-data": ImportUploadSerializer},
    responses={202: ImportJobSerializer},
    tags=["imports"],
    operation_id="imports_create",
)
@workspace_endpoint({"POST": IMPORTS}, parsers=[MultiPartParser])
def import_create(request) -> Response:
    incoming = ImportUploadSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        job = services.creator_import_upload(
            workspace=request.workspace,
            user=request.actor,
            upload=incoming.validated_data["file"],
            language=translation.get_language() or "",
        )
    except ImportFileError as refusal:
        raise ValidationError({"file": [str(refusal)]}) from None
    return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@documented(
    IMPORTS,
    summary="An import job: its status, check and summary",
    responses=ImportJobSerializer,
    tags=["imports"],
    operation_id="imports_retrieve",
)
@workspace_endpoint({"GET": IMPORTS})
def import_detail(request, import_id: int) -> Response:
    return Response(ImportJobSerializer(selectors.get_import(request.membership, import_id)).data)


@documented(
    IMPORTS,
    summary="Confirm a checked import (a worker writes it)",
    request=ImportStartSerializer,
    responses={202: ImportJobSerializer},
    problems=(400, 401, 403, 404, 409, 429),
    tags=["imports"],
    operation_id="imports_start",
)
@workspace_endpoint({"POST": IMPORTS})
def import_start(request, import_id: int) -> Response:
    job = selectors.get_import(request.membership, import_id)
    incoming = ImportStartSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    skip = incoming.validated_data["skip_invalid"]
    if not services.creator_import_start(creator_import=job, skip_invalid=skip):
        job.refresh_from_db()
        raise Conflict(
            _("This import is not waiting for confirmation (it is “%(status)s”).")
            % {"status": job.get_status_display()},
            code="import-not-ready",
        )
    job.refresh_from_db()
    return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
