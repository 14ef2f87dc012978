"""Webhook deliveries: every request a shop sends is stored with what became of it, and a
signed one is applied from its stored body, by the intake view when it arrives and by the
admin's "replay" later (after a fix, or once a promo code was added), the same way.

An applied delivery holds its (feed, event id) slot, so the shop's retry of an event is
answered without being applied twice; refused and unreadable ones hold none, so a corrected
resend is applied. Only a signed body is kept: an unsigned one proves nothing and is not
ours to keep.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from tracking.models import (
    Conversion,
    DeliveryOutcome,
    SalesChannel,
    SalesFeed,
    WebhookDelivery,
)
from tracking.sales import conversions
from tracking.sales.orders import (
    OrderError,
    custom_order,
    order_id,
    shopify_order,
    shopify_refund_amount,
    woocommerce_order,
)

# A refund adds its amount to what the order had refunded: applied twice it counts twice,
# so an applied refund is never replayed (an order's delivery states the whole order).
NOT_REPEATABLE = frozenset({"refunds/create"})
WOOCOMMERCE_ORDER_TOPICS = ("order.created", "order.updated", "order.restored")


def _storable(value: str, limit: int | None = None) -> str:
    """Text a database keeps: PostgreSQL refuses NUL characters, which a header or a signed
    body may carry (the body's JSON reading then says what is wrong with it)."""
    return value.replace("\x00", "\ufffd")[:limit]


def _json(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise OrderError("the body is not JSON") from None
    except RecursionError:  # tens of thousands of nested brackets, signed or not
        raise OrderError("the body is nested too deeply") from None


def _shopify(feed: SalesFeed, topic: str, payload: Any) -> str:
    if topic == "refunds/create":
        if not isinstance(payload, dict):
            raise OrderError("the body is not a refund object")
        refunded = order_id(payload.get("order_id"))
        conversions.conversion_refund(
            workspace_id=feed.workspace_id,
            channel=SalesChannel.SHOPIFY,
            order_id=refunded,
            amount=shopify_refund_amount(payload),
        )
        return refunded
    if topic.startswith("orders/"):
        conversion, _created = conversions.conversion_record(
            workspace_id=feed.workspace_id,
            channel=SalesChannel.SHOPIFY,
            order=shopify_order(payload),
            window_days=feed.attribution_days,
        )
        return conversion.order_id
    return ""


def _woocommerce(feed: SalesFeed, topic: str, payload: Any) -> str:
    if topic in WOOCOMMERCE_ORDER_TOPICS:
        conversion, _created = conversions.conversion_record(
            workspace_id=feed.workspace_id,
            channel=SalesChannel.WOOCOMMERCE,
            order=woocommerce_order(payload),
            window_days=feed.attribution_days,
        )
        return conversion.order_id
    return ""


def _custom(feed: SalesFeed, topic: str, payload: Any) -> str:
    # One kind of message: the order as it stands now (a refund or a cancellation is the same
    # order sent again with `refunded` or `cancelled`).
    conversion, _created = conversions.conversion_record(
        workspace_id=feed.workspace_id,
        channel=SalesChannel.CUSTOM,
        order=custom_order(payload),
        window_days=feed.attribution_days,
    )
    return conversion.order_id


APPLIERS: dict[str, Callable[[SalesFeed, str, Any], str]] = {
    SalesChannel.SHOPIFY: _shopify,
    SalesChannel.WOOCOMMERCE: _woocommerce,
    SalesChannel.CUSTOM: _custom,
}


def _apply(delivery: WebhookDelivery) -> None:
    """Apply the stored body and note the order it was about; raises OrderError."""
    feed = delivery.feed
    ordered = APPLIERS[feed.channel](feed, delivery.topic, _json(delivery.body))
    delivery.order_id = ordered
    delivery.conversion = (
        Conversion.objects.filter(
            workspace_id=feed.workspace_id, channel=feed.channel, order_id=ordered
        ).first()
        if ordered
        else None
    )
    delivery.outcome, delivery.reason = DeliveryOutcome.APPLIED, ""
    delivery.save()


def _apply_in_slot(delivery: WebhookDelivery) -> bool | OrderError:
    """Take the event's applied slot and apply the delivery, all or nothing. False when
    another delivery of the event already holds the slot; the OrderError when the body is
    not an order (then nothing of it stays)."""
    with transaction.atomic():
        delivery.outcome = DeliveryOutcome.APPLIED
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            transaction.set_rollback(True)
            return False
        try:
            _apply(delivery)
        except OrderError as exc:
            transaction.set_rollback(True)
            return exc
    return True


# Enough to tell a wrong secret (every request) from a one-off; older refusals of a feed
# are dropped, so someone who knows a feed's address cannot fill the table.
REFUSALS_KEPT = 50


@transaction.atomic
def delivery_reject(
    *, feed: SalesFeed, event_id: str, topic: str, outcome: str, reason: str
) -> WebhookDelivery:
    """Note a delivery that was not applied and why, without its body; a feed keeps its
    newest REFUSALS_KEPT of them."""
    delivery = WebhookDelivery.objects.create(
        feed=feed,
        event_id=_storable(event_id, 120),
        topic=_storable(topic, 60),
        outcome=outcome,
        reason=_storable(reason, 200),
    )
    older = WebhookDelivery.objects.filter(feed=feed).exclude(outcome=DeliveryOutcome.APPLIED)
    dropped = list(
        older.order_by("-received_at", "-pk").values_list("pk", flat=True)[REFUSALS_KEPT:]
    )
    if dropped:
        WebhookDelivery.objects.filter(pk__in=dropped).delete()
    return delivery


def delivery_receive(
    *, feed: SalesFeed, event_id: str, topic: str, body: bytes
) -> WebhookDelivery | None:
    """Store a signed delivery and apply it once. None when the event was applied before;
    a delivery whose outcome is UNREADABLE (with the reason) when the body is no order."""
    delivery = WebhookDelivery(
        feed=feed,
        event_id=_storable(event_id, 120),
        topic=_storable(topic, 60),
        body=_storable(body.decode("utf-8", errors="replace")),
    )
    applied = _apply_in_slot(delivery)
    if applied is False:
        return None
    if isinstance(applied, OrderError):
        delivery.pk, delivery._state.adding = None, True  # its row was rolled back
        delivery.outcome, delivery.reason = DeliveryOutcome.UNREADABLE, _storable(str(applied), 200)
        delivery.order_id, delivery.conversion = "", None
        delivery.save()
        return delivery
    conversions.feed_touch(feed)
    return delivery


def delivery_replay(*, delivery: WebhookDelivery) -> bool:
    """Apply a signed delivery's stored body again; True when it was applied. A refused one
    (no trusted body), an applied refund, or an event another delivery already applied is
    left as it is; an unreadable one keeps the new reason."""
    if delivery.outcome == DeliveryOutcome.REFUSED or not delivery.body:
        return False
    if delivery.outcome == DeliveryOutcome.APPLIED and delivery.topic in NOT_REPEATABLE:
        return False
    applied = _apply_in_slot(delivery)
    if applied is True:
        return True
    delivery.refresh_from_db()
    if isinstance(applied, OrderError):
        delivery.reason = _storable(str(applied), 200)
        delivery.save(update_fields=["reason"])
    return False
