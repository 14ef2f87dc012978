"""Installments with their figures, read for a page, the portal or an export in a fixed number
of queries: the rule table, the rates and the payees are each read once.

The totals of a whole workspace's installments (the Payouts page's) are read as groups of
installments alike in everything their figures depend on, counted by the database: each group
is quoted once, by the same `installment_figures`, so the totals are the rows' totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

from django.db.models import BooleanField, Case, Count, DateField, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable

from campaigns.models import Collaboration, Installment, InstallmentStatus, Payee
from campaigns.models.payouts import PAYEE_SECRETS
from campaigns.payouts.figures import InstallmentFigures, installment_figures
from campaigns.payouts.selectors import RuleBook
from kolhub.fx import Rates
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


@dataclass(frozen=True)
class Pricing:
    """What quoting needs besides the installments: the rule table and the workspace's rates."""

    rules: RuleBook
    rates: Rates

    @classmethod
    def load(cls, workspace: Workspace) -> Pricing:
        return cls(RuleBook.load(), exchange_rates(workspace.pk))


def ledger_rows(
    workspace: Workspace, installments: Iterable[Installment], *, pricing: Pricing | None = None
) -> list[LedgerRow]:
    """Each installment with its figures and its collaboration's payee."""
    installments = list(installments)
    payees = {
        payee.collaboration_id: payee
        for payee in Payee.objects.for_workspace(workspace).filter(
            collaboration_id__in={i.collaboration_id for i in installments}
        )
    }
    pricing = pricing or Pricing.load(workspace)
    rules, rates = pricing.rules, pricing.rates
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


@dataclass(frozen=True)
class LedgerGroup:
    """Installments alike in everything their figures depend on: their figures, and how many."""

    status: str
    figures: InstallmentFigures
    payee_complete: bool  # a payee with every identifier and bank detail entered
    count: int


# What an installment's figures depend on (campaigns.payouts.figures), besides its payee and
# the rules in force on its due date.
FIGURE_FIELDS = (
    "status",
    "amount",
    "currency",
    "income_type",
    "fx_rate",
    "paid_gross",
    "paid_withholding",
    "paid_nhi",
    "paid_net",
    "paid_payee_kind",
)
PAYEE = "collaboration__payee__"


def _rule_period(rules: RuleBook) -> Combinable:
    """The due date as a day of the same rule period: installments due on different days of a
    period quote alike, so they group together."""
    changes = rules.changes()
    if not changes:
        return F("due_on")
    before_first = changes[0] - timedelta(days=1) if changes[0] > changes[0].min else changes[0]
    return Case(
        When(due_on__lt=changes[0], then=Value(before_first)),
        *[When(due_on__lt=following, then=Value(start)) for start, following in pairwise(changes)],
        default=Value(changes[-1]),
        output_field=DateField(),
    )


def _payee_complete() -> Case:
    # Encrypted fields store an empty value as empty, so "entered" is readable in SQL (greater
    # than "" is neither empty nor NULL, and NULL is also what a missing payee reads as).
    entered = Q()
    for name in PAYEE_SECRETS:
        entered &= Q(**{f"{PAYEE}{name}__gt": ""})
    return Case(When(entered, then=Value(True)), default=Value(False), output_field=BooleanField())


def ledger_groups(
    workspace: Workspace, installments: QuerySet[Installment], *, pricing: Pricing | None = None
) -> list[LedgerGroup]:
    """The figures of every installment of `installments`, however many, in one query (three
    without `pricing`): installments alike in their figures' inputs are counted together by the
    database and quoted once."""
    pricing = pricing or Pricing.load(workspace)
    rules, rates = pricing.rules, pricing.rates
    grouped = (
        installments.order_by()
        .annotate(
            period=_rule_period(rules),
            payee_kind=F(f"{PAYEE}kind"),
            payee_nhi_exempt=F(f"{PAYEE}nhi_exempt"),
            payee_complete=_payee_complete(),
        )
        .values(*FIGURE_FIELDS, "period", "payee_kind", "payee_nhi_exempt", "payee_complete")
        .annotate(count=Count("pk"))
    )
    groups = []
    for row in grouped:
        installment = Installment(
            **{name: row[name] for name in FIGURE_FIELDS}, due_on=row["period"]
        )
        payee = (
            Payee(kind=row["payee_kind"], nhi_exempt=row["payee_nhi_exempt"])
            if row["payee_kind"] is not None
            else None
        )
        figures = installment_figures(installment, payee, rules=rules, rates=rates)
        groups.append(LedgerGroup(row["status"], figures, row["payee_complete"], row["count"]))
    return groups


def _totals(counted: Iterable[tuple[str, InstallmentFigures, int]]) -> LedgerTotals:
    gross = withholding = nhi = net = paid_net = Decimal(0)
    incomplete = 0
    for status, figures, count in counted:
        if status == InstallmentStatus.CANCELLED:
            continue
        if not figures.complete:
            incomplete += count
            continue
        gross += (figures.gross or Decimal(0)) * count
        withholding += (figures.withholding_tax or Decimal(0)) * count
        nhi += (figures.nhi_supplement or Decimal(0)) * count
        net += (figures.net or Decimal(0)) * count
        if figures.final:
            paid_net += (figures.net or Decimal(0)) * count
    return LedgerTotals(
        gross=gross,
        withholding_tax=withholding,
        nhi_supplement=nhi,
        net=net,
        paid_net=paid_net,
        incomplete=incomplete,
    )


def ledger_totals(rows: list[LedgerRow]) -> LedgerTotals:
    return _totals((row.installment.status, row.figures, 1) for row in rows)


def group_totals(groups: list[LedgerGroup]) -> LedgerTotals:
    """The same totals as `ledger_totals` of the groups' rows."""
    return _totals((group.status, group.figures, group.count) for group in groups)
