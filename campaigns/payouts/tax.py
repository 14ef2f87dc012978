"""Withholding tax and NHI supplementary premium on one payment: pure functions, no ORM.

The selector loads the rules in force (`campaigns.payouts.selectors`); everything here works on
plain `RuleTerms`, so the arithmetic is tested with hand-computed numbers and reused by the
quote command, installments, the portal and the exports alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from campaigns.models.payouts import ChargeKind, Rounding, ThresholdBasis

TWD = "TWD"
ZERO = Decimal(0)
WHOLE_DOLLAR = Decimal(1)
# Withholding: the tax of one payment is computed to the dollar, cents dropped (計算至元為止，
# 角以下無條件捨去, as the Ministry of Finance's forms compute tax). NHI supplementary premium: to
# the dollar, rounded half up (全民健康保險法施行細則 第52條: 保險費…以元為單位，角以下四捨五入;
# https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=L0060002) — explicitly ROUND_HALF_UP, never
# Python's round(), which rounds half to even. Stored on each rule; see docs/payouts.md.
ROUNDING_MODES: dict[str, str] = {Rounding.DOWN: ROUND_DOWN, Rounding.HALF_UP: ROUND_HALF_UP}


class QuoteError(ValueError):
    """A payout that cannot be quoted: its message says why, in the user's language."""


@dataclass(frozen=True)
class RuleTerms:
    """What a rule row says about one charge, detached from the database."""

    charge: str
    rate: Decimal
    threshold_basis: str = ThresholdBasis.ALWAYS
    threshold: Decimal | None = None
    base_cap: Decimal | None = None
    rounding: str = Rounding.DOWN


@dataclass(frozen=True)
class Quote:
    gross: Decimal
    withholding_tax: Decimal
    nhi_supplement: Decimal
    net: Decimal
    currency: str = TWD


def check_gross(gross: Decimal, currency: str) -> None:
    """Refuse what the rules do not cover: another currency, a negative or fractional amount."""
    if currency != TWD:
        raise QuoteError(
            _("Withholding is quoted in TWD only; convert the %(currency)s amount first.")
            % {"currency": currency}
        )
    if not gross.is_finite() or gross < ZERO:
        raise QuoteError(_("The fee must be a positive amount or zero."))
    if gross != gross.to_integral_value():
        raise QuoteError(_("A fee in TWD is a whole number of dollars."))


def payment_qualifies(rule: RuleTerms, gross: Decimal) -> bool:
    """Whether one payment meets the rule's payment condition (the charge condition aside)."""
    threshold = rule.threshold if rule.threshold is not None else ZERO
    if rule.threshold_basis == ThresholdBasis.PAYMENT_AT_LEAST:
        return gross >= threshold
    if rule.threshold_basis == ThresholdBasis.PAYMENT_ABOVE:
        return gross > threshold
    if rule.threshold_basis == ThresholdBasis.PAYMENT_AT_MOST:
        return gross <= threshold
    return True


def charge_amount(rule: RuleTerms, gross: Decimal) -> Decimal:
    """The charge one rule puts on one payment, in whole dollars (zero where it does not apply)."""
    if not payment_qualifies(rule, gross):
        return ZERO
    base = gross if rule.base_cap is None else min(gross, rule.base_cap)
    amount = (base * rule.rate).quantize(WHOLE_DOLLAR, rounding=ROUNDING_MODES[rule.rounding])
    # "Waived when the tax of one payment would not exceed NT$2,000" compares the rounded tax:
    # it is the amount that would be withheld and reported.
    if rule.threshold_basis == ThresholdBasis.CHARGE_ABOVE and amount <= (rule.threshold or ZERO):
        return ZERO
    return amount


def total_charge(rules: Iterable[RuleTerms], charge: str, gross: Decimal) -> Decimal:
    """A charge's amount: rules of the same charge are alternatives for different payment sizes
    (the non-resident wage rates), so the first one that applies decides."""
    for rule in rules:
        if rule.charge == charge and payment_qualifies(rule, gross):
            return charge_amount(rule, gross)
    return ZERO


def compute_quote(
    gross: Decimal, rules: Iterable[RuleTerms], *, nhi_exempt: bool, currency: str = TWD
) -> Quote:
    """Gross, withholding, NHI supplement and net of one payment under the given rules."""
    check_gross(gross, currency)
    rules = list(rules)
    withholding = total_charge(rules, ChargeKind.WITHHOLDING, gross)
    # A payee whose own insurance status exempts them (e.g. insured through an occupational
    # union or as a self-employed professional, 全民健康保險法 第31條) pays no premium here.
    nhi = ZERO if nhi_exempt else total_charge(rules, ChargeKind.NHI_SUPPLEMENT, gross)
    return Quote(
        gross=gross,
        withholding_tax=withholding,
        nhi_supplement=nhi,
        net=gross - withholding - nhi,
        currency=currency,
    )
