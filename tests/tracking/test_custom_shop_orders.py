"""Orders from a custom shop: JSON in KOLHub's own shape, signed per Standard Webhooks (the
reference library signs them here), applied once per webhook-id and attributed like a shop's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from standardwebhooks.webhooks import Webhook

from tests.factories import CollaborationFactory
from tracking.models import AttributionRule, Conversion, DeliveryOutcome, WebhookDelivery
from tracking.sales.conversions import promo_code_add, sales_feed_create

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ORDER = {
    "order_id": "A-1001",
    "total": "1,280.00",
    "currency": "twd",
    "created_at": "2026-11-23T19:30:00+08:00",
    "promo_codes": ["mei15"],
    "utm": {"utm_source": "instagram", "utm_content": "mei.daily", "utm_junk": "x"},
}


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def feed(workspace):
    return sales_feed_create(workspace_id=workspace.pk, channel="custom", label="Own shop")


def send(feed, payload, *, message_id="msg_1", at=NOW, secret=None, body=None):
    raw = body if body is not None else json.dumps(payload).encode()
    signature = Webhook(secret or feed.secret).sign(message_id, at, raw.decode())
    return Client().post(
        f"/hooks/custom/{feed.token}/",
        raw,
        content_type="application/json",
        HTTP_WEBHOOK_ID=message_id,
        HTTP_WEBHOOK_TIMESTAMP=str(int(at.timestamp())),
        HTTP_WEBHOOK_SIGNATURE=signature,
    )


def test_the_feed_gets_a_standard_webhooks_secret(feed):
    assert feed.secret.startswith("whsec_") and len(feed.secret) > 40


def test_a_signed_order_is_recorded_and_attributed_by_its_promo_code(feed, workspace):
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    promo_code_add(collaboration=collaboration, code="MEI15")
    response = send(feed, ORDER)
    assert response.status_code == 200
    conversion = Conversion.objects.get()
    assert (conversion.order_id, conversion.amount, conversion.currency, conversion.channel) == (
        "A-1001",
        Decimal("1280.00"),
        "TWD",
        "custom",
    )
    assert conversion.collaboration == collaboration
    assert conversion.rule == AttributionRule.PROMO_CODE
    assert conversion.utm_content == "mei.daily"
    assert conversion.occurred_at == datetime(2026, 11, 23, 11, 30, tzinfo=UTC)


def test_the_same_webhook_id_is_applied_once_and_a_later_refund_reduces_revenue(feed):
    assert send(feed, ORDER).status_code == 200
    assert send(feed, ORDER).content == b"already received"
    send(feed, {**ORDER, "refunded": "280"}, message_id="msg_2")
    conversion = Conversion.objects.get()
    assert conversion.amount - conversion.refunded == Decimal("1000.00")


@pytest.mark.parametrize(
    "case",
    ["wrong secret", "stale timestamp", "tampered body"],
)
def test_an_order_that_cannot_be_trusted_is_401_and_not_applied(feed, case):
    if case == "wrong secret":
        response = send(feed, ORDER, secret="whsec_" + "A" * 43 + "=")
    elif case == "stale timestamp":
        response = send(feed, ORDER, at=NOW - timedelta(minutes=10))
    else:
        body = json.dumps(ORDER).encode()
        signature = Webhook(feed.secret).sign("msg_1", NOW, body.decode())
        response = Client().post(
            f"/hooks/custom/{feed.token}/",
            body.replace(b"1,280.00", b"9,999.00"),
            content_type="application/json",
            HTTP_WEBHOOK_ID="msg_1",
            HTTP_WEBHOOK_TIMESTAMP=str(int(NOW.timestamp())),
            HTTP_WEBHOOK_SIGNATURE=signature,
        )
    assert response.status_code == 401
    assert not Conversion.objects.exists()
    assert WebhookDelivery.objects.get().outcome == DeliveryOutcome.REFUSED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"total": "lots"}, "total is not an amount"),
        ({"order_id": ""}, "no id"),
        ({"currency": "dollars"}, "ISO 4217"),
        ({"promo_codes": "MEI15"}, "promo_codes is not a list"),
        ({"utm": ["x"]}, "utm is not an object"),
    ],
)
def test_a_signed_but_broken_order_is_400_with_the_reason(feed, change, reason):
    response = send(feed, {**ORDER, **change})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Conversion.objects.exists()


def test_an_unknown_feed_is_404_and_a_get_is_405(feed):
    assert (
        Client().post("/hooks/custom/nope/", b"{}", content_type="application/json").status_code
        == 404
    )
    assert Client().get(f"/hooks/custom/{feed.token}/").status_code == 405


def test_a_shopify_feeds_token_is_not_a_custom_feed(workspace):
    shopify = sales_feed_create(
        workspace_id=workspace.pk, channel="shopify", label="Shop", secret="s"
    )
    assert send(shopify, ORDER, secret="whsec_" + "A" * 43 + "=").status_code == 404
