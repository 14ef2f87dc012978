"""Money in one currency: costs and revenue converted with the workspace's own rate table.

A rate that the table does not hold is reported by name ("USD→TWD") and the total it would
have fed becomes unknown (None): a total that silently skipped a currency would be a wrong
figure, and a wrong figure is worse than "n/a".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

# The one rule for exchange rates, shared with the campaign pages (pure, see kolhub.fx).
from kolhub.fx import CENT, Rates, rate_between, rate_name

COST_PARTS = ("fee", "product_cost", "shipping_cost", "other_cost")


@dataclass(frozen=True)
class Converted:
    """Amounts in one currency, row by row (None where the rate is missing)."""

    amounts: pd.Series
    missing_rates: list[str] = field(default_factory=list)

    def total(self) -> Decimal | None:
        if self.missing_rates:
            return None
        return sum(self.amounts, Decimal(0)).quantize(CENT)


def convert(
    amounts: Iterable[Decimal],
    currencies: Iterable[str],
    into: str,
    rates: Rates,
    index: pd.Index | None = None,
    *,
    to_cents: bool = True,
) -> Converted:
    """Each amount in `into` (rounded to cents unless it is a unit price, such as the value of
    one view); the missing rates are listed once each, sorted."""
    converted: list[Decimal | None] = []
    missing: set[str] = set()
    for amount, currency in zip(amounts, currencies, strict=True):
        rate = rate_between(currency, into, rates)
        if rate is None:
            missing.add(rate_name(currency, into))
            converted.append(None)
        else:
            value = Decimal(amount) * rate
            converted.append(value.quantize(CENT) if to_cents else value)
    return Converted(pd.Series(converted, index=index, dtype="object"), sorted(missing))


def collaboration_costs(collaborations: pd.DataFrame, into: str, rates: Rates) -> Converted:
    """fee + product cost + shipping + other costs of each collaboration, in `into`.
    `collaborations` has the four cost columns (an empty fee counts as 0) and `currency`."""
    own = [
        sum((Decimal(row[part] or 0) for part in COST_PARTS), Decimal(0))
        for row in collaborations[list(COST_PARTS)].to_dict("records")
    ]
    return convert(own, collaborations["currency"], into, rates, collaborations.index)


def net_revenue(conversions: pd.DataFrame, into: str, rates: Rates) -> Converted:
    """amount − refunded of each order that was not cancelled, in `into`.
    `conversions` has `amount`, `refunded`, `currency` and `cancelled`."""
    kept = conversions[~conversions["cancelled"].astype(bool)]
    net = [
        Decimal(amount) - Decimal(refunded or 0)
        for amount, refunded in zip(kept["amount"], kept["refunded"], strict=True)
    ]
    return convert(net, kept["currency"], into, rates, kept.index)


def split_exactly(amount: Decimal, shares: Sequence[float], step: Decimal) -> list[Decimal]:
    """`amount` split by `shares` (which add up to 1) in multiples of `step`, the parts adding
    up to `amount` exactly: each part rounded down, then the steps left over go to the parts
    that lost the most (largest remainders; ties to the first)."""
    sign = -1 if amount < 0 else 1
    units = int((abs(amount) / step).to_integral_value())
    raw = [Decimal(units) * Decimal(str(share)) for share in shares]
    floors = [int(value) for value in raw]
    left = units - sum(floors)
    # Shares are floats: their sum may miss 1 by a hair, leaving a step too many or too few.
    by_loss = sorted(range(len(raw)), key=lambda i: (floors[i] - raw[i], i))
    for i in by_loss[:left] if left >= 0 else by_loss[left:]:
        floors[i] += 1 if left > 0 else -1
    return [sign * Decimal(units_of) * step for units_of in floors]
