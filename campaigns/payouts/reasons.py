"""Why an installment's figures are what they are, in plain sentences for the creator.

The sentences are built from the rule rows in force on the installment's date (the same rows
`campaigns.payouts.figures` quoted it with) and from its figures, never from numbers written
here: a new year's thresholds reword them by themselves. Nothing is computed again: the amounts
come from the ledger, the rules only say which condition applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from campaigns.models.payouts import ChargeKind, PayeeKind, ThresholdBasis
from campaigns.payouts.ledger import LedgerRow
from campaigns.payouts.selectors import RuleBook
from campaigns.payouts.tax import TWD, RuleTerms, payment_qualifies
from kolhub.formatting import money, percent

ZERO = Decimal(0)


def _payee_noun(kind: str) -> str:
    nouns: dict[str, str] = {
        PayeeKind.RESIDENT: _("resident"),
        PayeeKind.NONRESIDENT: _("non-resident"),
        PayeeKind.BUSINESS: _("business"),
    }
    return str(nouns.get(kind, kind))


def _rate(rule: RuleTerms) -> str:
    """0.1 → 10%, 0.0211 → 2.11%: as many decimals as the rule's rate has."""
    exponent = (rule.rate * 100).normalize().as_tuple().exponent
    return percent(rule.rate, max(0, -int(exponent)))


def _nt(amount: Decimal | None) -> str:
    return money(amount, "NT$")


def _deciding(rules: Iterable[RuleTerms], charge: str, gross: Decimal) -> RuleTerms | None:
    """The rule that decided the charge: the same choice `tax.total_charge` makes (rules of one
    charge are alternatives for different payment sizes; the first that applies decides)."""
    for rule in rules:
        if rule.charge == charge and payment_qualifies(rule, gross):
            return rule
    return None


def _params(rule: RuleTerms, income_type: str, kind: str) -> dict[str, str]:
    return {
        "rate": _rate(rule),
        "threshold": _nt(rule.threshold),
        "income": income_type,
        "payee": _payee_noun(kind),
    }


def _not_reached(rule: RuleTerms, what: str, params: dict[str, str]) -> str:
    """The payment does not meet the rule's payment condition."""
    if what == ChargeKind.WITHHOLDING:
        if rule.threshold_basis == ThresholdBasis.PAYMENT_AT_LEAST:
            return _("No withholding tax: a payment under %(threshold)s is not withheld.") % params
        if rule.threshold_basis == ThresholdBasis.PAYMENT_ABOVE:
            return (
                _("No withholding tax: a payment of %(threshold)s or less is not withheld.")
                % params
            )
        return _("No withholding tax on this payment.")
    if rule.threshold_basis == ThresholdBasis.PAYMENT_AT_LEAST:
        return _("No NHI supplement: your payment is under %(threshold)s.") % params
    if rule.threshold_basis == ThresholdBasis.PAYMENT_ABOVE:
        return _("No NHI supplement: your payment is %(threshold)s or less.") % params
    return _("No NHI supplement on this payment.")


def _condition(rule: RuleTerms, params: dict[str, str]) -> str:
    """The payment condition a charged rule met, as the end of a sentence."""
    basis = rule.threshold_basis
    if basis == ThresholdBasis.CHARGE_ABOVE:
        return _("the tax on one %(income)s payment to a %(payee)s is over %(threshold)s") % params
    if basis == ThresholdBasis.PAYMENT_AT_LEAST:
        return _("one %(income)s payment to a %(payee)s of %(threshold)s or more") % params
    if basis == ThresholdBasis.PAYMENT_ABOVE:
        return _("one %(income)s payment to a %(payee)s over %(threshold)s") % params
    if basis == ThresholdBasis.PAYMENT_AT_MOST:
        return _("one %(income)s payment to a %(payee)s of %(threshold)s or less") % params
    return _("charged on every %(income)s payment to a %(payee)s") % params


