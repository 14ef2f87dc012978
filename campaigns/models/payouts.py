"""The withholding tax and NHI supplementary premium rules a payout to a creator is charged by.

Global, not per workspace: the rates are the law's, the same for every agency. Admins keep the
table current (a new year's thresholds are new rows with their effective dates); the defaults
and their sources are in docs/payouts.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.collaboration import Collaboration
from campaigns.models.fields import NOT_NEGATIVE, random_upload_path
from kolhub.encryption import EncryptedTextField
from kolhub.models import TenantModel


class IncomeType(models.TextChoices):
    # The codes are the income-type codes of the withholding statement (扣繳憑單格式代號).
    PROFESSIONAL = "9A", _("9A Professional practice income")
    AUTHORSHIP = "9B", _("9B Royalties and fees for writing, speaking and composing")
    OTHER = "92", _("92 Other income")
    WAGES = "50", _("50 Wages")


class PayeeKind(models.TextChoices):
    RESIDENT = "resident", _("Resident individual")
    NONRESIDENT = "nonresident", _("Non-resident individual")
    BUSINESS = "business", _("Business")


class ChargeKind(models.TextChoices):
    WITHHOLDING = "withholding", _("Withholding tax")
    NHI_SUPPLEMENT = "nhi", _("NHI supplementary premium")


class ThresholdBasis(models.TextChoices):
    ALWAYS = "always", _("Always charged")
    CHARGE_ABOVE = "charge_above", _("Only when the charge of one payment exceeds the threshold")
    PAYMENT_AT_LEAST = "payment_at_least", _("Only when one payment reaches the threshold")
    PAYMENT_ABOVE = "payment_above", _("Only when one payment exceeds the threshold")
    PAYMENT_AT_MOST = "payment_at_most", _("Only when one payment does not exceed the threshold")


class Rounding(models.TextChoices):
    DOWN = "down", _("Whole dollars, cents dropped")
    HALF_UP = "half_up", _("Whole dollars, rounded half up")


class WithholdingRule(models.Model):
    """One charge on one income type for one kind of payee, for the dates it is in force."""

    income_type = models.CharField(_("income type"), max_length=2, choices=IncomeType.choices)
    payee_kind = models.CharField(_("payee"), max_length=12, choices=PayeeKind.choices)
    charge = models.CharField(_("charge"), max_length=12, choices=ChargeKind.choices)
    rate = models.DecimalField(
        _("charge rate"),
        max_digits=6,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("A fraction: 0.1 for 10 %."),
    )
    threshold_basis = models.CharField(
        _("applies"), max_length=16, choices=ThresholdBasis.choices, default=ThresholdBasis.ALWAYS
    )
    threshold = models.DecimalField(
        _("threshold (NT$)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    base_cap = models.DecimalField(
        _("largest amount charged (NT$)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("The part of one payment above it is not charged; empty for no cap."),
    )
    rounding = models.CharField(
        _("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.DOWN
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Last day in force; empty if open.")
    )
    source_title = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source link"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("withholding rule")
        verbose_name_plural = _("withholding rules")
        ordering = ["income_type", "payee_kind", "charge", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="withholding_rule_rate_fraction"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="withholding_rule_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(threshold_basis=ThresholdBasis.ALWAYS) | Q(threshold__isnull=False),
                name="withholding_rule_threshold_set",
            ),
        ]
        indexes = [models.Index(fields=["income_type", "payee_kind", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.income_type} {self.payee_kind} {self.charge} {self.effective_from}"


class PayeeSource(models.TextChoices):
    PORTAL = "portal", _("Creator portal")
    STAFF = "staff", _("Team")


# The fields only owners may see in full: encrypted at rest, shown masked, every reveal logged.
PAYEE_SECRETS = ("tax_id", "bank_code", "branch_code", "account_number", "account_holder")


def nhi_proof_path(instance: Payee, filename: str) -> str:
    return random_upload_path(f"payees/{instance.workspace_id}", filename)


class Payee(TenantModel):
    """Who a collaboration's fee is paid to, with what tax filing and the transfer need."""

    collaboration = models.OneToOneField(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="payee",
        verbose_name=_("collaboration"),
    )
    kind = models.CharField(_("payee type"), max_length=12, choices=PayeeKind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    tax_id = EncryptedTextField(_("tax ID"))
    bank_code = EncryptedTextField(_("bank code"))
    branch_code = EncryptedTextField(_("branch code"))
    account_number = EncryptedTextField(_("account number"))
    account_holder = EncryptedTextField(_("account holder"))
    nhi_exempt = models.BooleanField(
        _("exempt from the NHI supplementary premium"),
        default=False,
        help_text=_("For example insured through a union or as an employer; proof on file."),
    )
    nhi_proof = models.FileField(
        _("proof of NHI exemption"), upload_to=nhi_proof_path, blank=True, max_length=200
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_via = models.CharField(_("updated from"), max_length=8, choices=PayeeSource.choices)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")

    def __str__(self) -> str:
        return self.legal_name

    @property
    def complete(self) -> bool:
        return all(getattr(self, name) for name in PAYEE_SECRETS)

    def masked_secrets(self) -> list[tuple[str, str, str]]:
        """(field name, label, last four characters) of each identifier and bank detail."""
        labels = {field.name: str(field.verbose_name) for field in self._meta.fields}
        return [(name, labels[name], masked(getattr(self, name))) for name in PAYEE_SECRETS]


def masked(value: str) -> str:
    """Only the last four characters, the rest as dots (nothing for an empty value)."""
    if not value:
        return ""
    return "•" * max(len(value) - 4, 0) + value[-4:]


class InstallmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


# Installments that still count towards what is owed (the plan's forecast, the reminders).
OPEN_INSTALLMENT = (
    InstallmentStatus.SCHEDULED,
    InstallmentStatus.REQUESTED,
    InstallmentStatus.APPROVED,
)


def invoice_path(instance: Installment, filename: str) -> str:
    return random_upload_path(f"invoices/{instance.workspace_id}", filename)


class Installment(TenantModel):
    """One payment of a collaboration's fee: its amount and due date, where it stands, and the
    tax figures of the payment (kept as paid, so a later rule change never rewrites them)."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="installments",
        verbose_name=_("collaboration"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    label = models.CharField(_("what it is for"), max_length=120)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    currency = models.CharField(_("currency"), max_length=3, default="TWD")
    due_on = models.DateField(_("due"))
    income_type = models.CharField(
        _("income type"), max_length=2, choices=IncomeType.choices, default=IncomeType.PROFESSIONAL
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InstallmentStatus.choices,
        default=InstallmentStatus.SCHEDULED,
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # One unit of `currency` in TWD on the payment date, recorded when paid.
    fx_rate = models.DecimalField(
        _("exchange rate to TWD"), max_digits=18, decimal_places=8, null=True, blank=True
    )
    # The figures as paid, in whole NT$ (empty until paid; the quote is computed before).
    paid_gross = models.DecimalField(
        _("gross paid (NT$)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_withholding = models.DecimalField(
        _("withholding tax (NT$)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_nhi = models.DecimalField(
        _("NHI supplementary premium (NT$)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_net = models.DecimalField(
        _("net paid (NT$)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_payee_kind = models.CharField(
        _("payee type when paid"), max_length=12, choices=PayeeKind.choices, blank=True
    )
    # A business payee's 統一發票 for this payment, uploaded on the portal.
    invoice_number = models.CharField(_("invoice number"), max_length=12, blank=True)
    invoice_file = models.FileField(
        _("invoice"), upload_to=invoice_path, blank=True, max_length=200
    )
    invoice_uploaded_at = models.DateTimeField(_("invoice uploaded"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["collaboration_id", "position", "due_on", "pk"]
        indexes = [
            models.Index(fields=["workspace", "status", "due_on"], name="installment_ws_due"),
            models.Index(fields=["workspace", "paid_on"], name="installment_ws_paid"),
            # The Payouts page's order: a page of rows without sorting the workspace's.
            models.Index(
                fields=["workspace", "due_on", "collaboration", "position", "id"],
                name="installment_ws_page",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="installment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=InstallmentStatus.PAID) | Q(paid_on__isnull=False),
                name="installment_paid_has_date",
            ),
            models.CheckConstraint(
                condition=Q(fx_rate__isnull=True) | Q(fx_rate__gt=0),
                name="installment_fx_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration}: {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_INSTALLMENT
