"""Deliveries of one new order arriving at once (a pixel fired twice, a webhook and its retry)
record it once and answer every one of them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import WorkspaceFactory
from tracking.models import Conversion
from tracking.sales.conversions import conversion_record
from tracking.sales.orders import Order

HITS = 8
ORDERS = 6


def record_at_once(workspace_id: int, order: Order) -> list[BaseException]:
    start = threading.Barrier(HITS)
    errors: list[BaseException] = []

    def hit() -> None:
        try:
            start.wait()
            conversion_record(workspace_id=workspace_id, channel="pixel", order=order)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(HITS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_deliveries_of_a_new_order_record_it_once():
    workspace = WorkspaceFactory()
    for number in range(ORDERS):
        order = Order(
            order_id=f"A-{number}",
            amount=Decimal("1280.00"),
            currency="TWD",
            occurred_at=datetime(2026, 11, 23, 12, tzinfo=UTC),
        )
        assert record_at_once(workspace.pk, order) == []
    assert Conversion.objects.count() == ORDERS
