"""Orders as the shops and the pixel send them, read into one shape (no database here).

Every reader raises OrderError, with a reason, for anything it cannot trust: a missing id,
an amount that is not money, a currency that is not ISO 4217. Money is Decimal, never float.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone
from django.utils.dateparse import parse_datetime

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
MAX_AMOUNT = Decimal("1000000000000")
CENT = Decimal("0.01")
AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
# Orders are recorded from this day on and at most this far ahead of the server's clock (a
# shop's clock may run a little fast); anything else is a broken or hostile payload.
EARLIEST_ORDER = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_ORDER_SLACK = timedelta(days=1)
CLICK_ID = re.compile(r"[0-9a-f]{32}")
MAX_PROMO_CODES = 20
CURRENCY = re.compile(r"[A-Z]{3}")


class OrderError(ValueError):
    """The payload is not an order we can record; the message says what is wrong."""


@dataclass(frozen=True)
class Order:
    order_id: str
    amount: Decimal
    currency: str
    occurred_at: datetime
    promo_codes: tuple[str, ...] = ()
    click_id: str = ""
    utm: Mapping[str, str] = field(default_factory=dict)
    refunded: Decimal = Decimal(0)
    cancelled: bool = False


def text(value: Any, limit: int = 100) -> str:
    """A printable string of at most `limit` characters (databases refuse NUL bytes)."""
    return "".join(ch for ch in str(value) if ch.isprintable()).strip()[:limit]


def money(value: Any, name: str = "amount") -> Decimal:
    if isinstance(value, bool) or value is None:
        raise OrderError(f"{name} is missing")
    written = str(value).strip().replace(",", "")
    # ASCII digits only: Decimal would also read other scripts' digits ("١٢٣") and NaN.
    if not AMOUNT.fullmatch(written):
        raise OrderError(f"{name} is not an amount: {str(value)[:40]!r}")
    try:
        amount = abs(Decimal(written)).quantize(CENT)
    except InvalidOperation:  # more digits than a Decimal context holds
        raise OrderError(f"{name} is out of range: {str(value)[:40]!r}") from None
    # Checked once rounded: 999999999999.995 rounds up to the limit.
    if amount >= MAX_AMOUNT:
        raise OrderError(f"{name} is out of range: {str(value)[:40]!r}")
    return amount


def currency(value: Any) -> str:
    code = str(value or "").strip().upper()
    if not CURRENCY.fullmatch(code):
        raise OrderError(f"currency is not an ISO 4217 code: {str(value)[:10]!r}")
    return code


def order_id(value: Any) -> str:
    if isinstance(value, bool) or value in (None, ""):
        raise OrderError("the order has no id")
    cleaned = text(value, limit=101)
    if not cleaned or len(cleaned) > 100:
        raise OrderError("the order id is empty or longer than 100 characters")
    return cleaned


def moment(value: Any) -> datetime:
    try:
        parsed = parse_datetime(str(value)) if value else None
        if parsed is not None:
            parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):  # out of range once in UTC: 9999-12-31T23:59-14:00
        parsed = None
    if parsed is None:
        raise OrderError(f"the order time is not a date and time: {str(value)[:40]!r}")
    if not EARLIEST_ORDER <= parsed <= timezone.now() + FUTURE_ORDER_SLACK:
        raise OrderError(f"the order time is not plausible: {str(value)[:40]!r}")
    return parsed


def landing_params(url: Any) -> tuple[dict[str, str], str]:
    """UTM fields and our click id from a landing URL (absolute or relative, or junk)."""
    if not isinstance(url, str) or not url:
        return {}, ""
    query = parse_qs(urlsplit(url).query)
    utm = {name: text(query[name][0]) for name in UTM_FIELDS if query.get(name)}
    return utm, click_id(query.get("kh_click", [""])[0])


def click_id(value: Any) -> str:
    text = str(value or "").strip().lower()
    return text if CLICK_ID.fullmatch(text) else ""


def codes(values: Iterable[Any]) -> tuple[str, ...]:
    """The order's first MAX_PROMO_CODES promo codes: attribution looks them all up at once,
    and a shop combines a handful (Shopify: five and a shipping code)."""
    cleaned = (str(v).strip()[:100] for v in values if isinstance(v, str | int) and str(v).strip())
    return tuple(islice(cleaned, MAX_PROMO_CODES))


# Shopify --------------------------------------------------------------------------------------


def shopify_order(payload: Any) -> Order:
    """An orders/create, orders/updated or orders/cancelled body (the bare order object)."""
    if not isinstance(payload, dict):
        raise OrderError("the body is not an order object")
    utm, click = landing_params(payload.get("landing_site"))
    discounts = payload.get("discount_codes") or []
    if not isinstance(discounts, list):
        raise OrderError("discount_codes is not a list")
    amount = money(payload.get("total_price"), "total_price")
    return Order(
        order_id=order_id(payload.get("id")),
        amount=amount,
        currency=currency(payload.get("currency")),
        occurred_at=moment(payload.get("created_at")),
        promo_codes=codes(d.get("code") for d in discounts if isinstance(d, dict)),
        click_id=click,
        utm=utm,
        refunded=_shopify_refunded(payload, amount),
        cancelled=bool(payload.get("cancelled_at")),
    )


def _shopify_refunded(payload: dict, amount: Decimal) -> Decimal:
    if payload.get("financial_status") == "refunded":
        return amount
    refunds = payload.get("refunds") or []
    if not isinstance(refunds, list):
        return Decimal(0)
    return min(sum((shopify_refund_amount(r) for r in refunds), Decimal(0)), amount)


def shopify_refund_amount(refund: Any) -> Decimal:
    """The money a refunds/create body (or an order's refunds[] entry) gave back."""
    if not isinstance(refund, dict) or not isinstance(refund.get("transactions", []), list):
        raise OrderError("the refund has no transactions list")
    return sum(
        (
            money(t.get("amount"), "refund amount")
            for t in refund.get("transactions", [])
            if isinstance(t, dict) and t.get("kind") == "refund" and t.get("status") == "success"
        ),
        Decimal(0),
    )


# WooCommerce ----------------------------------------------------------------------------------

WOO_CANCELLED = {"cancelled", "failed", "trash"}
WOO_META_UTM = re.compile(
    r"^_?(?:wc_order_attribution_)?(utm_(?:source|medium|campaign|content|term))$"
)


def custom_order(payload: Any) -> Order:
    """A custom shop's order (docs/api.md, "Orders from a custom shop"): KOLHub's own shape."""
    if not isinstance(payload, dict):
        raise OrderError("the body is not an order object")
    amount = money(payload.get("total"), "total")
    promo = payload.get("promo_codes") or []
    if not isinstance(promo, list):
        raise OrderError("promo_codes is not a list")
    utm = payload.get("utm") or {}
    if not isinstance(utm, dict):
        raise OrderError("utm is not an object")
    refunded = payload.get("refunded")
    return Order(
        order_id=order_id(payload.get("order_id")),
        amount=amount,
        currency=currency(payload.get("currency")),
        occurred_at=moment(payload.get("created_at")),
        promo_codes=codes(promo),
        click_id=click_id(payload.get("click_id")),
        utm={name: text(utm[name]) for name in UTM_FIELDS if utm.get(name)},
        refunded=min(money(refunded, "refunded"), amount) if refunded is not None else Decimal(0),
        cancelled=payload.get("cancelled") is True,
    )


def woocommerce_order(payload: Any) -> Order:
    """An order.created or order.updated body (the REST v3 order)."""
    if not isinstance(payload, dict):
        raise OrderError("the body is not an order object")
    amount = money(payload.get("total"), "total")
    coupons = payload.get("coupon_lines") or []
    if not isinstance(coupons, list):
        raise OrderError("coupon_lines is not a list")
    utm, click = _woo_attribution(payload.get("meta_data") or [])
    status = str(payload.get("status", ""))
    return Order(
        order_id=order_id(payload.get("id")),
        amount=amount,
        currency=currency(payload.get("currency")),
        occurred_at=moment(payload.get("date_created_gmt") or payload.get("date_created")),
        promo_codes=codes(c.get("code") for c in coupons if isinstance(c, dict)),
        click_id=click,
        utm=utm,
        refunded=amount if status == "refunded" else _woo_refunded(payload, amount),
        cancelled=status in WOO_CANCELLED,
    )


def _woo_refunded(payload: dict, amount: Decimal) -> Decimal:
    refunds = payload.get("refunds") or []
    if not isinstance(refunds, list):
        return Decimal(0)
    total = sum(
        (money(r.get("total"), "refund") for r in refunds if isinstance(r, dict)), Decimal(0)
    )
    return min(total, amount)


def _woo_attribution(meta: Any) -> tuple[dict[str, str], str]:
    """UTM fields and click id from order meta: WooCommerce's own order attribution keys, a
    landing URL, or a kh_click stored by the shop's theme."""
    if not isinstance(meta, list):
        return {}, ""
    utm: dict[str, str] = {}
    click = ""
    for entry in meta:
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            continue
        key, value = str(entry.get("key", "")), entry["value"]
        if match := WOO_META_UTM.match(key):
            utm[match[1]] = text(value)
        elif key.lstrip("_") in ("kh_click", "kolhub_click"):
            click = click_id(value) or click
        elif key.endswith("session_entry"):
            landing_utm, landing_click = landing_params(value)
            utm = {**landing_utm, **utm}
            click = click or landing_click
    return utm, click


# The pixel ------------------------------------------------------------------------------------


def pixel_order(params: Mapping[str, str], *, received_at: datetime) -> Order:
    """The thank-you page's beacon: o (order id), a (amount), c (currency), p (promo code),
    k (kh_click kept from the landing page), u* (UTM fields it kept)."""
    return Order(
        order_id=order_id(params.get("o")),
        amount=money(params.get("a")),
        currency=currency(params.get("c")),
        occurred_at=received_at,
        promo_codes=codes([params.get("p", "")]),
        click_id=click_id(params.get("k")),
        utm={name: text(params[name]) for name in UTM_FIELDS if params.get(name)},
    )
