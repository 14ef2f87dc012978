"""My tasks across brands, the creator's collaboration history, notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Decision, DeliverableStatus, Stage
from kolhub.models import Notification
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    NotificationFactory,
    ShipmentFactory,
)


@pytest.fixture
def today():
    return timezone.localdate()


def test_it_sorts_my_tasks_by_urgency_across_brands(alice_client, workspace, alice, today):
    mine = {"owner": alice, "stage": Stage.DRAFTING, "fee": 1}
    first_brand, second_brand = BrandFactory(workspace=workspace), BrandFactory(workspace=workspace)
    soon = CollaborationFactory(
        campaign=CampaignFactory(brand=first_brand), creator__display_name="Soon", **mine
    )
    DeliverableFactory(collaboration=soon, draft_due=today + timedelta(days=1))
    late = CollaborationFactory(
        campaign=CampaignFactory(brand=second_brand), creator__display_name="Late", **mine
    )
    DeliverableFactory(collaboration=late, draft_due=today - timedelta(days=2))
    review = CollaborationFactory(
        campaign=CampaignFactory(brand=first_brand), creator__display_name="Review", **mine
    )
    services.draft_submit(deliverable=DeliverableFactory(collaboration=review), caption="x")
    far = CollaborationFactory(
        campaign=CampaignFactory(brand=first_brand), creator__display_name="Far", **mine
    )
    DeliverableFactory(collaboration=far, draft_due=today + timedelta(days=9))
    response = alice_client.get(url("my_tasks", workspace))
    text = response.text
    assert text.index("Late") < text.index("Review") < text.index("Soon")
    assert "Far" not in text
    assert "2 days late" in text


def test_it_shows_only_my_tasks_unless_asked_for_everyones(alice_client, workspace, bob, today):
    theirs = CollaborationFactory(
        campaign__brand__workspace=workspace,
        owner=bob,
        stage=Stage.DRAFTING,
        creator__display_name="Bobs",
    )
    DeliverableFactory(collaboration=theirs, draft_due=today)
    assert "Bobs" not in alice_client.get(url("my_tasks", workspace)).text
    assert "Bobs" in alice_client.get(url("my_tasks", workspace) + "?who=all").text


def test_it_lists_deliveries_to_chase_and_rights_expiring(alice_client, workspace, alice, today):
    shipped = CollaborationFactory(
        campaign__brand__workspace=workspace,
        owner=alice,
        stage=Stage.PRODUCT_SHIPPED,
        creator__display_name="Parcel",
    )
    ShipmentFactory(collaboration=shipped, shipped_on=today - timedelta(days=8))
    rights = CollaborationFactory(
        campaign__brand__workspace=workspace,
        owner=alice,
        stage=Stage.PUBLISHED,
        rights_ends_on=today + timedelta(days=5),
        creator__display_name="Rights",
    )
    assert rights.pk
    text = alice_client.get(url("my_tasks", workspace)).text
    assert "Ask whether the product arrived" in text
    assert "Usage rights expiring" in text


def test_it_keeps_my_tasks_from_client_viewers(client_for, workspace):
    from kolhub.models import Membership, Role
    from tests.factories import UserFactory

    viewer = UserFactory()
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    assert client_for(viewer).get(url("my_tasks", workspace)).status_code == 404


def test_it_builds_the_creators_reliability_scorecard(alice_client, workspace, today, alice):
    creator = CreatorFactory(workspace=workspace)
    on_time = CollaborationFactory(
        campaign__brand__workspace=workspace, creator=creator, stage=Stage.PUBLISHED, fee=5000
    )
    deliverable = DeliverableFactory(
        collaboration=on_time,
        draft_due=today,
        publish_due=today + timedelta(days=3),
        published_at=timezone.now(),
        status=DeliverableStatus.PUBLISHED,
        live_url="https://instagram.com/p/x/",
    )
    draft = services.draft_submit(deliverable=deliverable, caption="v1")
    services.draft_review(draft=draft, user=alice, decision=Decision.CHANGES, body="again")
    CollaborationFactory(campaign__brand__workspace=workspace, creator=creator, stage=Stage.GHOSTED)
    page = alice_client.get(
        url("campaign_creator_history", workspace, creator.pk), headers={"HX-Request": "true"}
    )
    history = page.context["scorecard"]
    assert (history.collaborations, history.completed, history.ghosted) == (2, 1, 1)
    assert history.drafts_on_time_rate == 100
    assert history.posts_on_time_rate == 100
    assert history.rounds_per_deliverable == 1.0
    assert "<html" not in page.text
    full = alice_client.get(url("campaign_creator_history", workspace, creator.pk))
    assert "<html" in full.text


def test_it_loads_the_history_into_the_creator_profile(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    profile = alice_client.get(reverse("creator_detail", args=[workspace.slug, creator.pk]))
    assert url("campaign_creator_history", workspace, creator.pk) in profile.text


def test_it_lists_notifications_and_marks_them_read(alice_client, workspace, alice, bob):
    NotificationFactory(workspace=workspace, user=alice, message="Draft due tomorrow", url="/x/")
    NotificationFactory(workspace=workspace, user=bob, message="Not for alice")
    page = alice_client.get(url("notification_list", workspace))
    assert "Draft due tomorrow" in page.text and "Not for alice" not in page.text
    assert 'class="count">1<' in page.text
    alice_client.post(url("notification_list", workspace))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=bob, read_at__isnull=True).exists()
