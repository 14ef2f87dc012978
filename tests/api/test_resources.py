"""Creators, campaigns, collaborations, posts and results through the pages' own rules."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from campaigns.models import Collaboration, CollaborationEvent, EventKind, Stage
from creators.models import Creator
from tests.api.conftest import url
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, PostFactory

JSON = "application/json"


def test_it_creates_a_creator_with_an_account_tags_and_rates(api, workspace):
    response = api.post(
        url(workspace, "creators"),
        {
            "display_name": "Lin",
            "region": "臺北",
            "tags": ["母嬰", "long-term"],
            "rates": {"ig_post": "12000"},
            "profile_url": "https://www.instagram.com/lin.daily/",
            "profile_followers": 42000,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == "台北市"  # the form's one spelling per place
    assert body["tags"] == ["long-term", "母嬰"] and body["rates"] == {"ig_post": "12000.00"}
    assert [(a["platform"], a["handle"], a["followers"]) for a in body["accounts"]] == [
        ("instagram", "lin.daily", 42000)
    ]
    assert body["total_followers"] == 42000  # the directory's columns kept current


def test_it_refuses_a_duplicate_name_with_the_forms_message(api, workspace):
    CreatorFactory(workspace=workspace, display_name="Lin")
    response = api.post(url(workspace, "creators"), {"display_name": "lin"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["errors"]["display_name"] == [
        "A creator named “lin” is already on the roster."
    ]
    again = api.post(
        url(workspace, "creators"),
        {"display_name": "lin", "different_person": True},
        content_type=JSON,
    )
    assert again.status_code == 201


def test_it_refuses_an_account_another_creator_has(api, workspace):
    body = {"display_name": "A", "profile_url": "https://www.instagram.com/same/"}
    assert api.post(url(workspace, "creators"), body, content_type=JSON).status_code == 201
    body["display_name"] = "B"
    response = api.post(url(workspace, "creators"), body, content_type=JSON)
    assert response.status_code == 400 and "profile_url" in response.json()["errors"]


def test_it_updates_only_the_fields_given(api, workspace):
    creator = CreatorFactory(workspace=workspace, display_name="Lin", city="Daan", bio="Tea")
    response = api.patch(
        url(workspace, f"creators/{creator.pk}"), {"city": "Xinyi"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    creator.refresh_from_db()
    assert (creator.display_name, creator.city, creator.bio) == ("Lin", "Xinyi", "Tea")


def test_it_asks_for_a_reason_not_to_work_with_someone(api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = api.patch(
        url(workspace, f"creators/{creator.pk}"),
        {"relationship_status": "do_not_work"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "do_not_work_reason" in response.json()["errors"]


def test_it_hides_contacts_from_a_members_session(bob_client, workspace):
    creator = CreatorFactory(workspace=workspace, email="lin@example.com")
    body = bob_client.get(url(workspace, f"creators/{creator.pk}")).json()
    assert body["email"] is None


def test_it_shows_contacts_to_a_token(api, workspace):
    creator = CreatorFactory(workspace=workspace, email="lin@example.com")
    assert api.get(url(workspace, f"creators/{creator.pk}")).json()["email"] == "lin@example.com"


def test_it_lists_and_reads_campaigns(api, workspace, brand):
    campaign = CampaignFactory(brand=brand, name="Spring tea")
    CollaborationFactory(campaign=campaign)
    listed = api.get(url(workspace, "campaigns")).json()["results"]
    assert [(c["name"], c["roster"]) for c in listed] == [("Spring tea", 1)]
    one = api.get(url(workspace, f"campaigns/{campaign.pk}")).json()
    assert one["brand"] == {"id": brand.pk, "name": brand.name} and one["roster"] == 1
    assert api.get(url(workspace, "campaigns") + f"?brand={brand.pk + 1}").json()["results"] == []


def test_it_adds_a_creator_to_a_roster_once(api, workspace, brand, alice):
    campaign = CampaignFactory(brand=brand)
    creator = CreatorFactory(workspace=workspace)
    path = url(workspace, f"campaigns/{campaign.pk}/collaborations")
    added = api.post(path, {"creator": creator.pk}, content_type=JSON)
    assert added.status_code == 201
    assert added.json()["stage"] == "shortlisted"
    assert api.post(path, {"creator": creator.pk}, content_type=JSON).status_code == 200
    assert Collaboration.objects.filter(campaign=campaign, creator=creator).count() == 1
    event = CollaborationEvent.objects.get(collaboration_id=added.json()["id"])
    assert (event.kind, event.actor) == (EventKind.ADDED, alice)


def test_it_refuses_a_creator_of_another_workspace_on_a_roster(
    api, workspace, brand, charlie_workspace
):
    campaign = CampaignFactory(brand=brand)
    stranger = CreatorFactory(workspace=charlie_workspace)
    response = api.post(
        url(workspace, f"campaigns/{campaign.pk}/collaborations"),
        {"creator": stranger.pk},
        content_type=JSON,
    )
    assert response.status_code == 400 and "creator" in response.json()["errors"]
    assert not Collaboration.objects.filter(creator=stranger).exists()


def test_it_moves_a_collaboration_with_the_boards_event(api, workspace, brand, alice):
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    response = api.post(
        url(workspace, f"collaborations/{collaboration.pk}/stage"),
        {"stage": "contacted", "note": "By e-mail"},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["stage"] == Stage.CONTACTED
    event = CollaborationEvent.objects.filter(collaboration=collaboration).latest("pk")
    assert (event.kind, event.to_stage, event.actor) == (EventKind.STAGE, "contacted", alice)


def test_it_refuses_an_unknown_stage(api, workspace, brand):
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    response = api.post(
        url(workspace, f"collaborations/{collaboration.pk}/stage"),
        {"stage": "dancing"},
        content_type=JSON,
    )
    assert response.status_code == 400 and "stage" in response.json()["errors"]


def test_it_lists_a_campaigns_collaborations_and_posts(api, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    collaboration = CollaborationFactory(campaign=campaign)
    CollaborationFactory(campaign=CampaignFactory(brand=brand))  # another campaign's
    post = PostFactory(collaboration=collaboration, views=1234)
    rows = api.get(url(workspace, f"campaigns/{campaign.pk}/collaborations")).json()["results"]
    assert [r["id"] for r in rows] == [collaboration.pk]
    one = api.get(url(workspace, f"collaborations/{collaboration.pk}")).json()
    assert one["creator"]["id"] == collaboration.creator_id
    posts = api.get(url(workspace, f"campaigns/{campaign.pk}/posts")).json()["results"]
    assert [(p["id"], p["views"]) for p in posts] == [(post.pk, 1234)]


def test_it_gives_the_same_results_as_campaign_report(api, workspace, brand):
    campaign = CampaignFactory(brand=brand, slug="spring")
    PostFactory(collaboration=CollaborationFactory(campaign=campaign, fee=1000), views=5000)
    out = StringIO()
    call_command("campaign_report", "spring", workspace=workspace.slug, stdout=out)
    response = api.get(url(workspace, f"campaigns/{campaign.pk}/results"))
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())


def test_it_keeps_creators_of_the_workspace_only(api, workspace, charlie_workspace):
    CreatorFactory(workspace=charlie_workspace)
    assert api.get(url(workspace, "creators")).json()["results"] == []
    assert Creator.objects.count() == 1
