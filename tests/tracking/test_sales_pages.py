"""The sales tracking page (feeds, orders) and the promo codes on the collaboration page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    BriefVersionFactory,
    CollaborationFactory,
    MembershipFactory,
    SocialAccountFactory,
    UserFactory,
)
from tracking.models import PromoCode, SalesFeed
from tracking.sales.conversions import conversion_record, promo_code_add
from tracking.sales.orders import Order


@pytest.fixture
def collaboration(brand):
    collaboration = CollaborationFactory(campaign__brand=brand)
    SocialAccountFactory(creator=collaboration.creator, platform="instagram", handle="mei.daily")
    return collaboration


def test_the_sales_page_lists_feeds_and_orders(alice_client, workspace, collaboration):
    promo_code_add(collaboration=collaboration, code="MEI15")
    conversion_record(
        workspace_id=workspace.pk,
        channel="pixel",
        order=Order("A-1", Decimal("1280"), "TWD", datetime(2026, 11, 20, tzinfo=UTC), ("mei15",)),
    )
    page = alice_client.get(url("sales", workspace))
    assert page.status_code == 200
    assert "A-1" in page.text and collaboration.creator.display_name in page.text
    assert "1 of 1 orders attributed to creators" in page.text


def test_a_woocommerce_feed_shows_its_secret_once(alice_client, workspace):
    response = alice_client.post(
        url("sales_feed_create", workspace),
        {"channel": "woocommerce", "label": "Lumi shop", "attribution_days": 14},
    )
    feed = SalesFeed.objects.get()
    assert response.status_code == 200
    assert feed.secret and feed.secret in response.text
    assert f"/hooks/woocommerce/{feed.token}/" in response.text
    assert feed.secret not in alice_client.get(url("sales", workspace)).text


def test_a_shopify_feed_needs_its_signing_secret(alice_client, workspace):
    response = alice_client.post(
        url("sales_feed_create", workspace),
        {"channel": "shopify", "label": "Mist", "attribution_days": 30},
    )
    assert response.status_code == 422 and "paste its signing secret" in response.text
    assert not SalesFeed.objects.exists()


def test_a_pixel_feed_shows_the_snippets(alice_client, workspace):
    alice_client.post(
        url("sales_feed_create", workspace),
        {"channel": "pixel", "label": "Thank-you page", "attribution_days": 30},
    )
    page = alice_client.get(url("sales", workspace))
    assert f"/px/{SalesFeed.objects.get().token}.js" in page.text
    assert "kolhub.conversion(" in page.text


def test_members_below_manager_do_not_configure_feeds(workspace, client):
    member = UserFactory()
    MembershipFactory(workspace=workspace, user=member, role=Role.MEMBER)
    client.force_login(member)
    assert client.get(url("sales", workspace)).status_code == 404


def test_the_promo_code_form_suggests_from_the_brief_pattern(
    alice_client, workspace, collaboration
):
    BriefVersionFactory(campaign=collaboration.campaign, promo_code="MIST15")
    panel = alice_client.get(url("collaboration_links", workspace, collaboration.pk))
    assert 'value="MEIDAILY15"' in panel.text


def test_a_promo_code_is_added_once_per_workspace(alice_client, workspace, collaboration):
    response = alice_client.post(
        url("promo_code_create", workspace, collaboration.pk), {"code": "mei15"}
    )
    assert response.status_code == 200 and "mei15" in response.text
    other = CollaborationFactory(campaign__brand=collaboration.campaign.brand)
    taken = alice_client.post(url("promo_code_create", workspace, other.pk), {"code": "MEI15"})
    assert taken.status_code == 422
    assert "MEI15 is already another collaboration" in taken.text
    bad = alice_client.post(url("promo_code_create", workspace, other.pk), {"code": "a b"})
    assert bad.status_code == 422
    assert PromoCode.objects.count() == 1


def orders(workspace, count: int, *, first: int = 0) -> None:
    for n in range(first, first + count):
        conversion_record(
            workspace_id=workspace.pk,
            channel="pixel",
            order=Order(
                f"B-{n:03d}",
                Decimal(100 + n),
                "TWD",
                datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=n),
                (),
            ),
        )


def test_the_sales_page_lists_the_latest_50_orders_newest_first_and_totals_them_all(
    alice_client, workspace
):
    orders(workspace, 60)
    html = alice_client.get(url("sales", workspace)).text
    assert "B-059" in html and "B-010" in html and "B-009" not in html
    assert html.index("B-059") < html.index("B-058")
    assert "of 60 orders" in html  # the totals count every order


def test_the_sales_page_reads_in_the_same_queries_for_3_or_60_orders(
    alice_client, workspace, django_assert_max_num_queries
):
    orders(workspace, 3)
    with django_assert_max_num_queries(12) as few:
        assert alice_client.get(url("sales", workspace)).status_code == 200
    orders(workspace, 57, first=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert alice_client.get(url("sales", workspace)).status_code == 200
