"""The Results tab's fragments drawn from the stored report are kept rendered, keyed by the
result's version and everything else they show: a recompute shows at once, and nothing
rendered for one workspace, role, link or language is served to another."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import BrandFactory, CampaignFactory, MembershipFactory, UserFactory
from tests.tracking.test_results import leaderboard_handles, queries_of, roster
from tracking.results import figures, services


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, currency="TWD")
    roster(campaign, 2)
    figures.campaign_result_compute(campaign)
    return campaign


def board(client, workspace, campaign, **params):
    return client.get(url("campaign_results_fragment", workspace, campaign.pk, "creators"), params)


def handles(campaign) -> list[str]:
    return sorted(f"h{c.creator_id}" for c in campaign.collaborations.all())


def test_it_shows_the_stored_result_until_a_recompute_then_the_new_one(
    alice_client, workspace, campaign
):
    first = board(alice_client, workspace, campaign)
    assert sorted(leaderboard_handles(first.text)) == handles(campaign)
    # Served from the cache: fewer queries than the first rendering, the same page.
    again = queries_of(lambda: board(alice_client, workspace, campaign))
    assert again < queries_of(lambda: board(alice_client, workspace, campaign, sort="posts"))
    roster(campaign, 1)  # a new creator: shown once the figures are recomputed, not before
    assert board(alice_client, workspace, campaign).text == first.text
    figures.campaign_result_compute(campaign)
    assert sorted(leaderboard_handles(board(alice_client, workspace, campaign).text)) == handles(
        campaign
    )


def test_two_workspaces_never_share_a_fragment(
    alice_client, charlie_client, charlie_workspace, workspace, campaign
):
    theirs = CampaignFactory(brand=BrandFactory(workspace=charlie_workspace), currency="TWD")
    roster(theirs, 2)
    figures.campaign_result_compute(theirs)
    ours = board(alice_client, workspace, campaign).text
    other = board(charlie_client, charlie_workspace, theirs).text
    assert sorted(leaderboard_handles(ours)) == handles(campaign)
    assert sorted(leaderboard_handles(other)) == handles(theirs)
    # Cached for alice, still 404 for charlie.
    assert board(charlie_client, workspace, campaign).status_code == 404


def test_a_client_viewer_sees_only_their_brands_whatever_is_cached(
    alice_client, client_for, workspace, brand, campaign
):
    other_brand = BrandFactory(workspace=workspace)
    hidden = CampaignFactory(brand=other_brand, currency="TWD")
    roster(hidden, 1)
    figures.campaign_result_compute(hidden)
    assert board(alice_client, workspace, hidden).status_code == 200  # now cached
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    client = client_for(viewer)
    assert board(client, workspace, hidden).status_code == 404
    assert sorted(leaderboard_handles(board(client, workspace, campaign).text)) == handles(campaign)


def test_the_share_link_and_the_members_page_each_link_to_their_own_addresses(
    alice, alice_client, client, workspace, campaign
):
    members = board(alice_client, workspace, campaign).text
    share = services.shared_report_create(campaign=campaign, user=alice, days=7)
    shared = client.get(reverse("shared_results_fragment", args=[share.token, "creators"])).text
    assert f"/w/{workspace.slug}/" in members and share.token not in members
    assert share.token in shared and f"/w/{workspace.slug}/" not in shared


def test_each_language_gets_its_own_rendering(alice_client, client_for, bob, workspace, campaign):
    assert "Creators" in board(alice_client, workspace, campaign).text
    bob.language = "zh-hant"
    bob.save(update_fields=["language"])
    chinese = board(client_for(bob), workspace, campaign).text
    assert "創作者" in chinese and '<h2 class="panel__title">Creators' not in chinese
