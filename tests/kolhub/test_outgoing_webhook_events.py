"""Each service that does a thing emits its webhook event, with the payload a receiver needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import CampaignStatus, InstallmentStatus, Stage
from campaigns.services import collaboration_move, draft_review, draft_submit, live_post_submit
from campaigns.services.payouts import installment_move
from campaigns.services.plan import campaign_save
from kolhub.models import OutgoingWebhookEndpoint, OutgoingWebhookMessage
from kolhub.webhooks.events import EVENTS
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    DraftFactory,
    InstallmentFactory,
    PostFactory,
)
from tracking import webhooks as tracking_webhooks
from tracking.ingest.providers.base import Gone
from tracking.ingest.pulls import RECHECK_AFTER, Batch, outcomes_apply, pull_batch
from tracking.models import PostStatus, SnapshotSource
from tracking.sales.conversions import conversion_record
from tracking.sales.orders import Order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def subscribed(workspace):
    return OutgoingWebhookEndpoint.objects.create(
        workspace=workspace, url="https://hooks.example/in", event_types=list(EVENTS)
    )


@pytest.fixture
def collaboration(workspace, alice):
    return CollaborationFactory(
        campaign__workspace=workspace,
        campaign__brand__workspace=workspace,
        creator__display_name="Mei Lin",
        owner=alice,
    )


def sent(event_type: str) -> list[dict]:
    return [
        message.payload
        for message in OutgoingWebhookMessage.objects.filter(event_type=event_type).order_by("pk")
    ]


def ref(collaboration) -> dict:
    return {
        "collaboration_id": collaboration.pk,
        "campaign": {
            "id": collaboration.campaign_id,
            "name": collaboration.campaign.name,
            "slug": collaboration.campaign.slug,
        },
        "creator": {"id": collaboration.creator_id, "name": "Mei Lin"},
    }


def test_a_stage_move_emits_collaboration_stage_changed(collaboration, alice):
    collaboration_move(collaboration=collaboration, target=Stage.CONTACTED, user=alice)
    [payload] = sent("collaboration.stage_changed")
    assert payload["from_stage"] == "shortlisted" and payload["to_stage"] == "contacted"
    assert payload["by_creator"] is False
    assert {k: payload[k] for k in ("collaboration_id", "campaign", "creator")} == ref(
        collaboration
    )
    assert payload["changed_at"]


def test_a_submitted_draft_emits_draft_submitted(collaboration):
    deliverable = DeliverableFactory(collaboration=collaboration)
    draft = draft_submit(deliverable=deliverable, caption="Summer tea #ad", by_creator=True)
    [payload] = sent("draft.submitted")
    assert payload["draft_id"] == draft.pk and payload["version"] == 1
    assert payload["deliverable"] == {"id": deliverable.pk, "format": "ig_reel"}
    assert payload["by_creator"] is True
    assert payload["collaboration_id"] == collaboration.pk


def test_an_approved_draft_emits_draft_approved(collaboration, alice):
    deliverable = DeliverableFactory(collaboration=collaboration)
    draft = DraftFactory(deliverable=deliverable, status="submitted")
    draft_review(draft=draft, user=alice, decision="approve")
    [payload] = sent("draft.approved")
    assert (payload["draft_id"], payload["version"]) == (draft.pk, draft.version)
    assert payload["creator"] == {"id": collaboration.creator_id, "name": "Mei Lin"}
    assert payload["approved_at"]


def test_a_live_post_emits_post_published(collaboration):
    deliverable = DeliverableFactory(collaboration=collaboration)
    live_post_submit(
        deliverable=deliverable, url="https://www.instagram.com/reel/abc/", by_creator=True
    )
    [payload] = sent("post.published")
    assert payload["url"] == "https://www.instagram.com/reel/abc/"
    assert payload["deliverable"]["id"] == deliverable.pk
    assert payload["published_at"] and payload["by_creator"] is True


def test_a_post_found_gone_twice_emits_post_taken_down(collaboration):
    collaboration.min_live_days = 30
    collaboration.save()
    now = timezone.now()
    post = PostFactory(
        collaboration=collaboration, published_at=now - timedelta(days=5), status=PostStatus.LIVE
    )
    for at in (now, now + RECHECK_AFTER):
        post.refresh_from_db()
        outcomes_apply(
            [post], {post.pk: Gone(PostStatus.DELETED, "gone")}, source=SnapshotSource.API, now=at
        )
    [payload] = sent("post.taken_down")
    assert (payload["post_id"], payload["status"], payload["url"]) == (
        post.pk,
        "deleted",
        post.url,
    )
    assert payload["gone_at"] and payload["min_live_days"] == 30


def test_a_pull_emits_one_post_metrics_updated_with_its_posts(collaboration, workspace):
    posts = [PostFactory(collaboration=collaboration, platform="instagram") for _ in range(3)]
    pull_batch(Batch("demo", workspace.pk, None, tuple(post.pk for post in posts)))
    [payload] = sent("post.metrics_updated")
    assert sorted(row["post_id"] for row in payload["posts"]) == sorted(p.pk for p in posts)
    assert all(row["metrics"] and row["status"] == "live" for row in payload["posts"])
    assert payload["pulled_at"]


def test_a_big_pull_is_sent_as_several_bounded_messages(collaboration, workspace, monkeypatch):
    monkeypatch.setattr(tracking_webhooks, "POSTS_PER_MESSAGE", 2)
    posts = [PostFactory(collaboration=collaboration, platform="instagram") for _ in range(5)]
    pull_batch(Batch("demo", workspace.pk, None, tuple(post.pk for post in posts)))
    assert [len(p["posts"]) for p in sent("post.metrics_updated")] == [2, 2, 1]


def test_a_new_order_emits_conversion_recorded_once(workspace, collaboration):
    order = Order(
        order_id="A-1001",
        amount=Decimal("1280.00"),
        currency="TWD",
        occurred_at=datetime(2026, 11, 23, 12, tzinfo=UTC),
    )
    conversion, _created = conversion_record(
        workspace_id=workspace.pk, channel="shopify", order=order
    )
    conversion_record(workspace_id=workspace.pk, channel="shopify", order=order)  # again
    [payload] = sent("conversion.recorded")
    assert payload["conversion_id"] == conversion.pk
    assert (payload["order_id"], payload["amount"], payload["currency"]) == (
        "A-1001",
        "1280.00",
        "TWD",
    )
    assert payload["collaboration"] is None  # nothing to attribute it to
    assert payload["attribution"] == conversion.rule


def test_closing_a_campaign_emits_campaign_closed(workspace, brand, alice):
    campaign = CampaignFactory(brand=brand, status=CampaignStatus.RUNNING)
    campaign.name = "Renamed"
    campaign_save(campaign=campaign, user=alice)  # not a close
    campaign.status = CampaignStatus.CLOSED
    campaign_save(campaign=campaign, user=alice)
    [payload] = sent("campaign.closed")
    assert payload["campaign"] == {"id": campaign.pk, "name": "Renamed", "slug": campaign.slug}
    assert payload["brand"] == {"id": brand.pk, "name": "Mountain Tea"}
    assert payload["previous_status"] == "running"


def test_approving_and_paying_an_installment_emit_payout_events(collaboration, alice):
    installment = InstallmentFactory(collaboration=collaboration, amount=Decimal(50000))
    installment_move(
        installment=installment, to=InstallmentStatus.APPROVED, actor=alice, can_manage=True
    )
    [approved] = sent("payout.approved")
    assert approved["installment_id"] == installment.pk
    assert (approved["amount"], approved["currency"]) == ("50000.00", "TWD")
    assert approved["approved_at"] and approved["paid_on"] is None
    installment_move(
        installment=installment,
        to=InstallmentStatus.PAID,
        actor=alice,
        can_manage=True,
        paid_on=timezone.localdate(),
    )
    [paid] = sent("payout.paid")
    assert paid["paid_on"] == timezone.localdate().isoformat()
    assert paid["collaboration_id"] == collaboration.pk


def test_an_endpoint_hears_only_the_events_it_subscribed_to(subscribed, collaboration, alice):
    subscribed.event_types = ["draft.approved"]
    subscribed.save()
    collaboration_move(collaboration=collaboration, target=Stage.CONTACTED, user=alice)
    assert not OutgoingWebhookMessage.objects.exists()
