"""The creator's side of signing on the portal: the contract card and its signature, the PDFs of
the link's own documents, and each paid or approved installment's receipt (勞務報酬單).

Every id is looked up inside the token's collaboration: a link opens nothing else.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.contracts.document import blocks
from campaigns.models import (
    DocumentKind,
    Installment,
    InstallmentStatus,
    PortalLink,
    SignedDocument,
    SignerRole,
)
from campaigns.portal_access import portal_view
from campaigns.signing import selectors, services
from campaigns.signing.audit import signed_pdf_stored
from campaigns.signing.forms import SignForm
from campaigns.signing.texts import ReceiptUnavailable
from campaigns.signing.views import pdf_name, pdf_response
from kolhub.http import client_ip

# Receipts are signed once the payment is approved (or made): before, the amount may change.
RECEIPT_STATUSES = (InstallmentStatus.APPROVED, InstallmentStatus.PAID)


def contract_card(link: PortalLink, form: SignForm | None = None) -> dict | None:
    """The portal's contract card: the version in force to read and sign, older versions to
    download; None before the first version is issued."""
    versions = selectors.document_versions(link.collaboration, DocumentKind.CONTRACT)
    current = next((d for d in versions if d.superseded_at is None), None)
    if not versions:
        return None
    signed_by_creator = current is not None and selectors.signature_of(current, SignerRole.CREATOR)
    preparing = current is not None and services.pdf_pending(current)
    return {
        "preparing": preparing,
        "current": current,
        "blocks": blocks(current.body) if current else [],
        "status": selectors.document_status(current) if current else None,
        "creator_signature": signed_by_creator or None,
        "form": form
        or (SignForm() if current and not signed_by_creator and not preparing else None),
        "older": [d for d in versions if d is not current],
    }


def sign_as_creator(
    request: HttpRequest, link: PortalLink, document: SignedDocument, form: SignForm
) -> bool:
    """Sign as the creator; False with the refusal on the form."""
    if not form.is_valid():
        return False
    try:
        services.document_sign(
            document=document,
            role=SignerRole.CREATOR,
            name=form.cleaned_data["name"],
            consent=form.cleaned_data["consent"],
            portal_link=link,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except services.SigningRefused as refused:
        form.add_error(None, str(refused))
        return False
    return True


@require_GET
@portal_view
def portal_document_pdf(request: HttpRequest, link: PortalLink, document_id: int) -> HttpResponse:
    document = selectors.portal_document(link, document_id)
    return _pdf(request, link, document, signed=False)


@require_GET
@portal_view
def portal_document_signed_pdf(
    request: HttpRequest, link: PortalLink, document_id: int
) -> HttpResponse:
    document = selectors.portal_document(link, document_id)
    return _pdf(request, link, document, signed=True)


def _pdf(request: HttpRequest, link: PortalLink, document: SignedDocument, *, signed: bool):
    """The PDF as issued (with the audit page when `signed`), only while it is intact."""
    try:
        data = signed_pdf_stored(document) if signed else services.verified_pdf(document)
    except services.SigningRefused as refused:
        messages.error(request, str(refused))
        return redirect("portal_home", link.token)
    return pdf_response(data, pdf_name(document, signed))


def receipt_installment(link: PortalLink, installment_id: int) -> Installment:
    """An approved or paid installment of the link's collaboration, or 404."""
    try:
        return Installment.objects.select_related(
            "collaboration__workspace", "collaboration__campaign__brand"
        ).get(
            pk=installment_id,
            collaboration_id=link.collaboration_id,
            status__in=RECEIPT_STATUSES,
        )
    except Installment.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@portal_view
def portal_receipt(request: HttpRequest, link: PortalLink, installment_id: int) -> HttpResponse:
    installment = receipt_installment(link, installment_id)
    context: dict = {
        "link": link,
        "collaboration": link.collaboration,
        "campaign": installment.collaboration.campaign,
        "installment": installment,
        "home": reverse("portal_home", args=[link.token]),
    }
    try:
        document = services.receipt_issue(installment=installment, language=link.language)
    except ReceiptUnavailable as missing:
        context["unavailable"] = str(missing)
        status = 422 if request.method == "POST" else 200
        return render(request, "campaigns/signing/portal_receipt.html", context, status=status)
    signed = selectors.signature_of(document, SignerRole.CREATOR)
    form = None if signed else SignForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        shown = request.POST.get("document", "")
        if form is None:
            messages.info(request, _("This receipt is already signed."))
            return redirect(request.path)
        if shown != str(document.pk):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "The receipt changed while you were reading it: please read this version "
                    "and sign again."
                ),
            )
        elif sign_as_creator(request, link, document, form):
            messages.success(request, _("Thank you! You signed the receipt."))
            return redirect(request.path)
        status = 422
    context.update(
        {
            "document": document,
            "blocks": blocks(document.body),
            "signature": signed,
            "form": form,
            "older": selectors.document_versions(
                link.collaboration, DocumentKind.RECEIPT, installment
            )[1:],
        }
    )
    return render(request, "campaigns/signing/portal_receipt.html", context, status=status)
