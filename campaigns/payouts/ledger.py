"""Installments with their figures, read for a page, the portal or an export in a fixed number
of queries: the rule table, the rates and the payees are each read once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from campaigns.models import Collaboration, Installment, InstallmentStatus, Payee
from campaigns.payouts.figures import InstallmentFigures, installment_figures
from campaigns.payouts.selectors import RuleBook
from kolhub.models import Workspace
from kolhub.selectors import exchange_rates


@dataclass(frozen=True)
class LedgerRow:
    installment: Installment
    figures: InstallmentFigures
    payee: Payee | None


@dataclass(frozen=True)
class LedgerTotals:
    """Sums in NT$ of the installments that are not cancelled (None parts are left out and
    counted in `incomplete`)."""

    gross: Decimal
    withholding_tax: Decimal
    nhi_supplement: Decimal
    net: Decimal
    paid_net: Decimal
    incomplete: int


def installments_of(workspace: Workspace) -> QuerySet[Installment]:
    return Installment.objects.for_workspace(workspace).select_related(
        "collaboration__creator", "collaboration__campaign"
    )


def ledger_rows(workspace: Workspace, installments: Iterable[Installment]) -> list[LedgerRow]:
    """Each installment with its figures and its collaboration's payee."""
    installments = list(installments)
    payees = {
        payee.collaboration_id: payee
        for payee in Payee.objects.for_workspace(workspace).filter(
            collaboration_id__in={i.collaboration_id for i in installments}
        )
    }
    rules, rates = RuleBook.load(), exchange_rates(workspace.pk)
    return [
        LedgerRow(
            installment,
            installment_figures(
                installment, payees.get(installment.collaboration_id), rules=rules, rates=rates
            ),
            payees.get(installment.collaboration_id),
        )
        for installment in installments
    ]


def collaboration_ledger(collaboration: Collaboration) -> list[LedgerRow]:
    """The collaboration's schedule, in order, with figures."""
    return ledger_rows(
        collaboration.workspace,
        Installment.objects.filter(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        ).order_by("position", "due_on", "pk"),
    )


def ledger_totals(rows: list[LedgerRow]) -> LedgerTotals:
    live = [row for row in rows if row.installment.status != InstallmentStatus.CANCELLED]
    done = [row.figures for row in live if row.figures.complete]

    def total(name: str, figures: list[InstallmentFigures]) -> Decimal:
        return sum((getattr(f, name) or Decimal(0) for f in figures), Decimal(0))

    return LedgerTotals(
        gross=total("gross", done),
        withholding_tax=total("withholding_tax", done),
        nhi_supplement=total("nhi_supplement", done),
        net=total("net", done),
        paid_net=total("net", [f for f in done if f.final]),
        incomplete=len(live) - len(done),
    )
