"""Staff side of signing: issue the contract, sign for the brand, and the audit page of any
document version with its PDFs."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.contracts import selectors as contract_selectors
from campaigns.models import Collaboration, DocumentKind, SignedDocument, SignerRole
from campaigns.selectors import get_collaboration
from campaigns.signing import selectors, services
from campaigns.signing.audit import signature_lines, signed_pdf_stored, status_text
from campaigns.signing.forms import SignForm
from campaigns.signing.texts import Draft
from kolhub.http import client_ip, row_id
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


def contract_signing_context(
    request: WorkspaceRequest, collaboration: Collaboration, draft: Draft
) -> dict:
    """The signing panel of the contract page: versions, what to do next."""
    versions = selectors.document_versions(collaboration, DocumentKind.CONTRACT)
    current = next((d for d in versions if d.superseded_at is None), None)
    can_manage = request.membership.can_manage
    preparing = current is not None and services.pdf_pending(current)
    brand_to_sign = (
        current is not None
        and not preparing
        and SignerRole.BRAND in selectors.missing_signers(current)
        and can_manage
    )
    return {
        "preparing": preparing,
        "versions": [(d, *selectors.document_status(d)) for d in versions],
        "current": current,
        "terms_changed": current is not None and current.terms_digest != draft.terms_digest,
        "can_issue": can_manage and (current is None or current.terms_digest != draft.terms_digest),
        "brand_form": SignForm() if brand_to_sign else None,
    }


def _contract_page(collaboration: Collaboration, query: dict[str, str]) -> HttpResponse:
    url = reverse("collaboration_contract", args=[collaboration.workspace.slug, collaboration.pk])
    query = {k: v for k, v in query.items() if v}
    return redirect(f"{url}?{urlencode(query)}#signing" if query else f"{url}#signing")


@require_POST
@workspace_member(role=Role.MANAGER)
def contract_issue(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    language = request.POST.get("language", "")
    if language not in contract_selectors.LANGUAGES:
        language = request.workspace.language
    template_id = row_id(request.POST.get("template"))
    chosen = contract_selectors.choose_template(
        contract_selectors.workspace_templates(request.workspace),
        language=language,
        template_id=template_id,
    )
    before = selectors.current_document(collaboration, DocumentKind.CONTRACT)
    document = services.contract_issue(
        collaboration=collaboration, chosen=chosen, actor=request.user
    )
    if before is not None and before.pk == document.pk:
        messages.info(
            request, _("Version %(n)s already has these terms.") % {"n": document.version}
        )
    else:
        messages.success(
            request,
            _("Version %(n)s of the contract is issued for signing.") % {"n": document.version},
        )
    query = {"language": chosen.language}
    if chosen.template is not None:
        query["template"] = str(chosen.template.pk)
    return _contract_page(collaboration, query)


@require_POST
@workspace_member(role=Role.MANAGER)
def document_sign_brand(
    request: WorkspaceRequest, collaboration_id: int, document_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    document = selectors.get_document(collaboration, document_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.document_sign(
                document=document,
                role=SignerRole.BRAND,
                name=form.cleaned_data["name"],
                consent=form.cleaned_data["consent"],
                user=request.user,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except services.SigningRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("You signed version %(n)s for the brand.") % {"n": document.version},
            )
    else:
        for error in form.errors.get("name", []) + form.errors.get("consent", []):
            messages.error(request, str(error))
    return redirect("signing_document", request.workspace.slug, collaboration.pk, document.pk)


def _document_context(document: SignedDocument, tz: str) -> dict:
    """What the audit page and the portal show of one version."""
    return {
        "document": document,
        "status": selectors.document_status(document),
        "status_text": status_text(document),
        "preparing": services.pdf_pending(document),
        "intact": services.pdf_intact(document),
        "signatures": signature_lines(document, zoneinfo.ZoneInfo(tz)),
        "blocks": Draft(document.language, document.title, document.body, "").contract().blocks,
    }


@require_GET
@workspace_member(role=Role.MEMBER)
def document_detail(
    request: WorkspaceRequest, collaboration_id: int, document_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    document = selectors.get_document(collaboration, document_id)
    brand_to_sign = (
        document.superseded_at is None
        and not services.pdf_pending(document)
        and SignerRole.BRAND in selectors.missing_signers(document)
        and request.membership.can_manage
    )
    context = {
        **_document_context(document, request.workspace.timezone),
        "campaign": collaboration.campaign,
        "collaboration": collaboration,
        "section": "campaigns",
        "brand_form": SignForm() if brand_to_sign else None,
    }
    return render(request, "campaigns/signing/document.html", context)


def pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_name(document: SignedDocument, signed: bool) -> str:
    suffix = "-signed" if signed else ""
    return f"{document.kind}-{document.collaboration_id}-v{document.version}{suffix}.pdf"


@require_GET
@workspace_member(role=Role.MEMBER)
def document_pdf(
    request: WorkspaceRequest, collaboration_id: int, document_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    document = selectors.get_document(collaboration, document_id)
    if services.pdf_pending(document):
        messages.info(request, _("The PDF of this version is still being prepared."))
        return redirect("signing_document", request.workspace.slug, collaboration.pk, document.pk)
    try:
        # As stored, even when altered: the audit page says whether it still matches.
        data = services.stored_pdf(document)
    except OSError:
        raise Http404 from None
    return pdf_response(data, pdf_name(document, False))


@require_GET
@workspace_member(role=Role.MEMBER)
def document_signed_pdf(
    request: WorkspaceRequest, collaboration_id: int, document_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    document = selectors.get_document(collaboration, document_id)
    try:
        return pdf_response(signed_pdf_stored(document), pdf_name(document, True))
    except services.SigningRefused as refused:
        messages.error(request, str(refused))
        return redirect("signing_document", request.workspace.slug, collaboration.pk, document.pk)
