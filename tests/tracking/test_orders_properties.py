"""Whatever a shop or a browser sends, the readers answer an Order or an OrderError."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracking.models import SalesFeed
from tracking.sales.intake_views import signature_valid
from tracking.sales.orders import OrderError, pixel_order, shopify_order, woocommerce_order

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
ORDER_KEYS = ["id", "total_price", "total", "currency", "created_at", "date_created_gmt",
              "discount_codes", "coupon_lines", "landing_site", "meta_data", "refunds",
              "financial_status", "status", "cancelled_at"]  # fmt: skip
order_like = st.dictionaries(st.sampled_from(ORDER_KEYS), json_values, max_size=len(ORDER_KEYS))
plausible = st.fixed_dictionaries(
    {
        "id": st.integers(1, 10**12),
        "total_price": st.decimals(0, 10**6, places=2).map(str),
        "total": st.decimals(0, 10**6, places=2).map(str),
        "currency": st.sampled_from(["TWD", "USD", "jpy"]),
        "created_at": st.just("2026-11-23T19:32:10+08:00"),
        "date_created_gmt": st.just("2026-11-23T11:32:10"),
    },
    optional={"discount_codes": json_values, "coupon_lines": json_values,
              "refunds": json_values, "meta_data": json_values, "landing_site": json_values},
)  # fmt: skip


def well_formed(order) -> None:
    assert order.amount >= 0 and order.amount == order.amount.quantize(Decimal("0.01"))
    assert len(order.currency) == 3 and order.currency.isupper()
    assert order.occurred_at.tzinfo is not None
    assert 0 <= order.refunded <= order.amount
    assert order.click_id == "" or len(order.click_id) == 32


@pytest.mark.parametrize("reader", [shopify_order, woocommerce_order])
@given(payload=json_values | order_like | plausible)
@settings(max_examples=300, deadline=None)
def test_a_webhook_body_is_an_order_or_an_order_error(reader, payload):
    try:
        order = reader(payload)
    except OrderError:
        return
    well_formed(order)


@given(params=st.dictionaries(st.sampled_from(["o", "a", "c", "p", "k", "utm_content", "x"]),
                              st.text(max_size=60), max_size=7))  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_a_pixel_query_is_an_order_or_an_order_error(params):
    try:
        order = pixel_order(params, received_at=datetime(2026, 11, 23, tzinfo=UTC))
    except OrderError:
        return
    well_formed(order)


@given(params=st.dictionaries(st.sampled_from(["o", "a", "c", "p", "k", "utm_content"]),
                              st.text(max_size=40), max_size=6))  # fmt: skip
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_pixel_never_fails_a_shop_page(pixel_feed, params):
    response = Client().get(f"/px/{pixel_feed.token}/order", params)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"


@pytest.fixture
def pixel_feed(workspace):
    from tracking.sales.conversions import sales_feed_create

    return sales_feed_create(workspace_id=workspace.pk, channel="pixel", label="px")


@given(
    body=st.binary(min_size=1, max_size=200), index=st.integers(0, 199), flip=st.integers(1, 255)
)
@settings(max_examples=200, deadline=None)
def test_a_signature_holds_for_its_body_and_for_no_altered_one(body, index, flip):
    import base64
    import hashlib
    import hmac

    feed = SalesFeed(secret="whsec_property")
    signature = base64.b64encode(
        hmac.new(b"whsec_property", body, hashlib.sha256).digest()
    ).decode()
    assert signature_valid(feed, body, signature)
    altered = bytearray(body)
    altered[index % len(body)] ^= flip
    assert not signature_valid(feed, bytes(altered), signature)


@pytest.mark.parametrize("params", [{"o": "\x00"}, {"o\x00": "1"}, {"o": "A1", "p": "X\x00"}])
def test_a_nul_byte_still_gets_the_gif_and_stores_nothing(pixel_feed, params):
    from tracking.models import Conversion

    response = Client().get(f"/px/{pixel_feed.token}/order", params)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert not Conversion.objects.exists()
