"""The signed PDF: the pages exactly as issued, followed by an audit page (fpdf2 with the bundled
CJK font, merged with pypdf) naming the hash of the original and every signature."""

from __future__ import annotations

import io
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from campaigns.contracts.pdf import FONT, INK, MUTED, cjk_lines
from campaigns.models import SignedDocument, SignerRole
from campaigns.signing import selectors
from campaigns.signing.services import sha256_of, verified_pdf
from kolhub.charts import add_cjk_font

LABEL_WIDTH = 42


def _local(value, tz: zoneinfo.ZoneInfo) -> str:
    # The offset and the zone's name: "CST" alone is ambiguous (Taipei or Chicago).
    return timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M:%S %z ") + tz.key


def signature_lines(document: SignedDocument, tz: zoneinfo.ZoneInfo) -> list[list[tuple[str, str]]]:
    """Per signature, (label, value) rows: what the audit page and the audit web page show."""
    found = []
    for signature in document.signatures.all():
        if signature.portal_link_id:
            via = _("creator portal link #%(id)s") % {"id": signature.portal_link_id}
        elif signature.user is not None:
            via = _("signed in as %(email)s") % {"email": signature.user.email}
        else:
            via = _("a user since removed")
        found.append(
            [
                (_("Signed as"), str(SignerRole(signature.role).label)),
                (_("Name typed"), signature.name),
                (_("Time"), _local(signature.signed_at, tz)),
                (_("By"), via),
                (_("IP address (hashed)"), signature.ip_hash),
                (_("Browser"), signature.user_agent or "—"),
                (_("SHA-256 signed"), signature.document_sha256),
            ]
        )
    return found


def status_text(document: SignedDocument) -> str:
    missing = selectors.missing_signers(document)
    if document.superseded_at is not None:
        return _("Replaced by a newer version.")
    if not missing:
        return _("Fully signed.")
    names = "、".join(str(SignerRole(role).label) for role in missing)
    return _("Still to sign: %(who)s.") % {"who": names}


def _audit_page(document: SignedDocument) -> bytes:
    tz = zoneinfo.ZoneInfo(document.workspace.timezone)
    pdf = FPDF(orientation="portrait", format="A4")
    add_cjk_font(pdf, FONT)
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=15)
    pdf.multi_cell(0, 8, _("Signature audit"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font_size(9)

    def row(label: str, value: str) -> None:
        pdf.set_text_color(*MUTED)
        y = pdf.get_y()
        pdf.multi_cell(LABEL_WIDTH, 5, label, new_x="RIGHT", new_y="TOP")
        pdf.set_text_color(*INK)
        width = pdf.epw - LABEL_WIDTH
        text = "\n".join(cjk_lines(pdf, value, width - 2 * pdf.c_margin - 0.5))
        pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + 5))

    row(_("Document"), document.title)
    row(_("Version"), str(document.version))
    row(_("Issued"), _local(document.created_at, tz))
    row(_("SHA-256 of the original PDF"), document.sha256)
    row(_("Status"), status_text(document))
    for number, lines in enumerate(signature_lines(document, tz), start=1):
        pdf.ln(4)
        pdf.set_font_size(11)
        pdf.multi_cell(0, 6, _("Signature %(n)s") % {"n": number}, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(9)
        for label, value in lines:
            row(label, value)
    pdf.ln(6)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0,
        4.5,
        "\n".join(
            cjk_lines(
                pdf,
                _(
                    "Each signer typed their name and confirmed their consent. The SHA-256 above "
                    "identifies the exact PDF they signed: the pages before this one. IP "
                    "addresses are kept only as keyed hashes."
                ),
                pdf.epw - 2 * pdf.c_margin - 0.5,
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def signed_pdf(document: SignedDocument) -> bytes:
    """The original pages, unchanged, then the audit page; SigningRefused when the stored PDF
    is no longer the one issued (an audit page must not vouch for other bytes)."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(verified_pdf(document))))
    # The audit page speaks the document's language, whoever downloads it.
    with translation.override(document.language):
        audit = _audit_page(document)
    writer.append(PdfReader(io.BytesIO(audit)))
    writer.add_metadata({"/Title": f"{document.title} v{document.version}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stored_signed(document: SignedDocument, status: str) -> bytes | None:
    """The stored signed PDF when it states this status and is byte for byte the one stored."""
    if not document.signed_pdf or document.signed_pdf_status != status:
        return None
    try:
        with document.signed_pdf.open("rb") as file:
            data = file.read()
    except OSError:
        return None
    return data if sha256_of(data) == document.signed_pdf_sha256 else None


def signed_pdf_stored(document: SignedDocument) -> bytes:
    """The signed PDF of a version, built once it is fully signed and stored; SigningRefused
    when the original is no longer the one issued (checked at every download, as before)."""
    verified_pdf(document)
    status = selectors.document_status(document)[0]
    stored = _stored_signed(document, status)
    if stored is not None:
        return stored
    data = signed_pdf(document)
    if selectors.is_fully_signed(document):
        _store_signed(document, data, status)
    return data


def _store_signed(document: SignedDocument, data: bytes, status: str) -> None:
    previous = document.signed_pdf.name or ""
    name = f"{document.kind}-v{document.version}-signed.pdf"
    document.signed_pdf.save(name, ContentFile(data), save=False)
    kept = SignedDocument.objects.filter(pk=document.pk, signed_pdf=previous).update(
        signed_pdf=document.signed_pdf.name,
        signed_pdf_sha256=sha256_of(data),
        signed_pdf_status=status,
    )
    if not kept:  # another download stored one meanwhile: that one stands
        document.signed_pdf.delete(save=False)
    elif previous:
        document.signed_pdf.storage.delete(previous)


def signed_pdf_store(*, document_id: int) -> None:
    """Build and store the signed PDF of a fully signed version (after its last signature)."""
    document = (
        selectors.documents_with_signatures()
        .select_related("workspace")
        .filter(pk=document_id)
        .first()
    )
    if document is None or not selectors.is_fully_signed(document):
        return
    signed_pdf_stored(document)
