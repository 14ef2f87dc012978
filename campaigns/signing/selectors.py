"""Reads of the documents to sign: current versions, version lists, who still has to sign."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from campaigns.models import (
    REQUIRED_SIGNERS,
    Collaboration,
    DocumentKind,
    Installment,
    PortalLink,
    Signature,
    SignedDocument,
    SignerRole,
)

# Document statuses, as the pages show them.
REPLACED, SIGNED, AWAITING_CREATOR, AWAITING_BRAND = (
    "replaced",
    "signed",
    "awaiting_creator",
    "awaiting_brand",
)


def _with_signatures(rows: QuerySet[SignedDocument]) -> QuerySet[SignedDocument]:
    signatures = Signature.objects.select_related("user", "portal_link").order_by("signed_at")
    return rows.prefetch_related(Prefetch("signatures", queryset=signatures))


def documents_with_signatures() -> QuerySet[SignedDocument]:
    """Documents of any workspace with their signatures: for tasks, which receive an id."""
    return _with_signatures(SignedDocument.objects.all())


def _of(collaboration: Collaboration, kind: str, installment: Installment | None):
    rows = SignedDocument.objects.filter(
        workspace_id=collaboration.workspace_id, collaboration=collaboration, kind=kind
    )
    if installment is not None:
        rows = rows.filter(installment=installment)
    return rows


def current_document(
    collaboration: Collaboration, kind: str, installment: Installment | None = None
) -> SignedDocument | None:
    """The version in force (not replaced), with its signatures; None before the first issue."""
    rows = _of(collaboration, kind, installment).filter(superseded_at__isnull=True)
    return _with_signatures(rows).order_by("-version").first()


def document_versions(
    collaboration: Collaboration, kind: str, installment: Installment | None = None
) -> list[SignedDocument]:
    """Every version issued, newest first, with their signatures (two queries)."""
    rows = _of(collaboration, kind, installment).select_related("created_by")
    return list(_with_signatures(rows).order_by("-version"))


def get_document(collaboration: Collaboration, pk: int) -> SignedDocument:
    """A document of this collaboration, with its signatures, or 404."""
    rows = _with_signatures(
        SignedDocument.objects.filter(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        ).select_related("installment", "created_by")
    )
    try:
        return rows.get(pk=pk)
    except SignedDocument.DoesNotExist:
        raise Http404 from None


def portal_document(link: PortalLink, pk: int) -> SignedDocument:
    """A document of the portal link's collaboration, or 404."""
    return get_document(link.collaboration, pk)


def signed_roles(document: SignedDocument) -> set[str]:
    return {signature.role for signature in document.signatures.all()}


def missing_signers(document: SignedDocument) -> list[str]:
    """The roles that still have to sign, in the order they are asked."""
    done = signed_roles(document)
    return [role for role in REQUIRED_SIGNERS[document.kind] if role not in done]


def is_fully_signed(document: SignedDocument) -> bool:
    return not missing_signers(document)


def signature_of(document: SignedDocument, role: str) -> Signature | None:
    return next((s for s in document.signatures.all() if s.role == role), None)


def document_status(document: SignedDocument) -> tuple[str, str]:
    """(code, label): replaced, signed, awaiting the creator or awaiting the brand."""
    if document.superseded_at is not None:
        return REPLACED, _("Replaced by a newer version")
    missing = missing_signers(document)
    if not missing:
        return SIGNED, _("Signed")
    if SignerRole.CREATOR in missing:
        return AWAITING_CREATOR, _("Awaiting the creator's signature")
    return AWAITING_BRAND, _("Awaiting the brand's signature")


def contract_signed(collaboration: Collaboration) -> bool:
    """Whether the contract in force is signed by everyone who must sign it."""
    document = current_document(collaboration, DocumentKind.CONTRACT)
    return document is not None and is_fully_signed(document)


def receipts_by_installment(collaboration: Collaboration) -> dict[int, SignedDocument]:
    """Each installment's receipt in force, by installment id, signatures prefetched."""
    rows = SignedDocument.objects.filter(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        kind=DocumentKind.RECEIPT,
        superseded_at__isnull=True,
    )
    return {
        document.installment_id: document
        for document in _with_signatures(rows).order_by("installment_id", "version")
        if document.installment_id is not None
    }
