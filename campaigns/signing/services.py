"""Issuing documents to sign and signing them.

A document is issued as a frozen version: its text, the exact PDF bytes and their SHA-256. A
contract's PDF takes a second or so to print (the CJK font is subset), so the version is saved
with its text and a worker prints the PDF and records its hash (document_pdf_render); until then
it cannot be signed. Receipts, issued on the creator's portal page, are printed at once. Issuing
again with the same terms returns the version in force; other terms replace it with the
next version (a signed old version stays readable). A signature records the hash it saw, a
keyed hash of the signer's IP address (never the address) and the browser.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from campaigns.contracts.pdf import contract_pdf
from campaigns.contracts.selectors import ChosenTemplate
from campaigns.models import (
    REQUIRED_SIGNERS,
    Collaboration,
    DocumentKind,
    EventKind,
    Installment,
    PortalLink,
    Signature,
    SignedDocument,
    SignerRole,
)
from campaigns.payouts.ledger import ledger_rows
from campaigns.services.roster import event_log
from campaigns.signing import selectors
from campaigns.signing.texts import Draft, contract_draft, receipt_draft
from kolhub.celery import send_task_after_commit
from kolhub.models import Membership, Role, User
from kolhub.services import notifications_create

MAX_NAME = 200
MAX_USER_AGENT = 300
IP_HASH_SALT = "campaigns.signing.ip"


class SigningRefused(Exception):
    """A signature or an issue the rules refuse; the message says why, in the reader's
    language."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ip_hash(ip: str) -> str:
    """HMAC-SHA256 of the address with a key derived from SECRET_KEY: the same address gives the
    same hash in this installation, and the hash does not give the address back."""
    return salted_hmac(IP_HASH_SALT, ip or "", algorithm="sha256").hexdigest()


def pdf_pending(document: SignedDocument) -> bool:
    """Issued, its PDF not printed yet (a worker is on it)."""
    return not document.sha256


def stored_pdf(document: SignedDocument) -> bytes:
    if not document.pdf:
        raise FileNotFoundError(f"Document {document.pk} has no PDF yet")
    with document.pdf.open("rb") as file:
        return file.read()


def pdf_intact(document: SignedDocument) -> bool:
    """Whether the stored PDF is still, byte for byte, the one issued."""
    try:
        return sha256_of(stored_pdf(document)) == document.sha256
    except OSError:
        return False


def verified_pdf(document: SignedDocument) -> bytes:
    """The stored PDF, or SigningRefused when it is not printed yet or no longer the one
    issued."""
    if pdf_pending(document):
        raise SigningRefused(
            _(
                "The PDF of this version is still being prepared. Wait a moment and try "
                "again: what you sign is its PDF."
            )
        )
    try:
        data = stored_pdf(document)
    except OSError:
        data = b""
    if sha256_of(data) != document.sha256:
        raise SigningRefused(
            _(
                "The stored PDF no longer matches the version issued, so it cannot be signed. "
                "Please ask the team to issue it again."
            )
        )
    return data


@transaction.atomic
def document_issue(
    *,
    collaboration: Collaboration,
    kind: str,
    title: str,
    body: str,
    language: str,
    pdf: bytes | None,
    terms_digest: str,
    installment: Installment | None = None,
    actor: User | None = None,
) -> SignedDocument:
    """The version in force when its terms are unchanged; otherwise the next version, the
    previous one marked replaced. Without `pdf`, a worker prints it from the text once the
    version is committed."""
    if (kind == DocumentKind.RECEIPT) != (installment is not None):
        raise ValueError("A receipt belongs to an installment, a contract to none.")
    # One issuer at a time per collaboration: two would both take the next version number.
    Collaboration.objects.select_for_update().filter(pk=collaboration.pk).first()
    current = selectors.current_document(collaboration, kind, installment)
    if current is not None and current.terms_digest == terms_digest:
        return current
    rows = SignedDocument.objects.filter(collaboration=collaboration, kind=kind)
    if installment is not None:
        rows = rows.filter(installment=installment)
    last = rows.order_by("-version").values_list("version", flat=True).first() or 0
    rows.filter(superseded_at__isnull=True).update(superseded_at=timezone.now())
    document = SignedDocument(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        kind=kind,
        installment=installment,
        version=last + 1,
        language=language,
        title=title[:200],
        body=body,
        terms_digest=terms_digest,
        sha256=sha256_of(pdf) if pdf is not None else "",
        created_by=actor,
    )
    if pdf is not None:
        document.pdf.save(f"{kind}-v{document.version}.pdf", ContentFile(pdf), save=False)
    document.save()
    if pdf is None:
        send_task_after_commit(
            "campaigns.tasks.render_document_pdf",
            document_id=document.pk,
            workspace_id=document.workspace_id,
        )
    event_log(
        collaboration=collaboration,
        kind=EventKind.SIGNING,
        data={"document": kind, "version": document.version, "issued": True},
        actor=actor,
    )
    return document


