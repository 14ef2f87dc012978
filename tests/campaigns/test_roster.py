"""The roster: board and table, adding creators, stage moves (HTMX and plain), bulk actions."""

from __future__ import annotations

import json

import pytest

from campaigns.models import Collaboration, Stage
from tests.campaigns import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    ShortlistFactory,
)


@pytest.fixture
def campaign(brand, alice):
    return CampaignFactory(brand=brand, owner=alice)


def test_it_shows_the_board_with_a_column_per_stage(alice_client, workspace, campaign):
    CollaborationFactory(campaign=campaign, creator__display_name="Mei Tea")
    response = alice_client.get(url("campaign_roster", workspace, campaign.pk))
    assert response.status_code == 200
    assert "Mei Tea" in response.text
    for label in ("Shortlisted", "Contracted", "Published", "Reported"):
        assert label in response.text
    assert 'data-allowed="contacted negotiating declined cancelled"' in response.text


def test_it_shows_the_table_with_fees_and_costs(alice_client, workspace, campaign):
    CollaborationFactory(campaign=campaign, stage="contracted", fee=12_000, product_cost=800)
    response = alice_client.get(url("campaign_roster", workspace, campaign.pk) + "?view=table")
    assert "TWD 12,000" in response.text
    assert "12,800" in response.text  # total cost


def test_it_filters_the_roster_and_returns_only_the_fragment_to_htmx(
    alice_client, workspace, campaign
):
    CollaborationFactory(campaign=campaign, creator__display_name="Alpha", stage="contacted")
    CollaborationFactory(campaign=campaign, creator__display_name="Beta")
    response = alice_client.get(
        url("campaign_roster", workspace, campaign.pk) + "?in_stage=contacted",
        headers={"HX-Request": "true"},
    )
    assert "Alpha" in response.text and "Beta" not in response.text
    assert "<html" not in response.text


def test_it_draws_board_and_table_of_300_in_a_fixed_number_of_queries(
    alice_client, workspace, campaign, django_assert_max_num_queries
):
    for index in range(300):
        collaboration = CollaborationFactory(campaign=campaign, stage=Stage.values[index % 14])
        DeliverableFactory(collaboration=collaboration)
    for view in ("board", "table"):
        with django_assert_max_num_queries(12):
            response = alice_client.get(
                url("campaign_roster", workspace, campaign.pk) + f"?view={view}"
            )
        assert response.status_code == 200


def test_it_adds_a_shortlist_and_skips_creators_already_there(
    alice_client, workspace, campaign, alice
):
    on_roster = CollaborationFactory(campaign=campaign).creator
    shortlist = ShortlistFactory(workspace=workspace)
    shortlist.creators.add(
        on_roster, CreatorFactory(workspace=workspace), CreatorFactory(workspace=workspace)
    )
    response = alice_client.post(
        url("roster_add", workspace, campaign.pk), {"shortlist": shortlist.pk}, follow=True
    )
    assert "2 creators added to the roster. 1 was already on it." in response.text
    added = Collaboration.objects.filter(campaign=campaign)
    assert added.count() == 3
    new = added.exclude(creator=on_roster)
    assert set(new.values_list("owner", flat=True)) == {alice.pk}  # the campaign's owner


def test_it_adds_ticked_creators_from_the_directory_search(alice_client, workspace, campaign):
    creator = CreatorFactory(
        workspace=workspace, display_name="Hiker Lin", top_tier="micro", search_text="hiker lin"
    )
    candidates = alice_client.get(url("roster_candidates", workspace, campaign.pk) + "?q=hiker")
    assert "Hiker Lin" in candidates.text
    alice_client.post(url("roster_add", workspace, campaign.pk), {"creators": [creator.pk]})
    collaboration = Collaboration.objects.get(campaign=campaign)
    assert (collaboration.creator, collaboration.tier, collaboration.stage) == (
        creator,
        "micro",
        "shortlisted",
    )


def test_it_ignores_creators_of_another_workspace(
    alice_client, workspace, campaign, charlie_workspace
):
    foreign = CreatorFactory(workspace=charlie_workspace)
    response = alice_client.post(
        url("roster_add", workspace, campaign.pk), {"creators": [foreign.pk]}, follow=True
    )
    assert "Pick at least one creator or a shortlist." in response.text
    assert not Collaboration.objects.exists()


