"""Snapshots, deliverables and drafts, tracked links, conversions, and merging creators."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from creators.models import Creator, SocialAccount
from tests.api.conftest import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    DraftFactory,
    PostFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)
from tracking.models import Conversion, MetricSnapshot

JSON = "application/json"


def test_it_gives_a_posts_counters_over_time_oldest_first(api, workspace, brand):
    post = PostFactory(collaboration=CollaborationFactory(campaign=CampaignFactory(brand=brand)))
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    for hour, views in ((2, 300), (0, 100), (1, 200)):
        at = start + timedelta(hours=hour)
        MetricSnapshot.objects.create(
            workspace=workspace, post=post, captured_at=at, bucket=at, source="api", views=views
        )
    rows = api.get(url(workspace, f"posts/{post.pk}/snapshots")).json()["results"]
    assert [r["views"] for r in rows] == [100, 200, 300]


def test_it_lists_deliverables_with_their_drafts(api, workspace, brand):
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    deliverable = DeliverableFactory(collaboration=collaboration)
    DraftFactory(deliverable=deliverable, version=1)
    DraftFactory(deliverable=deliverable, version=2)
    rows = api.get(url(workspace, f"collaborations/{collaboration.pk}/deliverables")).json()
    assert [d["version"] for d in rows["results"][0]["drafts"]] == [2, 1]


def test_it_lists_tracked_links_with_their_short_address(api, workspace, brand):
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    link = TrackedLinkFactory(collaboration=collaboration)
    rows = api.get(url(workspace, f"collaborations/{collaboration.pk}/links")).json()["results"]
    assert rows[0]["id"] == link.pk and rows[0]["short_url"].endswith(f"/r/{link.code}")
    assert rows[0]["human_clicks"] == 0


def test_it_lists_conversions_by_campaign(api, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    collaboration = CollaborationFactory(campaign=campaign)
    common = {"workspace": workspace, "channel": "shopify", "currency": "TWD"}
    ours = Conversion.objects.create(
        **common,
        order_id="1001",
        amount=Decimal("990"),
        occurred_at=timezone.now(),
        collaboration=collaboration,
    )
    Conversion.objects.create(
        **common, order_id="1002", amount=Decimal("10"), occurred_at=timezone.now()
    )
    everything = api.get(url(workspace, "conversions")).json()["results"]
    assert len(everything) == 2
    mine = api.get(url(workspace, "conversions") + f"?campaign={campaign.pk}").json()["results"]
    assert [(c["id"], c["amount"]) for c in mine] == [(ours.pk, "990.00")]
    assert api.get(url(workspace, "conversions") + "?campaign=x").status_code == 400


def test_it_merges_a_creator_into_another(api, workspace):
    target = CreatorFactory(workspace=workspace, display_name="Lin")
    source = CreatorFactory(workspace=workspace, display_name="Lin (dup)", city="Daan")
    SocialAccountFactory(creator=source, platform="youtube", handle="lin")
    response = api.post(
        url(workspace, f"creators/{target.pk}/merge"), {"source": source.pk}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert not Creator.objects.filter(pk=source.pk).exists()
    assert SocialAccount.objects.get(handle="lin").creator_id == target.pk
    assert response.json()["city"] == "Daan"


def test_it_refuses_to_merge_a_creator_on_a_roster_with_the_reason(api, workspace, brand):
    target = CreatorFactory(workspace=workspace, display_name="Lin")
    source = CreatorFactory(workspace=workspace, display_name="Lin B")
    CollaborationFactory(campaign=CampaignFactory(brand=brand), creator=source)
    response = api.post(
        url(workspace, f"creators/{target.pk}/merge"), {"source": source.pk}, content_type=JSON
    )
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:kolhub:problem:merge-refused"
    assert "is on a campaign roster" in body["detail"]
    assert Creator.objects.filter(pk=source.pk).exists()


def test_it_refuses_to_merge_a_creator_into_itself_or_a_stranger(api, workspace, charlie_workspace):
    target = CreatorFactory(workspace=workspace)
    stranger = CreatorFactory(workspace=charlie_workspace)
    merge = url(workspace, f"creators/{target.pk}/merge")
    for source in (target.pk, stranger.pk):
        response = api.post(merge, {"source": source}, content_type=JSON)
        assert response.status_code == 400 and "source" in response.json()["errors"]
    assert Creator.objects.filter(pk=stranger.pk).exists()


def test_it_adds_an_account_to_a_creator(api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = api.post(
        url(workspace, f"creators/{creator.pk}/accounts"),
        {"url": "https://www.instagram.com/lin.daily/", "followers": 1200},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert (response.json()["handle"], response.json()["followers"]) == ("lin.daily", 1200)
    creator.refresh_from_db()
    assert creator.total_followers == 1200


def test_it_refuses_an_account_already_on_the_roster_naming_its_creator(api, workspace):
    owner = CreatorFactory(workspace=workspace, display_name="Lin")
    SocialAccountFactory(creator=owner, platform="youtube", handle="lintea")
    other = CreatorFactory(workspace=workspace)
    response = api.post(
        url(workspace, f"creators/{other.pk}/accounts"),
        {"platform": "youtube", "handle": "lintea"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "Lin" in response.json()["errors"]["__all__"][0]


def test_it_asks_for_a_url_or_a_platform_and_handle(api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = api.post(url(workspace, f"creators/{creator.pk}/accounts"), {}, content_type=JSON)
    assert response.status_code == 400 and response.json()["errors"]["__all__"]
