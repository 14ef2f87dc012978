"""What arrives as text, from users or from the platforms, is bounded before it costs work or
reaches a column: id parameters, counters, Retry-After."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from tests.campaigns import url
from tests.factories import CollaborationFactory, PostFactory
from tracking.ingest.providers.http import (
    LONGEST_RETRY_AFTER,
    MAX_COUNTER,
    BadValue,
    as_count,
    retry_after,
)
from tracking.sales.orders import MAX_PROMO_CODES, shopify_order

# Digits of another script that isdigit() accepts and int() refuses, more digits than int()
# converts (4,300), and past the bigint range.
NOT_IDS = ["²", "١٢٣", "9" * 5_000, "9" * 23]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_brand_parameter_that_is_no_id_shows_every_brand(alice_client, workspace, value):
    assert alice_client.get(url("learning", workspace), {"brand": value}).status_code == 200


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_refresh_scope_that_is_no_id_is_404(alice_client, workspace, brand, value):
    post = PostFactory(collaboration=CollaborationFactory(campaign__brand=brand))
    response = alice_client.post(
        url("post_refresh", workspace, post.pk), {"scope": "campaign", "scope_id": value}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("value", NOT_IDS)
def test_connecting_for_an_account_that_is_no_id_connects_for_none(
    alice_client, workspace, settings, value
):
    settings.META_APP_ID, settings.META_APP_SECRET = "1234567890", "meta-app-secret"
    response = alice_client.post(url("connect_start", workspace, "facebook"), {"account": value})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "value", ["9" * 20, "9" * 5_000, str(MAX_COUNTER + 1), MAX_COUNTER + 1, 10**300, 1e300]
)
def test_a_counter_past_what_a_column_holds_is_a_bad_value(value):
    with pytest.raises(BadValue):
        as_count(value)


def test_the_largest_counter_a_column_holds_is_read():
    assert as_count(str(MAX_COUNTER)) == MAX_COUNTER


@pytest.mark.parametrize(
    "header",
    ["9" * 30, "86401", "Fri, 31 Dec 9999 23:59:59 GMT"],
    ids=["thirty digits", "a day and a second", "the year 9999"],
)
def test_a_platform_is_waited_for_at_most_a_day(header):
    before = timezone.now()
    response = httpx.Response(429, headers={"Retry-After": header})
    when = retry_after(response, default=timedelta(minutes=1))
    assert before + LONGEST_RETRY_AFTER <= when <= timezone.now() + LONGEST_RETRY_AFTER


def test_a_retry_after_in_other_digits_is_ignored():
    before = timezone.now()
    response = httpx.Response(429, headers={"Retry-After": "²".encode("latin-1")})
    when = retry_after(response, default=timedelta(1))
    assert before + timedelta(1) <= when <= timezone.now() + timedelta(1)


def test_an_order_brings_at_most_20_promo_codes_to_look_up():
    """Attribution looks every code up in one IN (...): a signed body or a spreadsheet cell of
    50,000 codes made one query of 50,000 parameters."""
    order = shopify_order(
        {
            "id": 1001,
            "total_price": "1280.00",
            "currency": "TWD",
            "created_at": timezone.now().isoformat(),
            "discount_codes": [{"code": f"CODE{i}"} for i in range(50_000)],
        }
    )
    assert order.promo_codes == tuple(f"CODE{i}" for i in range(MAX_PROMO_CODES))
    assert MAX_PROMO_CODES == 20
