"""Orders in: signed Shopify and WooCommerce webhooks, the pixel, and attribution."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils.html import escapejs

from tests.factories import ClickFactory, CollaborationFactory, TrackedLinkFactory
from tests.tracking.conftest import recorded
from tracking.models import (
    AttributionRule,
    Conversion,
    DeliveryOutcome,
    SalesFeed,
    WebhookDelivery,
)
from tracking.sales.conversions import promo_code_add, sales_feed_create

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SECRET = "shpss_recorded_test_secret"


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def collaboration(workspace):
    return CollaborationFactory(campaign__workspace=workspace)


@pytest.fixture
def shopify(workspace):
    return sales_feed_create(
        workspace_id=workspace.pk, channel="shopify", label="Mountain Mist store", secret=SECRET
    )


@pytest.fixture
def woo(workspace):
    return sales_feed_create(workspace_id=workspace.pk, channel="woocommerce", label="Lumi")


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def send_shopify(feed, payload, *, topic="orders/create", event="evt-1", secret=SECRET,
                 triggered=None, body=None):  # fmt: skip
    raw = body if body is not None else json.dumps(payload).encode()
    return Client().post(
        f"/hooks/shopify/{feed.token}/",
        raw,
        content_type="application/json",
        HTTP_X_SHOPIFY_TOPIC=topic,
        HTTP_X_SHOPIFY_HMAC_SHA256=sign(raw if body is None else body, secret),
        HTTP_X_SHOPIFY_EVENT_ID=event,
        HTTP_X_SHOPIFY_TRIGGERED_AT=(triggered or NOW).isoformat(),
    )


def test_a_shopify_order_is_attributed_by_its_promo_code_first(shopify, collaboration):
    promo_code_add(collaboration=collaboration, code="MEI15")  # the order says "mei15"
    TrackedLinkFactory(
        utm_content="mei.daily", collaboration__campaign__workspace=shopify.workspace
    )
    response = send_shopify(shopify, recorded("shopify/order.json"))
    assert response.status_code == 200
    conversion = Conversion.objects.get()
    assert (conversion.order_id, conversion.amount, conversion.currency) == (
        "450789469",
        Decimal("1280.00"),
        "TWD",
    )
    assert conversion.collaboration == collaboration
    assert conversion.rule == AttributionRule.PROMO_CODE
    assert conversion.utm_content == "mei.daily" and len(conversion.click_id) == 32
    assert conversion.occurred_at == datetime(2026, 11, 23, 11, 32, 10, tzinfo=UTC)


def test_without_a_code_the_click_within_the_window_decides(shopify, workspace):
    order = recorded("shopify/order.json")
    order["discount_codes"] = []
    link = TrackedLinkFactory(collaboration__campaign__workspace=workspace)
    ClickFactory(link=link, click_id="0f5b3c2a9d8e4f6a8b7c6d5e4f3a2b1c",
                 occurred_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))  # fmt: skip
    send_shopify(shopify, order)
    conversion = Conversion.objects.get()
    assert (conversion.collaboration, conversion.rule) == (
        link.collaboration,
        AttributionRule.CLICK_ID,
    )


def test_a_click_older_than_the_window_falls_back_to_utm_content(shopify, workspace):
    order = recorded("shopify/order.json")
    order["discount_codes"] = []
    old = TrackedLinkFactory(collaboration__campaign__workspace=workspace, utm_content="other")
    ClickFactory(link=old, click_id="0f5b3c2a9d8e4f6a8b7c6d5e4f3a2b1c",
                 occurred_at=datetime(2026, 9, 1, tzinfo=UTC))  # fmt: skip
    named = TrackedLinkFactory(
        collaboration__campaign__workspace=workspace, utm_content="MEI.DAILY"
    )
    send_shopify(shopify, order)
    conversion = Conversion.objects.get()
    assert (conversion.collaboration, conversion.rule) == (
        named.collaboration,
        AttributionRule.UTM_CONTENT,
    )


def test_an_order_whose_click_is_stored_later_is_attributed_then(
    shopify, workspace, client, settings
):
    from tracking.sales.clicks import clicks_drain_unscoped

    link = TrackedLinkFactory(collaboration__campaign__workspace=workspace)
    redirect = client.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0")
    click = redirect["Location"].rsplit("kh_click=", 1)[1]
    order = recorded("shopify/order.json")
    order["discount_codes"] = []
    order["landing_site"] = f"/?kh_click={click}"
    order["created_at"] = (NOW + timedelta(minutes=3)).isoformat()  # a quick buyer
    send_shopify(shopify, order)  # before the drain stored the click
    assert Conversion.objects.get().rule == AttributionRule.NONE
    clicks_drain_unscoped()
    conversion = Conversion.objects.get()
    assert (conversion.collaboration, conversion.rule) == (
        link.collaboration,
        AttributionRule.CLICK_ID,
    )


def test_a_replayed_event_or_order_is_applied_once(shopify):
    order = recorded("shopify/order.json")
    assert send_shopify(shopify, order).status_code == 200
    assert send_shopify(shopify, order).status_code == 200  # the same event again
    assert send_shopify(shopify, order, event="evt-2", topic="orders/updated").status_code == 200
    assert Conversion.objects.count() == 1
    assert WebhookDelivery.objects.count() == 2


def test_refunds_and_cancellations_reduce_revenue(shopify):
    send_shopify(shopify, recorded("shopify/order.json"))
    send_shopify(shopify, recorded("shopify/refund.json"), topic="refunds/create", event="evt-r")
    conversion = Conversion.objects.get()
    assert conversion.refunded == Decimal("400.00") and conversion.net_amount == Decimal("880.00")
    cancelled = {**recorded("shopify/order.json"), "cancelled_at": "2026-11-24T10:00:00+08:00"}
    send_shopify(shopify, cancelled, topic="orders/cancelled", event="evt-c")
    conversion.refresh_from_db()
    assert conversion.cancelled and conversion.net_amount == 0


def only_noted(outcome: str, reason: str) -> bool:
    """Nothing was applied: one delivery is noted, with why (and a body only once signed)."""
    delivery = WebhookDelivery.objects.get()
    signed = outcome == DeliveryOutcome.UNREADABLE
    return (
        delivery.outcome == outcome
        and reason in delivery.reason
        and bool(delivery.body) == signed
        and delivery.conversion is None
        and not Conversion.objects.exists()
    )


@pytest.mark.parametrize("case", ["bad secret", "tampered", "no signature", "stale", "future"])
def test_a_webhook_that_cannot_be_trusted_is_401_and_noted_without_its_body(shopify, case, caplog):
    body = json.dumps(recorded("shopify/order.json")).encode()
    headers = {
        "HTTP_X_SHOPIFY_TOPIC": "orders/create",
        "HTTP_X_SHOPIFY_EVENT_ID": "evt-x",
        "HTTP_X_SHOPIFY_HMAC_SHA256": sign(body, SECRET),
        "HTTP_X_SHOPIFY_TRIGGERED_AT": NOW.isoformat(),
    }
    if case == "bad secret":
        headers["HTTP_X_SHOPIFY_HMAC_SHA256"] = sign(body, "guessed")
    elif case == "tampered":
        body = body.replace(b"1280.00", b"9280.00")
    elif case == "no signature":
        del headers["HTTP_X_SHOPIFY_HMAC_SHA256"]
    elif case == "stale":
        headers["HTTP_X_SHOPIFY_TRIGGERED_AT"] = (NOW - timedelta(days=2)).isoformat()
    else:
        headers["HTTP_X_SHOPIFY_TRIGGERED_AT"] = (NOW + timedelta(hours=1)).isoformat()
    response = Client().post(
        f"/hooks/shopify/{shopify.token}/", body, content_type="application/json", **headers
    )
    assert response.status_code == 401
    assert only_noted(DeliveryOutcome.REFUSED, response.text)
    assert WebhookDelivery.objects.get().event_id == "evt-x"
    assert "Webhook refused" in caplog.text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"total_price": "a lot"}, "total_price is not an amount"),
        ({"currency": "dollars"}, "currency is not an ISO 4217 code"),
        ({"id": None}, "no id"),
        ({"created_at": "yesterday"}, "not a date"),
        ({"discount_codes": "MEI15"}, "discount_codes is not a list"),
    ],
)
def test_a_signed_but_broken_order_is_400_with_the_reason(shopify, change, reason):
    response = send_shopify(shopify, {**recorded("shopify/order.json"), **change})
    assert response.status_code == 400 and reason in response.text
    assert only_noted(DeliveryOutcome.UNREADABLE, reason)


def test_a_body_that_is_not_json_is_400(shopify):
    response = send_shopify(shopify, None, body=b"<xml>order</xml>")
    assert response.status_code == 400


def test_an_unknown_feed_is_404(db):
    assert (
        Client().post("/hooks/shopify/nope/", b"{}", content_type="application/json").status_code
        == 404
    )


def send_woo(feed, payload, *, topic="order.created", delivery="d-1"):
    raw = json.dumps(payload).encode()
    return Client().post(
        f"/hooks/woocommerce/{feed.token}/",
        raw,
        content_type="application/json",
        HTTP_X_WC_WEBHOOK_TOPIC=topic,
        HTTP_X_WC_WEBHOOK_SIGNATURE=sign(raw, feed.secret),
        HTTP_X_WC_WEBHOOK_DELIVERY_ID=delivery,
    )


def test_the_woocommerce_ping_is_answered_without_a_signature(woo):
    response = Client().post(
        f"/hooks/woocommerce/{woo.token}/",
        "webhook_id=12",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200


def test_a_woocommerce_order_with_its_coupon_and_attribution_meta(woo, workspace):
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    promo_code_add(collaboration=collaboration, code="NEO10")
    assert send_woo(woo, recorded("woocommerce/order.json")).status_code == 200
    conversion = Conversion.objects.get()
    assert (conversion.amount, conversion.currency) == (Decimal("950.00"), "TWD")
    assert (
        conversion.collaboration == collaboration and conversion.rule == AttributionRule.PROMO_CODE
    )
    assert (conversion.utm_source, conversion.utm_content) == ("youtube", "techneo")
    assert conversion.click_id == "aa11bb22cc33dd44ee55ff6600112233"
    refunded = {**recorded("woocommerce/order.json"), "status": "refunded"}
    send_woo(woo, refunded, topic="order.updated", delivery="d-2")
    conversion.refresh_from_db()
    assert conversion.net_amount == 0


def test_a_forged_woocommerce_delivery_is_401(woo):
    raw = json.dumps(recorded("woocommerce/order.json")).encode()
    response = Client().post(
        f"/hooks/woocommerce/{woo.token}/", raw, content_type="application/json",
        HTTP_X_WC_WEBHOOK_SIGNATURE=sign(raw, "not-the-secret"), HTTP_X_WC_WEBHOOK_DELIVERY_ID="d",
    )  # fmt: skip
    assert response.status_code == 401 and not Conversion.objects.exists()


@pytest.mark.parametrize(
    "created_at",
    [
        "9999-12-31T23:59:59-14:00",  # past the last datetime once in UTC
        "0001-01-01T00:00:00+14:00",  # before the first
        "1999-12-31T23:59:59Z",
        "2026-11-24T12:00:01Z",  # more than a day ahead of the clock
    ],
)
def test_an_order_at_an_implausible_time_is_400_with_the_reason_and_not_stored(shopify, created_at):
    response = send_shopify(shopify, {**recorded("shopify/order.json"), "created_at": created_at})
    assert response.status_code == 400
    assert "the order time is not" in response.text
    assert only_noted(DeliveryOutcome.UNREADABLE, "the order time is not")


@pytest.mark.parametrize(
    "total", ["999999999999.995", "١٢٣", "1e400", "Infinity", "NaN", "0x10", "12,3.4.5"]
)
def test_an_amount_that_is_not_money_is_400_and_not_stored(woo, total):
    response = send_woo(woo, {**recorded("woocommerce/order.json"), "total": total})
    assert response.status_code == 400
    assert "total is" in response.text
    assert not Conversion.objects.exists()


def test_the_largest_amount_below_the_limit_is_kept_to_the_cent(woo):
    response = send_woo(woo, {**recorded("woocommerce/order.json"), "total": "999999999999.994"})
    assert response.status_code == 200
    assert Conversion.objects.get().amount == Decimal("999999999999.99")


@pytest.mark.parametrize("header", ["HTTP_X_SHOPIFY_HMAC_SHA256", "HTTP_X_WC_WEBHOOK_SIGNATURE"])
def test_a_signature_that_is_not_ascii_is_401_not_500(shopify, woo, header):
    feed, path = (shopify, "shopify") if "SHOPIFY" in header else (woo, "woocommerce")
    response = Client().post(
        f"/hooks/{path}/{feed.token}/", b"{}", content_type="application/json",
        HTTP_X_SHOPIFY_TRIGGERED_AT=NOW.isoformat(), **{header: "é" * 44},
    )  # fmt: skip
    assert response.status_code == 401


def test_a_signed_body_nested_too_deeply_is_400_not_500(shopify):
    body = b"[" * 50_000
    response = send_shopify(shopify, None, body=body)
    assert response.status_code == 400
    assert "nested too deeply" in response.text
    assert only_noted(DeliveryOutcome.UNREADABLE, "nested too deeply")


@pytest.fixture
def pixel(workspace):
    return sales_feed_create(workspace_id=workspace.pk, channel="pixel", label="Thank-you page")


def test_the_pixel_script_carries_its_own_endpoint(pixel, settings):
    settings.SITE_URL = "https://kolhub.example.com"
    response = Client().get(f"/px/{pixel.token}.js", HTTP_HOST="127.0.0.1")
    assert response["Content-Type"].startswith("application/javascript")
    # Inside a JavaScript string, escaped (a token may hold "-", written \u002D).
    assert escapejs(f"https://kolhub.example.com/px/{pixel.token}/order") in response.text
    assert "kh_click" in response.text and "localStorage" in response.text


def test_a_pixel_order_is_recorded_and_attributed(pixel, workspace):
    link = TrackedLinkFactory(collaboration__campaign__workspace=workspace)
    ClickFactory(link=link, click_id="c" * 32, occurred_at=NOW - timedelta(hours=2))
    response = Client().get(
        f"/px/{pixel.token}/order", {"o": "A-1001", "a": "1,280", "c": "twd", "k": "c" * 32}
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    conversion = Conversion.objects.get()
    assert (conversion.amount, conversion.currency) == (Decimal("1280.00"), "TWD")
    assert (
        conversion.rule == AttributionRule.CLICK_ID
        and conversion.collaboration == link.collaboration
    )


@pytest.mark.parametrize(
    "query",
    [{}, {"o": "1"}, {"o": "1", "a": "free", "c": "TWD"}, {"o": "1", "a": "10", "c": "₩₩₩"},
     {"o": "x" * 500, "a": "1", "c": "TWD"}, {"o": "1", "a": "NaN", "c": "TWD"},
     {"o": "1", "a": "1e30", "c": "TWD"}, {"o": "1", "a": "١٢٣", "c": "TWD"},
     {"o": "1", "a": "999999999999.995", "c": "TWD"}, {"o": "1", "a": "1e400", "c": "TWD"}],
)  # fmt: skip
def test_a_garbage_pixel_hit_is_ignored_and_counted(pixel, query):
    response = Client().get(f"/px/{pixel.token}/order", query)
    assert response.status_code == 200
    assert not Conversion.objects.exists()
    assert SalesFeed.objects.get(pk=pixel.pk).rejected == 1


def test_an_unknown_pixel_still_answers_its_image(db):
    assert Client().get("/px/unknown/order", {"o": "1"}).status_code == 200


def test_an_applied_delivery_notes_its_order_and_conversion(shopify):
    send_shopify(shopify, recorded("shopify/order.json"))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.outcome, delivery.topic, delivery.order_id) == (
        DeliveryOutcome.APPLIED,
        "orders/create",
        "450789469",
    )
    assert delivery.conversion == Conversion.objects.get()


def test_an_unreadable_delivery_does_not_stop_the_corrected_resend(shopify):
    broken = {**recorded("shopify/order.json"), "currency": "dollars"}
    assert send_shopify(shopify, broken, event="evt-9").status_code == 400
    assert send_shopify(shopify, recorded("shopify/order.json"), event="evt-9").status_code == 200
    assert Conversion.objects.count() == 1
    outcomes = sorted(WebhookDelivery.objects.values_list("outcome", flat=True))
    assert outcomes == [DeliveryOutcome.APPLIED, DeliveryOutcome.UNREADABLE]


def test_nul_characters_of_a_delivery_are_not_stored_as_such(shopify):
    # PostgreSQL refuses NUL in text: the delivery is still noted, never a 500.
    response = send_shopify(shopify, None, body=b'{"id": 1\x00}', event="evt\x00-n")
    assert response.status_code == 400
    delivery = WebhookDelivery.objects.get()
    assert "\x00" not in delivery.body + delivery.event_id
    assert delivery.outcome == DeliveryOutcome.UNREADABLE
