"""Across campaigns: the portfolio of brands, what worked best, a brand over time."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CategoryFactory,
    CollaborationFactory,
    DeliverableFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)
from tracking.results.figures import workspace_results_compute


def campaign_with(brand, creators, *, fee, likes, name, days_ago, tier="micro"):
    campaign = CampaignFactory(
        brand=brand,
        name=name,
        starts_on=timezone.localdate() - timedelta(days=days_ago),
        ends_on=timezone.localdate() - timedelta(days=days_ago - 10),
        observation_ends_on=timezone.localdate() + timedelta(days=30),
    )
    for creator in creators:
        collab = CollaborationFactory(
            campaign=campaign, creator=creator, stage="published", fee=fee, tier=tier
        )
        PostFactory(collaboration=collab, platform="instagram", likes=likes, views=likes * 20)
        DeliverableFactory(collaboration=collab, format="ig_reel")
    return campaign


def test_the_portfolio_adds_up_each_brands_campaigns(alice_client, workspace, brand):
    other = BrandFactory(workspace=workspace, name="Second brand")
    people = [CollaborationFactory.build().creator for _ in range(2)]
    for person in people:
        person.workspace = workspace
        person.save()
    campaign_with(brand, people, fee=1000, likes=100, name="Spring", days_ago=40)
    campaign_with(brand, people, fee=1000, likes=300, name="Summer", days_ago=20)
    campaign_with(other, people[:1], fee=500, likes=50, name="Other", days_ago=10)
    workspace_results_compute(workspace.pk)
    page = alice_client.get(url("portfolio", workspace))
    assert page.status_code == 200
    # brand: 4 collaborations × 1,000 = 4,000 for 800 likes → CPE 5.00
    assert "4,000" in page.text and "5.00" in page.text and "Second brand" in page.text


def test_what_worked_best_ranks_tiers_and_flags_small_samples(alice_client, workspace, brand):
    category = CategoryFactory(workspace=workspace, name="Beauty")
    micro = [CollaborationFactory.build().creator for _ in range(5)]
    for person in micro:
        person.workspace = workspace
        person.save()
        person.categories.add(category)
    campaign_with(brand, micro, fee=1000, likes=500, name="Micro push", days_ago=30)  # CPE 2
    macro = CollaborationFactory.build().creator
    macro.workspace = workspace
    macro.save()
    campaign_with(
        brand, [macro], fee=50_000, likes=1000, name="Big face", days_ago=20, tier="macro"
    )  # CPE 50
    workspace_results_compute(workspace.pk)
    page = alice_client.get(url("learning", workspace) + "?metric=cpe")
    assert page.status_code == 200
    text = page.text
    tiers = text[text.index("By tier") : text.index("By category")]
    assert tiers.index("Micro") < tiers.index("Macro")
    assert "2.00" in tiers and "50.00" in tiers
    assert tiers.count("small sample") == 1  # macro: one collaboration
    assert "Beauty" in text and "Instagram reel" in text


def test_a_brand_page_shows_its_campaigns_over_time_and_repeat_creators(
    alice_client, workspace, brand
):
    regular = CollaborationFactory.build().creator
    regular.workspace = workspace
    regular.save()
    campaign_with(brand, [regular], fee=1000, likes=100, name="First round", days_ago=60)
    campaign_with(brand, [regular], fee=1000, likes=400, name="Second round", days_ago=20)
    workspace_results_compute(workspace.pk)
    fragment = alice_client.get(url("brand_results", workspace, brand.pk))
    assert fragment.status_code == 200
    assert fragment.text.index("First round") < fragment.text.index("Second round")
    assert "Repeat creators" in fragment.text and "CPE improving" in fragment.text


def test_a_client_viewer_sees_only_their_brands(client, workspace, brand):
    hidden = BrandFactory(workspace=workspace, name="Not yours")
    campaign_with(hidden, [], fee=1, likes=1, name="Hidden campaign", days_ago=5)
    workspace_results_compute(workspace.pk)
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(brand)
    client.force_login(viewer)
    assert "Not yours" not in client.get(url("portfolio", workspace)).text
    assert client.get(url("brand_results", workspace, hidden.pk)).status_code == 404
    assert client.get(url("learning", workspace) + f"?brand={hidden.pk}").status_code == 404


def test_nothing_yet_says_so(alice_client, workspace, brand):
    assert "No campaign has figures yet." in alice_client.get(url("portfolio", workspace)).text
    fragment = alice_client.get(url("brand_results", workspace, brand.pk))
    assert "No campaign of this brand has figures yet." in fragment.text
