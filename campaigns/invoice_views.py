"""A business payee's invoice for one installment, uploaded on the portal, downloaded by staff."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from campaigns.models import Installment
from campaigns.selectors import get_collaboration
from kolhub.files import file_response
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


@require_GET
@workspace_member(role=Role.MEMBER)
def installment_invoice(
    request: WorkspaceRequest, collaboration_id: int, installment_id: int
) -> FileResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    installment = (
        Installment.objects.for_workspace(request.workspace)
        .filter(pk=installment_id, collaboration=collaboration)
        .first()
    )
    if installment is None or not installment.invoice_file:
        raise Http404
    name = f"invoice-{installment.invoice_number or installment.pk}"
    return file_response(
        installment.invoice_file,
        name=name + Path(installment.invoice_file.name).suffix,
        content_type="application/octet-stream",
        download=True,
    )
