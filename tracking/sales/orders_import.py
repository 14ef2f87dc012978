"""Order exports (Shopify's CSV, WooCommerce's, or any spreadsheet): validated row by row,
applied all or nothing. Shopify writes one row per line item with the order's own columns
on its first row only, so rows are grouped by order id and the first non-empty value wins."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from creators.parsing import normalise_text
from kolhub.models import Workspace
from kolhub.spreadsheets import ImportSummary, RowError
from tracking.models import SalesChannel
from tracking.sales.conversions import DEFAULT_WINDOW_DAYS, conversion_record
from tracking.sales.orders import (
    UTM_FIELDS,
    Order,
    OrderError,
    click_id,
    codes,
    currency,
    landing_params,
    moment,
    money,
    order_id,
    text,
)

COLUMN_SYNONYMS = {
    "order_id": ("order id", "order", "name", "order number", "訂單編號", "訂單號碼", "訂單"),
    "created_at": ("created at", "date", "paid at", "order date", "日期", "訂單日期", "下單時間"),
    "currency": ("currency", "幣別", "貨幣"),
    "total": ("total", "amount", "order total", "金額", "總金額", "訂單金額"),
    "discount_code": ("discount code", "promo code", "coupon", "coupon code", "折扣碼", "優惠碼"),
    "refunded": ("refunded", "refunded amount", "refunded total", "退款", "退款金額"),
    "status": ("financial status", "status", "order status", "狀態", "付款狀態"),
    "landing_url": ("landing site", "landing url", "landing page", "著陸頁"),
    "kh_click": ("kh_click", "click id"),
    **{name: (name, name.replace("_", " ")) for name in UTM_FIELDS},
}
CANCELLED = {"voided", "cancelled", "canceled", "failed", "已取消"}
REFUNDED = {"refunded", "已退款"}


def _key(header: str) -> str:
    return re.sub(r"[\s_\-:：/()（）]+", "", normalise_text(header).lower())


FIELD_BY_KEY = {_key(s): name for name, spellings in COLUMN_SYNONYMS.items() for s in spellings}


@dataclass
class ParsedOrders:
    orders: list[Order]
    errors: list[RowError]


def parse_orders(frame: pd.DataFrame) -> ParsedOrders:
    columns = {name: FIELD_BY_KEY.get(_key(name)) for name in frame.columns}
    needed = [
        f for f in ("order_id", "created_at", "currency", "total") if f not in columns.values()
    ]
    if needed:
        message = _(
            "The file needs columns for the order ID, date, currency and total (missing: "
            "%(missing)s)."
        ) % {"missing": ", ".join(needed)}
        return ParsedOrders([], [RowError(0, "", message)])
    heading = {field: name for name, field in columns.items() if field}
    groups: OrderedDict[str, list[tuple[int, dict]]] = OrderedDict()
    for index, record in enumerate(frame.to_dict("records")):
        values = {field: str(record[name]).strip() for field, name in heading.items()}
        groups.setdefault(values["order_id"], []).append((index + 2, values))
    orders, errors = [], []
    for rows in groups.values():
        try:
            orders.append(_order(rows))
        except OrderError as exc:
            errors.append(RowError(rows[0][0], heading.get(_blamed(str(exc)), ""), str(exc)))
    return ParsedOrders(orders, errors)


def _order(rows: list[tuple[int, dict]]) -> Order:
    def first(field: str) -> str:
        return next((values[field] for _row, values in rows if values.get(field)), "")

    amount = money(first("total"), "total")
    utm, landing_click = landing_params(first("landing_url"))
    utm |= {name: text(first(name)) for name in UTM_FIELDS if first(name)}
    status = first("status").lower()
    refunded = amount if status in REFUNDED else money(first("refunded") or "0", "refunded")
    return Order(
        order_id=order_id(first("order_id")),
        amount=amount,
        currency=currency(first("currency")),
        occurred_at=moment(first("created_at")),
        promo_codes=codes(text(code) for code in re.split(r"[;,]", first("discount_code"))),
        click_id=click_id(first("kh_click")) or landing_click,
        utm=utm,
        refunded=min(refunded, amount),
        cancelled=status in CANCELLED,
    )


def _blamed(message: str) -> str:
    """The field an OrderError is about, to name its column in the report."""
    for field in ("total", "currency", "refunded"):
        if message.startswith(field):
            return field
    return "created_at" if "time" in message else "order_id"


def orders_import(
    *,
    workspace: Workspace,
    parsed: ParsedOrders,
    skip_invalid: bool = False,
    dry_run: bool = False,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> ImportSummary:
    """Record the orders (one per channel and order id); all or nothing without skip_invalid."""
    summary = ImportSummary(
        errors=[e.as_dict() for e in parsed.errors],
        skipped=len(parsed.errors),
        dry_run=dry_run,
    )
    if parsed.errors and not skip_invalid:
        return summary
    with transaction.atomic():
        for order in parsed.orders:
            _conversion, created = conversion_record(
                workspace_id=workspace.pk,
                channel=SalesChannel.CSV,
                order=order,
                window_days=window_days,
            )
            if created:
                summary.created += 1
            else:
                summary.updated += 1
        if dry_run:
            transaction.set_rollback(True)
    return summary