def document_pdf_render(*, document_id: int) -> None:
    """Print the PDF of a version issued without one, from its frozen text, and record its
    bytes and SHA-256: once (a second run finds it printed and does nothing)."""
    document = SignedDocument.objects.filter(pk=document_id, sha256="").first()
    if document is None:
        return
    data = contract_pdf(
        Draft(document.language, document.title, document.body, document.terms_digest).contract()
    )
    document.pdf.save(f"{document.kind}-v{document.version}.pdf", ContentFile(data), save=False)
    printed = SignedDocument.objects.filter(pk=document_id, sha256="").update(
        pdf=document.pdf.name, sha256=sha256_of(data)
    )
    if not printed:  # printed meanwhile by another run: that one stands
        document.pdf.delete(save=False)


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SigningRefused(_("Type your full name to sign."))
    if len(name) > MAX_NAME:
        raise SigningRefused(_("The name is too long: at most %(n)s characters.") % {"n": MAX_NAME})
    return name


@transaction.atomic
def document_sign(
    *,
    document: SignedDocument,
    role: str,
    name: str,
    consent: bool,
    user: User | None = None,
    portal_link: PortalLink | None = None,
    ip: str,
    user_agent: str,
) -> Signature:
    """Sign a version in force as `role`, once per role, against the hash of its stored PDF."""
    # The row is read again under a lock: a replacement or a second signature in between wins.
    locked = SignedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.superseded_at is not None:
        raise SigningRefused(
            _("This version was replaced by a newer one: please read the new version and sign it.")
        )
    if role not in REQUIRED_SIGNERS[locked.kind]:
        raise SigningRefused(_("This document is not signed by that party."))
    if Signature.objects.filter(document=locked, role=role).exists():
        raise SigningRefused(_("This version has already been signed for that party."))
    name = _check_name(name)
    if not consent:
        raise SigningRefused(
            _("Tick the box to confirm that you have read the document and agree to sign it.")
        )
    verified_pdf(locked)
    signature = Signature.objects.create(
        workspace_id=locked.workspace_id,
        document=locked,
        role=role,
        name=name,
        user=user,
        portal_link=portal_link,
        document_sha256=locked.sha256,
        ip_hash=ip_hash(ip),
        user_agent=(user_agent or "")[:MAX_USER_AGENT],
    )
    collaboration = locked.collaboration
    event_log(
        collaboration=collaboration,
        kind=EventKind.SIGNING,
        data={"document": locked.kind, "version": locked.version, "name": name, "role": role},
        actor=user,
        by_creator=role == SignerRole.CREATOR,
    )
    if role == SignerRole.CREATOR:
        _notify_owners(locked, collaboration, name)
    if not selectors.missing_signers(locked):
        # The last signature: the PDF with its audit page is built once, by a worker.
        send_task_after_commit(
            "campaigns.tasks.store_signed_pdf",
            document_id=locked.pk,
            workspace_id=locked.workspace_id,
        )
    return signature


def _notify_owners(document: SignedDocument, collaboration: Collaboration, name: str) -> None:
    workspace = collaboration.workspace
    owners = Membership.objects.filter(workspace=workspace, role=Role.OWNER).values_list(
        "user_id", flat=True
    )
    url = reverse("signing_document", args=[workspace.slug, collaboration.pk, document.pk])
    with translation.override(workspace.language or settings.LANGUAGE_CODE):
        message = _("%(name)s signed version %(version)s of the %(document)s for %(campaign)s.") % {
            "name": name,
            "version": document.version,
            "document": DocumentKind(document.kind).label,
            "campaign": collaboration.campaign.name,
        }
    notifications_create(
        workspace_id=workspace.pk, items=[(user_id, message, url) for user_id in owners]
    )


def _issue(
    draft: Draft,
    *,
    collaboration: Collaboration,
    kind: str,
    installment: Installment | None,
    actor: User | None,
) -> SignedDocument:
    # Unchanged terms need no new PDF: look before printing one.
    current = selectors.current_document(collaboration, kind, installment)
    if current is not None and current.terms_digest == draft.terms_digest:
        return current
    return document_issue(
        collaboration=collaboration,
        kind=kind,
        title=draft.title,
        body=draft.body,
        language=draft.language,
        # A contract is printed by a worker; a receipt at once (the portal page shows it).
        pdf=None if kind == DocumentKind.CONTRACT else contract_pdf(draft.contract()),
        terms_digest=draft.terms_digest,
        installment=installment,
        actor=actor,
    )


def contract_issue(
    *, collaboration: Collaboration, chosen: ChosenTemplate, actor: User | None
) -> SignedDocument:
    """Freeze the contract generated from the chosen template into a version to sign."""
    return _issue(
        contract_draft(collaboration, chosen),
        collaboration=collaboration,
        kind=DocumentKind.CONTRACT,
        installment=None,
        actor=actor,
    )


def receipt_issue(*, installment: Installment, language: str) -> SignedDocument:
    """The installment's receipt in force, issued anew when its figures or payee changed;
    ReceiptUnavailable when there is no payee or no figures yet."""
    collaboration = installment.collaboration
    (row,) = ledger_rows(collaboration.workspace, [installment])
    draft = receipt_draft(installment, row.payee, row.figures, language)
    return _issue(
        draft,
        collaboration=collaboration,
        kind=DocumentKind.RECEIPT,
        installment=installment,
        actor=None,
    )
