"""The workspace's payouts across campaigns: the page's filtered list, and the rows of the bank
batch file, the monthly withholding summary and the yearly per-payee statement.

Every figure comes from `campaigns.payouts.ledger`; this module only chooses installments and
groups their ledger rows.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from campaigns.models import OPEN_INSTALLMENT, Installment, InstallmentStatus
from campaigns.payouts.ledger import (
    LedgerRow,
    LedgerTotals,
    Pricing,
    group_totals,
    installments_of,
    ledger_groups,
    ledger_rows,
)
from campaigns.payouts.ledger import ledger_totals as totals_of
from kolhub.models import Membership, Workspace

# The most installments one file reads: far more than an agency pays in a month; past it the
# reader narrows the filters (a truncated bank file or tax summary would be wrong). The page
# shows any number, a page of rows at a time, with totals of them all.
MAX_ROWS = 2000
OVERDUE = "overdue"


class TooManyRows(Exception):
    """More installments match than one request reads (MAX_ROWS)."""


def month_range(month: date) -> tuple[date, date]:
    """The first and last day of the month `month` falls in."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def installment_list(
    membership: Membership, filters: dict[str, Any], today: date
) -> QuerySet[Installment]:
    """The installments this member may see, filtered by status (or "overdue"), month due,
    month paid and campaign, the earliest due first."""
    rows = installments_of(membership.workspace)
    if membership.is_client:  # the page is for the team; a client viewer never gets here
        return rows.none()
    status = filters.get("status")
    if status == OVERDUE:
        rows = rows.filter(status__in=OPEN_INSTALLMENT, due_on__lt=today)
    elif status:
        rows = rows.filter(status=status)
    if due := filters.get("due_month"):
        rows = rows.filter(due_on__range=month_range(due))
    if paid := filters.get("paid_month"):
        rows = rows.filter(paid_on__range=month_range(paid))
    if campaign := filters.get("campaign"):
        rows = rows.filter(collaboration__campaign=campaign)
    return rows.order_by("due_on", "collaboration_id", "position", "pk")


def bounded_rows(workspace: Workspace, installments: QuerySet[Installment]) -> list[LedgerRow]:
    """The ledger rows of at most MAX_ROWS installments; TooManyRows past it."""
    chosen = list(installments[: MAX_ROWS + 1])
    if len(chosen) > MAX_ROWS:
        raise TooManyRows
    return ledger_rows(workspace, chosen)


def is_overdue(row: LedgerRow, today: date) -> bool:
    return row.installment.is_open and row.installment.due_on < today


def is_due_soon(row: LedgerRow, today: date, days: int = 3) -> bool:
    return row.installment.is_open and today <= row.installment.due_on <= today + timedelta(days)


@dataclass(frozen=True)
class BoardSummary:
    """The figures of every installment the filters choose, not only the page shown."""

    count: int
    totals: LedgerTotals
    overdue: int
    # As bank_batch_rows counts them, but from the stored values: a detail no configured key
    # can decrypt counts as entered here, and the file itself leaves that payee out.
    bank_ready: int
    bank_left_out: int


def board_summary(
    workspace: Workspace,
    installments: QuerySet[Installment],
    today: date,
    *,
    pricing: Pricing | None = None,
) -> BoardSummary:
    """Counts and totals of `installments` in a fixed number of queries, however many match."""
    groups = ledger_groups(workspace, installments, pricing=pricing)
    approved = [group for group in groups if group.status == InstallmentStatus.APPROVED]
    ready = sum(g.count for g in approved if g.payee_complete and g.figures.net is not None)
    return BoardSummary(
        count=sum(group.count for group in groups),
        totals=group_totals(groups),
        overdue=installments.filter(status__in=OPEN_INSTALLMENT, due_on__lt=today).count(),
        bank_ready=ready,
        bank_left_out=sum(group.count for group in approved) - ready,
    )


