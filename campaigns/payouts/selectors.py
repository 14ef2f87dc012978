"""Loading the withholding rules in force on a date, and the quote built on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.payouts import ChargeKind, IncomeType, PayeeKind, WithholdingRule
from campaigns.payouts.tax import TWD, Quote, QuoteError, RuleTerms, compute_quote


def _label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's label in the reader's language (the value itself when unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class _Row:
    payee_kind: str
    income_type: str
    effective_from: date
    effective_to: date | None
    terms: RuleTerms


@dataclass
class RuleBook:
    """The whole rule table, read in one query: it holds a few dozen rows, and a page or an
    export quoting a hundred installments must not read it a hundred times."""

    rows: list[_Row] = field(default_factory=list)

    @classmethod
    def load(cls) -> RuleBook:
        rows = WithholdingRule.objects.order_by("charge", "-effective_from", "pk")
        return cls(
            [
                _Row(
                    payee_kind=row.payee_kind,
                    income_type=row.income_type,
                    effective_from=row.effective_from,
                    effective_to=row.effective_to,
                    terms=RuleTerms(
                        charge=row.charge,
                        rate=row.rate,
                        threshold_basis=row.threshold_basis,
                        threshold=row.threshold,
                        base_cap=row.base_cap,
                        rounding=row.rounding,
                    ),
                )
                for row in rows
            ]
        )

    def changes(self) -> list[date]:
        """The days the rules in force change on, ascending: between two of them (and before
        the first, and from the last on) every date has the same rules, so it quotes alike."""
        days = {row.effective_from for row in self.rows} | {
            row.effective_to + timedelta(days=1)
            for row in self.rows
            if row.effective_to is not None and row.effective_to < date.max
        }
        return sorted(days)

    def rules_on(
        self, payee: PayeeKind | str, income_type: IncomeType | str, on: date
    ) -> list[RuleTerms]:
        """The rules in force on `on` for this payee and income type, newest first per charge."""
        return [
            row.terms
            for row in self.rows
            if row.payee_kind == payee
            and row.income_type == income_type
            and row.effective_from <= on
            and (row.effective_to is None or row.effective_to >= on)
        ]

    def quote(
        self,
        gross: Decimal,
        payee: PayeeKind | str,
        income_type: IncomeType | str,
        nhi_exempt: bool,
        on: date,
        currency: str = TWD,
    ) -> Quote:
        """The quote of one payment on a date, under the rules then in force."""
        rules = self.rules_on(payee, income_type, on)
        # Every covered payee and income type has a withholding row (0 % where nothing is
        # withheld); none means the table does not cover that date, not "no tax".
        if not any(rule.charge == ChargeKind.WITHHOLDING for rule in rules):
            raise QuoteError(
                _(
                    "No withholding rule covers “%(income_type)s” paid to a payee of the type "
                    "“%(payee)s” on %(date)s."
                )
                % {
                    "income_type": _label(IncomeType, income_type),
                    "payee": _label(PayeeKind, payee),
                    "date": on.isoformat(),
                }
            )
        return compute_quote(gross, rules, nhi_exempt=nhi_exempt, currency=currency)


def withholding_rules_on(
    payee: PayeeKind | str, income_type: IncomeType | str, on: date
) -> list[RuleTerms]:
    """The rules in force on `on` for this payee and income type; the table is global."""
    return RuleBook.load().rules_on(payee, income_type, on)


def quote(
    gross: Decimal,
    payee: PayeeKind | str,
    income_type: IncomeType | str,
    nhi_exempt: bool,
    on: date,
    currency: str = TWD,
) -> Quote:
    """The quote of one payment on a date, under the rules then in force."""
    return RuleBook.load().quote(gross, payee, income_type, nhi_exempt, on, currency)
