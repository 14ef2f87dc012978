"""Exchange rates as plain values: how much of one currency another is worth.

Pure Python (no Django), so that `tracking.results.scoring`, which must stay pure, and the
campaign pages convert money by the same rule: the workspace's own rate, or the inverse of
the opposite one, and never a guess. The table itself is read by
`kolhub.selectors.exchange_rates`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

Rates = Mapping[tuple[str, str], Decimal]
CENT = Decimal("0.01")


def rate_name(currency: str, into: str) -> str:
    return f"{currency}→{into}"


def rate_between(currency: str, into: str, rates: Rates) -> Decimal | None:
    """How many `into` one `currency` is worth: 1 for the same currency, the table's rate, or
    the inverse of the opposite rate; None when the table has neither."""
    if currency == into:
        return Decimal(1)
    if (currency, into) in rates:
        return Decimal(rates[(currency, into)])
    if (into, currency) in rates:
        return Decimal(1) / Decimal(rates[(into, currency)])
    return None


def convert_amount(amount: Decimal, currency: str, into: str, rates: Rates) -> Decimal | None:
    """`amount` of `currency` in `into`, to the cent; None when the rate is missing."""
    rate = rate_between(currency, into, rates)
    return None if rate is None else (Decimal(amount) * rate).quantize(CENT)
