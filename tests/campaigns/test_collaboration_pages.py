"""A collaboration's page: terms and costs, deliverables, seeding, the portal link, the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CollaborationEvent, Deliverable, PortalLink, Shipment, Stage
from tests.campaigns import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    ShipmentFactory,
    SocialAccountFactory,
)


@pytest.fixture
def collaboration(brand):
    return CollaborationFactory(
        campaign=CampaignFactory(brand=brand), creator__display_name="Mei", stage="negotiating"
    )


def test_it_shows_the_collaboration_with_its_next_moves(alice_client, workspace, collaboration):
    response = alice_client.get(url("collaboration_detail", workspace, collaboration.pk))
    assert response.status_code == 200
    assert "Mei" in response.text
    assert '<option value="contracted">Contracted</option>' in response.text


def test_it_saves_terms_and_logs_what_changed(alice_client, workspace, collaboration, alice):
    response = alice_client.post(
        url("collaboration_edit", workspace, collaboration.pk),
        {
            "currency": "twd",
            "fee": "15000",
            "product_cost": "1200",
            "shipping_cost": "150",
            "other_cost": "0",
            "payment_status": "deposit",
            "deposit_paid_on": "2026-11-20",
            "rights_organic": "on",
            "rights_territory": "Taiwan",
            "rights_starts_on": "2026-12-01",
            "rights_ends_on": "2027-05-31",
            "min_live_days": "60",
        },
    )
    assert response.status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.total_cost == 16350
    assert collaboration.rights_organic and not collaboration.rights_paid_ads
    event = CollaborationEvent.objects.get(collaboration=collaboration, kind="edited")
    assert "fee" in event.data["fields"] and event.actor == alice
    page = alice_client.get(url("collaboration_detail", workspace, collaboration.pk))
    assert "edited the terms: currency, fee, product cost, shipping" in page.text


def test_it_refuses_negative_costs_and_backwards_rights(alice_client, workspace, collaboration):
    response = alice_client.post(
        url("collaboration_edit", workspace, collaboration.pk),
        {
            "currency": "TWD",
            "fee": "-1",
            "product_cost": "0",
            "shipping_cost": "0",
            "other_cost": "0",
            "payment_status": "paid",
            "rights_starts_on": "2027-01-01",
            "rights_ends_on": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "A cost cannot be negative." in response.text
    assert "Usage rights cannot end before they start." in response.text
    assert "When was it paid?" in response.text
    collaboration.refresh_from_db()
    assert collaboration.fee is None


def test_it_adds_a_deliverable_and_then_allows_contracting(alice_client, workspace, collaboration):
    starts = collaboration.campaign.starts_on
    response = alice_client.post(
        url("deliverable_create", workspace, collaboration.pk),
        {
            "format": "ig_reel",
            "platform": "instagram",
            "draft_due": (starts + timedelta(days=3)).isoformat(),
            "publish_due": (starts + timedelta(days=7)).isoformat(),
            "requirements": "Vertical, 30 s",
        },
    )
    assert response.status_code == 302
    collaboration.fee = 0
    collaboration.save()
    moved = alice_client.post(
        url("collaboration_move", workspace, collaboration.pk), {"stage": "contracted"}
    )
    assert moved.status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.stage == Stage.CONTRACTED


def test_it_refuses_due_dates_before_the_campaign_or_out_of_order(
    alice_client, workspace, collaboration
):
    starts = collaboration.campaign.starts_on
    response = alice_client.post(
        url("deliverable_create", workspace, collaboration.pk),
        {
            "format": "ig_post",
            "platform": "instagram",
            "draft_due": (starts - timedelta(days=1)).isoformat(),
            "publish_due": (starts - timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "This is before the campaign starts" in response.text
    backwards = alice_client.post(
        url("deliverable_create", workspace, collaboration.pk),
        {
            "format": "ig_post",
            "platform": "instagram",
            "draft_due": (starts + timedelta(days=9)).isoformat(),
            "publish_due": (starts + timedelta(days=2)).isoformat(),
        },
    )
    assert backwards.status_code == 422
    assert "Publishing cannot be due before the draft." in backwards.text
    assert not Deliverable.objects.exists()


def test_it_edits_a_deliverable(alice_client, workspace, collaboration):
    deliverable = DeliverableFactory(collaboration=collaboration)
    response = alice_client.post(
        url("deliverable_edit", workspace, deliverable.pk),
        {"format": "yt_video", "platform": "youtube"},
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.format == "yt_video"


def test_it_records_a_shipment_and_moves_a_contracted_collaboration(
    alice_client, workspace, collaboration
):
    collaboration.stage = Stage.CONTRACTED
    collaboration.save()
    response = alice_client.post(
        url("shipment_create", workspace, collaboration.pk),
        {
            "items": "Gift box",
            "quantity": "2",
            "value": "2400",
            "recipient_address": "台北市",
            "carrier": "黑貓",
            "tracking_number": "123",
            "shipped_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.stage == Stage.PRODUCT_SHIPPED
    assert Shipment.objects.get().quantity == 2


def test_it_refuses_a_delivery_before_shipping(alice_client, workspace, collaboration):
    response = alice_client.post(
        url("shipment_create", workspace, collaboration.pk),
        {"items": "Box", "quantity": "1", "value": "0", "received_on": "2026-01-01"},
    )
    assert response.status_code == 422
    assert "Enter the shipping date first." in response.text


def test_it_shows_addresses_to_managers_only(alice_client, bob_client, workspace, collaboration):
    ShipmentFactory(collaboration=collaboration, recipient_address="信義路五段 7 號")
    assert (
        "信義路五段 7 號"
        in alice_client.get(url("collaboration_detail", workspace, collaboration.pk)).text
    )
    assert (
        "信義路五段 7 號"
        not in bob_client.get(url("collaboration_detail", workspace, collaboration.pk)).text
    )
    assert bob_client.get(url("shipment_create", workspace, collaboration.pk)).status_code == 404


def test_it_confirms_receipt_for_the_creator(alice_client, workspace, collaboration):
    collaboration.stage = Stage.PRODUCT_SHIPPED
    collaboration.save()
    shipment = ShipmentFactory(collaboration=collaboration, shipped_on=timezone.localdate())
    alice_client.post(url("collaboration_received", workspace, collaboration.pk))
    shipment.refresh_from_db()
    collaboration.refresh_from_db()
    assert shipment.received_on == timezone.localdate()
    assert collaboration.stage == Stage.PRODUCT_RECEIVED


def test_it_makes_a_new_portal_link_and_revokes_the_old(alice_client, workspace, collaboration):
    alice_client.post(
        url("portal_link_create", workspace, collaboration.pk), {"language": "en", "days": "30"}
    )
    first = PortalLink.objects.get()
    alice_client.post(
        url("portal_link_create", workspace, collaboration.pk),
        {"language": "zh-hant", "days": "90"},
    )
    first.refresh_from_db()
    second = PortalLink.objects.exclude(pk=first.pk).get()
    assert first.revoked_at is not None and second.is_usable
    page = alice_client.get(url("collaboration_detail", workspace, collaboration.pk))
    assert reverse("portal_home", args=[second.token]) in page.text
    assert second.token != first.token and len(second.token) >= 40
    alice_client.post(url("portal_link_revoke", workspace, collaboration.pk))
    second.refresh_from_db()
    assert second.revoked_at is not None


def test_it_refuses_a_portal_link_for_a_year_and_more(alice_client, workspace, collaboration):
    response = alice_client.post(
        url("portal_link_create", workspace, collaboration.pk),
        {"language": "en", "days": "999"},
        follow=True,
    )
    assert "less than or equal to 365" in response.text
    assert not PortalLink.objects.exists()


def test_it_records_the_live_post_for_the_creator(alice_client, workspace, collaboration):
    collaboration.stage = Stage.APPROVED
    collaboration.fee = 1
    collaboration.save()
    deliverable = DeliverableFactory(collaboration=collaboration, status="approved")
    page = alice_client.get(url("collaboration_detail", workspace, collaboration.pk))
    assert url("deliverable_post", workspace, deliverable.pk) in page.text
    wrong = alice_client.post(
        url("deliverable_post", workspace, deliverable.pk), {"url": "https://youtu.be/dQw4w9WgXcQ"}
    )
    assert wrong.status_code == 422
    assert "This is a YouTube link, but this deliverable is for Instagram." in wrong.text
    alice_client.post(
        url("deliverable_post", workspace, deliverable.pk),
        {"url": "https://www.instagram.com/reel/DAbc12_xyz/?igsh=1"},
    )
    deliverable.refresh_from_db()
    collaboration.refresh_from_db()
    assert deliverable.live_url == "https://www.instagram.com/reel/DAbc12_xyz/"
    assert collaboration.stage == Stage.PUBLISHED


def test_it_takes_no_live_post_before_approval(alice_client, workspace, collaboration):
    deliverable = DeliverableFactory(collaboration=collaboration)
    response = alice_client.post(
        url("deliverable_post", workspace, deliverable.pk),
        {"url": "https://www.instagram.com/reel/DAbc12_xyz/"},
    )
    assert response.status_code == 422
    assert "needs an approved draft" in response.text
    deliverable.refresh_from_db()
    assert deliverable.live_url == ""


def test_it_refuses_a_format_on_another_platform(alice_client, workspace, collaboration):
    response = alice_client.post(
        url("deliverable_create", workspace, collaboration.pk),
        {"format": "ig_reel", "platform": "youtube"},
    )
    assert response.status_code == 422
    assert "Instagram reel is posted on Instagram: choose Instagram" in response.text
    assert not Deliverable.objects.exists()


def test_a_new_deliverable_starts_with_a_format_of_the_creators_platform(
    alice_client, workspace, collaboration
):
    SocialAccountFactory(creator=collaboration.creator, platform="youtube")
    response = alice_client.get(url("deliverable_create", workspace, collaboration.pk))
    form = response.context["form"]
    assert (form.initial["platform"], form.initial["format"]) == ("youtube", "yt_video")
