"""Loading the withholding rules in force on a date, and the quote built on them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.payouts import ChargeKind, IncomeType, PayeeKind, WithholdingRule
from campaigns.payouts.tax import TWD, Quote, QuoteError, RuleTerms, compute_quote


def withholding_rules_on(
    payee: PayeeKind | str, income_type: IncomeType | str, on: date
) -> list[RuleTerms]:
    """The rules in force on `on` for this payee and income type; the table is global."""
    rows = (
        WithholdingRule.objects.filter(payee_kind=payee, income_type=income_type)
        .filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("charge", "-effective_from", "pk")
    )
    return [
        RuleTerms(
            charge=row.charge,
            rate=row.rate,
            threshold_basis=row.threshold_basis,
            threshold=row.threshold,
            base_cap=row.base_cap,
            rounding=row.rounding,
        )
        for row in rows
    ]


def quote(
    gross: Decimal,
    payee: PayeeKind | str,
    income_type: IncomeType | str,
    nhi_exempt: bool,
    on: date,
    currency: str = TWD,
) -> Quote:
    """The quote of one payment on a date, under the rules then in force."""
    rules = withholding_rules_on(payee, income_type, on)
    # Every covered payee and income type has a withholding row (0 % where nothing is
    # withheld); none means the table does not cover that date, not "no tax".
    if not any(rule.charge == ChargeKind.WITHHOLDING for rule in rules):
        raise QuoteError(
            _(
                "No withholding rule covers income type %(income_type)s "
                "for a %(payee)s payee on %(date)s."
            )
            % {"income_type": income_type, "payee": payee, "date": on.isoformat()}
        )
    return compute_quote(gross, rules, nhi_exempt=nhi_exempt, currency=currency)