def withholding_reason(
    rules: list[RuleTerms], gross: Decimal, withheld: Decimal, income_type: str, kind: str
) -> str:
    """One sentence: why this much (or nothing) is withheld."""
    rule = _deciding(rules, ChargeKind.WITHHOLDING, gross)
    if rule is None:
        first = next((r for r in rules if r.charge == ChargeKind.WITHHOLDING), None)
        if first is None:
            return ""
        return _not_reached(first, ChargeKind.WITHHOLDING, _params(first, income_type, kind))
    params = _params(rule, income_type, kind)
    if withheld > ZERO:
        return _("%(rate)s withholding tax: %(condition)s.") % {
            "rate": params["rate"],
            "condition": _condition(rule, params),
        }
    if rule.rate == ZERO:
        if kind == PayeeKind.BUSINESS:
            return _(
                "Nothing withheld: a business that issues an invoice (統一發票) has no "
                "withholding tax and no NHI supplement."
            )
        return (
            _("No withholding tax: %(income)s income paid to a %(payee)s is not withheld.") % params
        )
    if rule.threshold_basis == ThresholdBasis.CHARGE_ABOVE:
        return (
            _("No withholding tax: the tax on this payment would be %(threshold)s or less.")
            % params
        )
    return _("No withholding tax on this payment.")


def nhi_reason(
    rules: list[RuleTerms],
    gross: Decimal,
    premium: Decimal,
    income_type: str,
    kind: str,
    exempt: bool,
) -> str:
    """One sentence: why this NHI supplementary premium (or none)."""
    nhi_rules = [rule for rule in rules if rule.charge == ChargeKind.NHI_SUPPLEMENT]
    if not nhi_rules:
        if kind == PayeeKind.BUSINESS:
            return ""  # Said with the withholding: a business with an invoice has neither.
        return _("No NHI supplement: it is not charged on %(income)s income.") % {
            "income": income_type
        }
    rule = _deciding(nhi_rules, ChargeKind.NHI_SUPPLEMENT, gross)
    if rule is None:
        return _not_reached(
            nhi_rules[0], ChargeKind.NHI_SUPPLEMENT, _params(nhi_rules[0], income_type, kind)
        )
    params = _params(rule, income_type, kind)
    if premium > ZERO:
        sentence = _("%(rate)s NHI supplement: %(condition)s.") % {
            "rate": params["rate"],
            "condition": _condition(rule, params),
        }
        if rule.base_cap is not None and gross > rule.base_cap:
            sentence += " " + _("Only the first %(cap)s is charged.") % {"cap": _nt(rule.base_cap)}
        return sentence
    if exempt:
        return _("No NHI supplement: you are exempt (proof on file).")
    return _("No NHI supplement on this payment.")


def installment_reasons(row: LedgerRow, rules: RuleBook) -> list[str]:
    """The sentences explaining a ledger row's figures (none when it has no figures)."""
    figures, installment = row.figures, row.installment
    if not figures.complete or figures.gross is None:
        return []
    on = installment.paid_on if figures.final and installment.paid_on else installment.due_on
    kind = figures.payee_kind or PayeeKind.RESIDENT
    terms = rules.rules_on(kind, installment.income_type, on)
    sentences = []
    if installment.currency != TWD and figures.fx_rate:
        sentences.append(
            _("Converted at NT$ %(rate)s per %(currency)s.")
            % {"rate": f"{figures.fx_rate.normalize():f}", "currency": installment.currency}
        )
    sentences.append(
        withholding_reason(
            terms, figures.gross, figures.withholding_tax or ZERO, installment.income_type, kind
        )
    )
    sentences.append(
        nhi_reason(
            terms,
            figures.gross,
            figures.nhi_supplement or ZERO,
            installment.income_type,
            kind,
            exempt=bool(row.payee and row.payee.nhi_exempt),
        )
    )
    return [sentence for sentence in sentences if sentence]
