"""A collaboration's payee on the staff side: everyone sees whether details are on file, only
owners see them masked, edit them, and reveal one in full (each reveal logged)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from campaigns import services
from campaigns.models import PAYEE_SECRETS, Collaboration, Payee, PayeeSource
from campaigns.payee_forms import PayeeForm
from campaigns.selectors import get_collaboration
from campaigns.views import form_page
from kolhub.files import file_response
from kolhub.http import posted
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


def _payee_of(collaboration: Collaboration) -> Payee | None:
    return Payee.objects.filter(collaboration=collaboration).first()


def _panel(
    request: WorkspaceRequest, collaboration: Collaboration, revealed: tuple[str, str] | None = None
) -> HttpResponse:
    context = {
        "campaign": collaboration.campaign,
        "collaboration": collaboration,
        "section": "campaigns",
        "payee": _payee_of(collaboration),
        "is_owner": request.membership.has_role(Role.OWNER),
        "revealed": revealed,
    }
    name = "campaigns/payee/page.html"
    return render(request, f"{name}#payee" if request.htmx else name, context)


@require_GET
@vary_on_headers("HX-Request")
@workspace_member(role=Role.MEMBER)
def payee_detail(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    return _panel(request, get_collaboration(request.membership, collaboration_id))


@never_cache
@require_POST
@workspace_member(role=Role.OWNER)
def payee_reveal(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    payee = _payee_of(collaboration)
    if payee is None:
        raise Http404
    field = request.POST.get("field", "")
    if field not in PAYEE_SECRETS:
        return HttpResponseBadRequest(_("Unknown field."))
    value = services.payee_reveal(user=request.user, payee=payee, field=field)
    return _panel(request, collaboration, revealed=(field, value))


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.OWNER)
def payee_edit(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    form = PayeeForm(posted(request), request.FILES or None, instance=_payee_of(collaboration))
    if request.method == "POST" and form.is_valid():
        services.payee_save(
            collaboration=collaboration,
            data=form.cleaned_data,
            via=PayeeSource.STAFF,
            actor=request.user,
        )
        messages.success(request, _("Payment details saved."))
        return redirect(payee_url(request, collaboration.pk))
    return form_page(
        request,
        form,
        title=_("Payment details of %(creator)s") % {"creator": collaboration.creator},
        intro=_("The creator can enter these on the portal; you never need them by chat."),
        submit=_("Save payment details"),
        cancel_url=payee_url(request, collaboration.pk),
        campaign=collaboration.campaign,
        collaboration=collaboration,
    )


@require_GET
@workspace_member(role=Role.OWNER)
def payee_nhi_proof(request: WorkspaceRequest, collaboration_id: int) -> FileResponse:
    payee = _payee_of(get_collaboration(request.membership, collaboration_id))
    if payee is None or not payee.nhi_proof:
        raise Http404
    name = "nhi-proof" + Path(payee.nhi_proof.name).suffix
    return file_response(
        payee.nhi_proof, name=name, content_type="application/octet-stream", download=True
    )


def payee_url(request: WorkspaceRequest, collaboration_id: int) -> str:
    return reverse("payee_detail", args=[request.workspace.slug, collaboration_id])
