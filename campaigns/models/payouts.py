"""The withholding tax and NHI supplementary premium rules a payout to a creator is charged by.

Global, not per workspace: the rates are the law's, the same for every agency. Admins keep the
table current (a new year's thresholds are new rows with their effective dates); the defaults
and their sources are in docs/payouts.md.
"""

from __future__ import annotations

from decimal import Decimal

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
