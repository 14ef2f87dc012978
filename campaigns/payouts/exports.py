"""The payout files: the bank batch (整批匯款) CSV, the monthly withholding and NHI summary, and
the yearly per-payee statement lines (扣繳憑單), as tables built from the ledger's figures.

Columns and their sources are documented in docs/payouts.md. Text cells go through
`neutralise`, so a name typed as "=HYPERLINK(...)" is never run by a spreadsheet.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext as _

from campaigns.models import IncomeType, PayeeKind
from campaigns.payouts.board import MonthlySummary, PayeeYear
from campaigns.payouts.ledger import LedgerRow
from kolhub import workbooks
from kolhub.spreadsheets import neutralise

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _whole(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _digits(value: str, width: int) -> str:
    """A bank or branch code as the banks write it: digits, left-padded with zeros."""
    text = "".join(value.split())
    return text.zfill(width) if text.isdigit() else text


def bank_memo(row: LedgerRow) -> str:
    """The payer's reference the creator sees on their statement (short: banks cut it)."""
    campaign = row.installment.collaboration.campaign
    return f"{campaign.name} {row.installment.label}"[:40]


def bank_batch_frame(rows: list[LedgerRow]) -> pd.DataFrame:
    """One transfer per approved installment: where to, how much (net, whole NT$), and why."""
    records = []
    for row in rows:
        payee = row.payee
        assert payee is not None  # bank_batch_rows keeps only rows with complete details
        records.append(
            {
                _("Bank code"): _digits(payee.bank_code, 3),
                _("Branch code"): _digits(payee.branch_code, 4),
                _("Account number"): "".join(payee.account_number.split()),
                _("Account holder"): payee.account_holder.strip(),
                _("Amount (NT$)"): _whole(row.figures.net),
                _("Memo"): bank_memo(row),
                _("Payee ID"): payee.tax_id.strip().upper(),
                _("Email"): row.installment.collaboration.creator.email,
                _("Installment"): row.installment.pk,
            }
        )
    columns = [
        _("Bank code"),
        _("Branch code"),
        _("Account number"),
        _("Account holder"),
        _("Amount (NT$)"),
        _("Memo"),
        _("Payee ID"),
        _("Email"),
        _("Installment"),
    ]
    return _safe(pd.DataFrame(records, columns=columns))


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(neutralise) if len(frame) else frame


def summary_frame(summary: MonthlySummary) -> pd.DataFrame:
    """Per income type and payee type: payments, gross, withholding, NHI, net; then the total."""
    records = [
        {
            _("Income type"): IncomeType(line.income_type).label,
            _("Payee type"): PayeeKind(line.payee_kind).label if line.payee_kind else "",
            _("Payments"): line.count,
            _("Gross (NT$)"): int(line.gross),
            _("Withholding tax (NT$)"): int(line.withholding_tax),
            _("NHI supplementary premium (NT$)"): int(line.nhi_supplement),
            _("Net (NT$)"): int(line.net),
        }
        for line in summary.lines
    ]
    totals = summary.totals
    records.append(
        {
            _("Income type"): _("Total"),
            _("Payee type"): "",
            _("Payments"): sum(line.count for line in summary.lines),
            _("Gross (NT$)"): int(totals.gross),
            _("Withholding tax (NT$)"): int(totals.withholding_tax),
            _("NHI supplementary premium (NT$)"): int(totals.nhi_supplement),
            _("Net (NT$)"): int(totals.net),
        }
    )
    return pd.DataFrame(records)


def remit_frame(summary: MonthlySummary) -> pd.DataFrame:
    """What to pay to whom by when, for the month's payments."""
    return pd.DataFrame(
        [
            {
                _("What"): _("Withholding tax (to the treasury)"),
                _("Amount (NT$)"): int(summary.totals.withholding_tax),
                _("Pay by"): summary.withholding_due_on.isoformat(),
            },
            {
                _("What"): _("NHI supplementary premium (to the NHI Administration)"),
                _("Amount (NT$)"): int(summary.totals.nhi_supplement),
                _("Pay by"): summary.nhi_due_on.isoformat(),
            },
        ]
    )


def yearly_frame(payees: list[PayeeYear]) -> pd.DataFrame:
    """One line per payee and income type: the fields of the withholding statement filing."""
    records = [
        {
            _("Payee name"): payee.legal_name,
            _("ID or business number"): payee.tax_id,
            _("Payee type"): PayeeKind(payee.payee_kind).label if payee.payee_kind else "",
            _("Income type code"): payee.income_type,
            _("Income type"): IncomeType(payee.income_type).label,
            _("Payments"): payee.line.count,
            _("Gross (NT$)"): int(payee.line.gross),
            _("Withholding tax (NT$)"): int(payee.line.withholding_tax),
            _("Net (NT$)"): int(payee.line.net),
            _("NHI supplementary premium (NT$)"): int(payee.line.nhi_supplement),
        }
        for payee in payees
    ]
    columns = [
        _("Payee name"),
        _("ID or business number"),
        _("Payee type"),
        _("Income type code"),
        _("Income type"),
        _("Payments"),
        _("Gross (NT$)"),
        _("Withholding tax (NT$)"),
        _("Net (NT$)"),
        _("NHI supplementary premium (NT$)"),
    ]
    return _safe(pd.DataFrame(records, columns=columns))


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads the Chinese names right."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, index=False, sheet_name=name[:31])
            money = {
                str(column): workbooks.COUNT for column in frame.columns if "NT$" in str(column)
            }
            workbooks.layout_sheet(writer.sheets[name[:31]], frame, money)
    return buffer.getvalue()
