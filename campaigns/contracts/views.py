"""Settings → Contracts (the workspace's templates) and a collaboration's generated contract."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from campaigns.contracts import selectors, services
from campaigns.contracts.forms import ContractTemplateForm
from campaigns.contracts.pdf import contract_pdf
from campaigns.contracts.placeholders import PLACEHOLDERS
from campaigns.models import Collaboration, ContractTemplate
from campaigns.selectors import get_collaboration
from campaigns.signing.texts import contract_draft
from campaigns.signing.views import contract_signing_context
from kolhub.http import posted, row_id
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


def _back(request: WorkspaceRequest) -> HttpResponse:
    return redirect("contract_settings", workspace_slug=request.workspace.slug)


@require_GET
@workspace_member(role=Role.MEMBER)
def contract_settings(request: WorkspaceRequest) -> HttpResponse:
    templates = selectors.workspace_templates(request.workspace)
    languages = [
        {
            "code": code,
            "label": label,
            "templates": [t for t in templates if t.language == code],
            "has_default": any(t.is_default and t.language == code for t in templates),
        }
        for code, label in settings.LANGUAGES
    ]
    return render(
        request,
        "campaigns/contract_settings.html",
        {"tab": "contracts", "languages": languages, "can_manage": request.membership.can_manage},
    )


def _editor(
    request: WorkspaceRequest, form: ContractTemplateForm, template: ContractTemplate | None
) -> HttpResponse:
    return render(
        request,
        "campaigns/contract_template_form.html",
        {
            "tab": "contracts",
            "form": form,
            "template": template,
            "placeholders": list(PLACEHOLDERS.items()),
            "can_manage": request.membership.can_manage,
        },
        status=422 if form.errors else 200,
    )


def _save(request: WorkspaceRequest, form: ContractTemplateForm) -> HttpResponse:
    saved = services.contract_template_save(template=form.instance, user=request.user)
    messages.success(request, _("Contract template “%(name)s” saved.") % {"name": saved.name})
    return _back(request)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def contract_template_create(request: WorkspaceRequest) -> HttpResponse:
    language = _language(request)
    # A new template starts from the built-in text of its language.
    initial = {
        "language": language,
        "body": selectors.builtin_body(language),
        "name": _("Our contract (%(language)s)") % {"language": selectors.LANGUAGES[language]},
    }
    form = ContractTemplateForm(posted(request), initial=initial, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    return _editor(request, form, None)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def contract_template_edit(request: WorkspaceRequest, template_id: int) -> HttpResponse:
    template = selectors.get_contract_template(request.workspace, template_id)
    if request.method == "POST" and not request.membership.can_manage:
        raise Http404  # members read templates; owners and managers change them
    form = ContractTemplateForm(posted(request), instance=template, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    return _editor(request, form, template)


@require_POST
@workspace_member(role=Role.MANAGER)
def contract_template_delete(request: WorkspaceRequest, template_id: int) -> HttpResponse:
    template = selectors.get_contract_template(request.workspace, template_id)
    services.contract_template_delete(template=template)
    messages.success(request, _("Contract template “%(name)s” deleted.") % {"name": template.name})
    return _back(request)


def _language(request: WorkspaceRequest) -> str:
    """The contract language asked for, else the workspace's."""
    language = request.GET.get("language", "")
    return language if language in selectors.LANGUAGES else request.workspace.language


def _contract_for(request: WorkspaceRequest, collaboration: Collaboration):
    """The template the query string asks for (?template=<id> or ?language=…), the workspace's
    templates and the contract generated with it."""
    templates = selectors.workspace_templates(request.workspace)
    chosen = selectors.choose_template(
        templates,
        language=_language(request),
        template_id=row_id(request.GET.get("template")),
    )
    # Generated as issuing for signing words it, so the panel can tell whether the terms
    # changed since the version in force.
    draft = contract_draft(collaboration, chosen)
    return chosen, templates, draft.contract(), draft


@require_GET
@vary_on_headers("HX-Request")
@workspace_member(role=Role.MEMBER)
def collaboration_contract(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    chosen, templates, contract, draft = _contract_for(request, collaboration)
    context = {
        "signing": contract_signing_context(request, collaboration, draft),
        "campaign": collaboration.campaign,
        "collaboration": collaboration,
        "section": "campaigns",
        "chosen": chosen,
        "templates": templates,
        "languages": settings.LANGUAGES,
        "contract": contract,
        "query": request.GET.urlencode(),
    }
    name = "campaigns/contract.html"
    return render(request, f"{name}#contract" if request.htmx else name, context)


@require_GET
@workspace_member(role=Role.MEMBER)
def collaboration_contract_pdf(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    _chosen, _templates, contract, _draft = _contract_for(request, collaboration)
    response = HttpResponse(contract_pdf(contract), content_type="application/pdf")
    campaign = collaboration.campaign
    name = f"contract-{campaign.slug or campaign.pk}-{collaboration.pk}-{contract.language}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