def test_it_moves_a_card_and_redraws_the_board(alice_client, workspace, campaign):
    collaboration = CollaborationFactory(campaign=campaign)
    response = alice_client.post(
        url("collaboration_move", workspace, collaboration.pk),
        {"stage": "contacted", "in_stage": "", "view": "board"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="roster"' in response.text
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast == {"level": "success", "message": "Moved to “Contacted”."}
    collaboration.refresh_from_db()
    assert collaboration.stage == "contacted"


def test_it_answers_an_illegal_move_with_the_reason(alice_client, workspace, campaign):
    collaboration = CollaborationFactory(campaign=campaign, stage="negotiating")
    response = alice_client.post(
        url("collaboration_move", workspace, collaboration.pk),
        {"stage": "contracted"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast["level"] == "error" and "fee" in toast["message"]
    plain = alice_client.post(
        url("collaboration_move", workspace, collaboration.pk), {"stage": "published"}, follow=True
    )
    assert "cannot move from “Negotiating” to “Published”" in plain.text
    collaboration.refresh_from_db()
    assert collaboration.stage == "negotiating"


def test_it_answers_405_to_a_get_on_a_move(alice_client, workspace, campaign):
    collaboration = CollaborationFactory(campaign=campaign)
    assert (
        alice_client.get(url("collaboration_move", workspace, collaboration.pk)).status_code == 405
    )


def test_it_moves_in_bulk_and_lists_refusals(alice_client, workspace, campaign):
    ready = CollaborationFactory(campaign=campaign, stage="shortlisted")
    stuck = CollaborationFactory(
        campaign=campaign, stage="published", creator__display_name="Stuck"
    )
    response = alice_client.post(
        url("roster_bulk", workspace, campaign.pk),
        {"action": "move", "stage": "contacted", "collaborations": [ready.pk, stuck.pk]},
        follow=True,
    )
    assert "1 collaboration moved to “Contacted”." in response.text
    assert "Stuck: A collaboration cannot move from “Published” to “Contacted”." in response.text


def test_it_assigns_in_bulk(alice_client, workspace, campaign, bob):
    collaborations = [CollaborationFactory(campaign=campaign) for _ in range(3)]
    alice_client.post(
        url("roster_bulk", workspace, campaign.pk),
        {"action": "assign", "owner": bob.pk, "collaborations": [c.pk for c in collaborations]},
    )
    assert set(Collaboration.objects.values_list("owner", flat=True)) == {bob.pk}


def test_it_lets_only_managers_remove(alice_client, bob_client, workspace, campaign):
    collaboration = CollaborationFactory(campaign=campaign)
    data = {"action": "remove", "collaborations": [collaboration.pk]}
    response = bob_client.post(url("roster_bulk", workspace, campaign.pk), data, follow=True)
    assert "Only managers and owners can remove collaborations." in response.text
    assert Collaboration.objects.exists()
    alice_client.post(url("roster_bulk", workspace, campaign.pk), data)
    assert not Collaboration.objects.exists()


def test_it_refuses_bulk_actions_on_another_campaigns_collaborations(
    alice_client, workspace, campaign
):
    elsewhere = CollaborationFactory(campaign=CampaignFactory(brand=campaign.brand))
    response = alice_client.post(
        url("roster_bulk", workspace, campaign.pk),
        {"action": "move", "stage": "contacted", "collaborations": [elsewhere.pk]},
        follow=True,
    )
    assert "Select a valid choice" in response.text
    elsewhere.refresh_from_db()
    assert elsewhere.stage == "shortlisted"


@pytest.mark.parametrize(
    "back", ["0", "campaign_list", "https://evil.example/", "//evil.example/", "javascript:x()"]
)
def test_a_move_goes_back_only_to_a_page_of_this_site(alice_client, workspace, campaign, back):
    collaboration = CollaborationFactory(campaign=campaign)
    response = alice_client.post(
        url("collaboration_move", workspace, collaboration.pk), {"stage": "contacted", "next": back}
    )
    assert response.status_code == 302
    assert response.url == url("collaboration_detail", workspace, collaboration.pk)


def test_a_move_goes_back_to_the_page_it_was_made_on(alice_client, workspace, campaign):
    collaboration = CollaborationFactory(campaign=campaign)
    board = url("campaign_roster", workspace, campaign.pk) + "?view=table"
    response = alice_client.post(
        url("collaboration_move", workspace, collaboration.pk),
        {"stage": "contacted", "next": board},
    )
    assert response.url == board
