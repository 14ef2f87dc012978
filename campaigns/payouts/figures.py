"""An installment's figures — gross, withholding tax, NHI supplement and net, in NT$ — computed
in this one place for the collaboration page, the portal, the receipts, the exports and the
plan, so every one of them shows the same numbers.

Paid installments show what was recorded when they were paid (the rules and the rate of that
day); the others are quoted now under the rules in force on their due date, as an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from campaigns.models.payouts import Installment, InstallmentStatus, Payee, PayeeKind
from campaigns.payouts.selectors import RuleBook
from campaigns.payouts.tax import TWD, QuoteError
from kolhub.fx import Rates, rate_between

WHOLE_DOLLAR = Decimal(1)


@dataclass(frozen=True)
class InstallmentFigures:
    gross: Decimal | None  # NT$, whole dollars; None when it cannot be computed
    withholding_tax: Decimal | None
    nhi_supplement: Decimal | None
    net: Decimal | None
    fx_rate: Decimal | None  # one unit of the installment's currency in NT$
    payee_kind: str
    # Why a figure is missing, or what the estimate assumes, in the reader's language.
    problem: str = ""
    assumption: str = ""
    final: bool = False  # recorded when paid; otherwise an estimate

    @property
    def complete(self) -> bool:
        return self.net is not None


def gross_in_twd(amount: Decimal, currency: str, rate: Decimal | None) -> Decimal | None:
    """The amount in whole NT$ at `rate` (None when a foreign amount has no rate)."""
    if currency == TWD:
        rate = Decimal(1)
    if rate is None:
        return None
    return (amount * rate).quantize(WHOLE_DOLLAR, rounding=ROUND_HALF_UP)


def _recorded(installment: Installment) -> InstallmentFigures:
    return InstallmentFigures(
        gross=installment.paid_gross,
        withholding_tax=installment.paid_withholding,
        nhi_supplement=installment.paid_nhi,
        net=installment.paid_net,
        fx_rate=installment.fx_rate,
        payee_kind=installment.paid_payee_kind,
        final=True,
    )


def quote_installment(
    installment: Installment,
    payee: Payee | None,
    *,
    rules: RuleBook,
    rates: Rates,
    on: date | None = None,
    fx_rate: Decimal | None = None,
) -> InstallmentFigures:
    """The installment quoted under the rules in force on `on` (its due date by default), at
    `fx_rate` or else the workspace's current rate."""
    on = on or installment.due_on
    if fx_rate is None:
        fx_rate = rate_between(installment.currency, TWD, rates)
    kind = payee.kind if payee else PayeeKind.RESIDENT
    assumption = (
        "" if payee else _("Payment details not entered yet: estimated for a resident individual.")
    )
    empty = InstallmentFigures(None, None, None, None, fx_rate, kind, assumption=assumption)
    gross = gross_in_twd(installment.amount, installment.currency, fx_rate)
    if gross is None:
        problem = _("No exchange rate from %(currency)s to TWD: add it in Settings.") % {
            "currency": installment.currency
        }
        return InstallmentFigures(**{**empty.__dict__, "problem": problem})
    try:
        quote = rules.quote(
            gross, kind, installment.income_type, bool(payee and payee.nhi_exempt), on
        )
    except QuoteError as error:
        return InstallmentFigures(**{**empty.__dict__, "gross": gross, "problem": str(error)})
    return InstallmentFigures(
        gross=quote.gross,
        withholding_tax=quote.withholding_tax,
        nhi_supplement=quote.nhi_supplement,
        net=quote.net,
        fx_rate=fx_rate,
        payee_kind=kind,
        assumption=assumption,
    )


def installment_figures(
    installment: Installment, payee: Payee | None, *, rules: RuleBook, rates: Rates
) -> InstallmentFigures:
    """What the installment's figures are: as recorded once paid, else the estimate."""
    if installment.status == InstallmentStatus.PAID and installment.paid_net is not None:
        return _recorded(installment)
    return quote_installment(installment, payee, rules=rules, rates=rates)
