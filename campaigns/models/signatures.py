"""Documents a collaboration signs, and their signatures: the contract (both parties) and the
service remuneration receipt of each installment (勞務報酬單, the creator).

A document is frozen when it is issued: its text and the exact PDF bytes are stored with their
SHA-256 (a contract's PDF printed by a worker just after), and every signature records the hash
it saw. When the terms change after signing, a
new version is issued for signing again; the old one stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.collaboration import Collaboration
from campaigns.models.fields import random_upload_path
from campaigns.models.payouts import Installment
from campaigns.models.portal import PortalLink
from kolhub.models import TenantModel


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    RECEIPT = "receipt", _("Service remuneration receipt")


class SignerRole(models.TextChoices):
    CREATOR = "creator", _("Creator")
    BRAND = "brand", _("Brand")


# Who must sign each kind of document before it counts as signed.
REQUIRED_SIGNERS: dict[str, tuple[str, ...]] = {
    DocumentKind.CONTRACT: (SignerRole.CREATOR, SignerRole.BRAND),
    DocumentKind.RECEIPT: (SignerRole.CREATOR,),
}


def signed_document_path(instance: SignedDocument, filename: str) -> str:
    return random_upload_path(f"documents/{instance.workspace_id}", filename)


class SignedDocument(TenantModel):
    """One issued version of a document to sign: its text and PDF as issued, never changed."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("collaboration"),
    )
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    installment = models.ForeignKey(
        Installment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("installment"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # SHA-256 of the terms the text was generated from: a change means a new version.
    terms_digest = models.CharField(_("terms fingerprint"), max_length=64)
    # A contract's PDF is printed by a worker after the version is issued: until then `pdf` and
    # `sha256` are empty, and nobody can sign (there are no bytes to sign yet). Once set, never
    # changed.
    pdf = models.FileField(_("PDF"), upload_to=signed_document_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    # The PDF with the audit page, stored once built for a fully signed version, with its own
    # hash and the status its audit page states (signed, or replaced later): served while both
    # still hold, built again otherwise (campaigns.signing.audit.signed_pdf_stored).
    signed_pdf = models.FileField(
        _("signed PDF"), upload_to=signed_document_path, max_length=200, blank=True
    )
    signed_pdf_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    signed_pdf_status = models.CharField(_("status of the signed PDF"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    superseded_at = models.DateTimeField(_("replaced by a new version"), null=True, blank=True)

    class Meta:
        verbose_name = _("document to sign")
        verbose_name_plural = _("documents to sign")
        ordering = ["collaboration_id", "kind", "installment_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "kind", "version"],
                condition=Q(installment__isnull=True),
                name="document_one_version_number",
            ),
            models.UniqueConstraint(
                fields=["installment", "version"],
                condition=Q(installment__isnull=False),
                name="document_receipt_one_version_number",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.CONTRACT, installment__isnull=True)
                | Q(kind=DocumentKind.RECEIPT, installment__isnull=False),
                name="document_receipt_has_installment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Signature(TenantModel):
    """One party's signature on one document version, with what the audit trail needs."""

    document = models.ForeignKey(
        SignedDocument,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("document"),
    )
    role = models.CharField(_("signed as"), max_length=8, choices=SignerRole.choices)
    name = models.CharField(_("name typed"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    portal_link = models.ForeignKey(
        PortalLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("portal link used"),
    )
    document_sha256 = models.CharField(_("SHA-256 signed"), max_length=64)
    # The address itself is personal data: a keyed hash proves it without keeping it.
    ip_hash = models.CharField(_("IP address (hashed)"), max_length=64)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["document_id", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["document", "role"], name="signature_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"
