"""The campaign Plan tab's money out: what was paid (gross) and the cash-out forecast by month
of the installments still open, in the campaign's currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from campaigns.models import Campaign, InstallmentStatus
from campaigns.payouts.ledger import LedgerRow, installments_of, ledger_rows
from campaigns.payouts.tax import TWD
from kolhub.fx import Rates, convert_amount, rate_name
from kolhub.models import Workspace
from kolhub.selectors import exchange_rates


@dataclass
class ForecastMonth:
    month: date  # its first day
    amount: Decimal | None  # None when an amount of the month lacks its exchange rate
    installments: int = 0
    overdue: int = 0  # installments past due, counted in the current month


@dataclass
class PayoutPlan:
    currency: str
    # Gross paid: what reached the creators (net) plus what was withheld for them (tax, NHI).
    paid: Decimal | None
    paid_count: int
    months: list[ForecastMonth]
    missing_rates: list[str] = field(default_factory=list)

    @property
    def open_total(self) -> Decimal | None:
        amounts = [month.amount for month in self.months]
        return None if None in amounts else sum((a or Decimal(0) for a in amounts), Decimal(0))

    @property
    def overdue(self) -> int:
        return sum(month.overdue for month in self.months)


def _paid_in(row: LedgerRow, currency: str, rates: Rates) -> Decimal | None:
    """A paid installment's gross in the campaign currency: the NT$ gross recorded when paid
    (at that day's rate) for a campaign in NT$; for another campaign currency the amount itself
    when in that currency, else the NT$ gross converted at the workspace's rate."""
    installment, gross = row.installment, row.figures.gross
    if currency == TWD:
        return gross
    if installment.currency == currency:
        return installment.amount
    if gross is None:
        return None
    return convert_amount(gross, TWD, currency, rates)


def payout_plan(workspace: Workspace, campaign: Campaign, today: date) -> PayoutPlan:
    """Paid so far and the open installments by due month (overdue ones in this month)."""
    installments = list(
        installments_of(workspace)
        .filter(collaboration__campaign=campaign)
        .exclude(status=InstallmentStatus.CANCELLED)
        .order_by("due_on", "pk")
    )
    if not installments:  # one query for a campaign whose payments are not planned yet
        return PayoutPlan(campaign.currency, Decimal(0), 0, [])
    rows = ledger_rows(workspace, installments)
    rates = exchange_rates(workspace.pk)
    missing: set[str] = set()
    currency = campaign.currency
    paid: Decimal | None = Decimal(0)
    paid_count = 0
    this_month = today.replace(day=1)
    months: dict[date, ForecastMonth] = {}
    for row in rows:
        installment = row.installment
        if installment.status == InstallmentStatus.PAID:
            paid_count += 1
            value = _paid_in(row, currency, rates)
            if value is None:
                missing.add(rate_name(TWD, currency))
            paid = None if value is None or paid is None else paid + value
            continue
        month = max(installment.due_on.replace(day=1), this_month)
        line = months.setdefault(month, ForecastMonth(month, Decimal(0)))
        line.installments += 1
        line.overdue += installment.due_on < today
        converted = convert_amount(installment.amount, installment.currency, currency, rates)
        if converted is None:
            missing.add(rate_name(installment.currency, currency))
        line.amount = None if converted is None or line.amount is None else line.amount + converted
    return PayoutPlan(
        currency=currency,
        paid=paid,
        paid_count=paid_count,
        months=[months[month] for month in sorted(months)],
        missing_rates=sorted(missing),
    )