# The bank batch file: approved payments whose transfer details and net amount are known.
def bank_batch_rows(rows: list[LedgerRow]) -> tuple[list[LedgerRow], list[LedgerRow]]:
    """(ready to transfer, left out): approved rows with complete payee details and figures."""
    approved = [r for r in rows if r.installment.status == InstallmentStatus.APPROVED]
    ready = [r for r in approved if r.payee and r.payee.complete and r.figures.net is not None]
    return ready, [r for r in approved if r not in ready]


@dataclass
class SummaryLine:
    income_type: str
    payee_kind: str
    count: int = 0
    gross: Decimal = Decimal(0)
    withholding_tax: Decimal = Decimal(0)
    nhi_supplement: Decimal = Decimal(0)
    net: Decimal = Decimal(0)

    def add(self, row: LedgerRow) -> None:
        figures = row.figures
        self.count += 1
        self.gross += figures.gross or 0
        self.withholding_tax += figures.withholding_tax or 0
        self.nhi_supplement += figures.nhi_supplement or 0
        self.net += figures.net or 0


@dataclass
class MonthlySummary:
    month: date
    lines: list[SummaryLine]
    totals: LedgerTotals
    withholding_due_on: date  # 扣繳稅款: by the 10th of the next month
    nhi_due_on: date  # 補充保費: by the end of the next month
    rows: list[LedgerRow] = field(default_factory=list)


def paid_in_month(workspace: Workspace, month: date) -> QuerySet[Installment]:
    return installments_of(workspace).filter(
        status=InstallmentStatus.PAID, paid_on__range=month_range(month)
    )


def monthly_summary(workspace: Workspace, month: date) -> MonthlySummary:
    """What was paid in the month, per income type and payee type, and what to remit by when."""
    rows = bounded_rows(workspace, paid_in_month(workspace, month).order_by("paid_on", "pk"))
    lines: dict[tuple[str, str], SummaryLine] = {}
    for row in rows:
        key = (row.installment.income_type, row.figures.payee_kind)
        lines.setdefault(key, SummaryLine(*key)).add(row)
    following = next_month(month)
    return MonthlySummary(
        month=month_range(month)[0],
        lines=[lines[key] for key in sorted(lines)],
        totals=totals_of(rows),
        withholding_due_on=following.replace(day=10),
        nhi_due_on=month_range(following)[1],
        rows=rows,
    )


@dataclass
class PayeeYear:
    """One line of the withholding statement filing: one payee, one income type, one year."""

    legal_name: str
    tax_id: str
    payee_kind: str
    income_type: str
    collaborations: set[int] = field(default_factory=set)
    line: SummaryLine = field(init=False)

    def __post_init__(self) -> None:
        self.line = SummaryLine(self.income_type, self.payee_kind)


def yearly_payees(workspace: Workspace, year: int) -> list[PayeeYear]:
    """Each payee's payments of the year per income type (a payee paid for several
    collaborations is one line: the statement is per taxpayer, by their ID)."""
    paid = installments_of(workspace).filter(
        status=InstallmentStatus.PAID, paid_on__range=(date(year, 1, 1), date(year, 12, 31))
    )
    rows = bounded_rows(workspace, paid.order_by("paid_on", "pk"))
    found: dict[tuple[str, str, str], PayeeYear] = {}
    for row in rows:
        payee, installment = row.payee, row.installment
        # Without details on file the payee is only known by the collaboration.
        who = payee.tax_id.strip().upper() if payee and payee.tax_id else f"#{installment.pk}"
        kind = row.figures.payee_kind
        key = (who, kind, installment.income_type)
        if key not in found:
            found[key] = PayeeYear(
                legal_name=payee.legal_name if payee else "",
                tax_id=payee.tax_id.strip().upper() if payee and payee.tax_id else "",
                payee_kind=kind,
                income_type=installment.income_type,
            )
        found[key].line.add(row)
        found[key].collaborations.add(installment.collaboration_id)
    return sorted(found.values(), key=lambda p: (p.legal_name, p.tax_id, p.income_type))
