from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.urls import reverse

from creators import services
from creators.models import Creator
from tests.factories import (
    CategoryFactory,
    CreatorFactory,
    RateCardItemFactory,
    SocialAccountFactory,
)


def directory(client, workspace, **params):
    return client.get(reverse("creator_list", args=[workspace.slug]), params)


def make(workspace, name, followers=20_000, platform="instagram", **fields):
    creator = CreatorFactory(workspace=workspace, display_name=name, **fields)
    SocialAccountFactory(
        creator=creator,
        platform=platform,
        handle=name.lower().replace(" ", "."),
        followers=followers,
    )
    services.creators_refresh_summary(workspace=workspace, creator_ids=[creator.pk])
    return creator


def names(response) -> list[str]:
    return [c.display_name for c in response.context["page"].object_list]


def test_it_lists_creators_biggest_first(alice_client, workspace):
    make(workspace, "Small", 5_000)
    make(workspace, "Big", 900_000)
    response = directory(alice_client, workspace)
    assert response.status_code == 200
    assert names(response) == ["Big", "Small"]


def test_it_searches_names_handles_tags_and_bios(alice_client, workspace):
    make(workspace, "Chef Lin", bio="台南小吃")
    make(workspace, "Runner Ade")
    assert names(directory(alice_client, workspace, q="chef")) == ["Chef Lin"]
    assert names(directory(alice_client, workspace, q="@runner.ade")) == ["Runner Ade"]
    assert names(directory(alice_client, workspace, q="小吃")) == ["Chef Lin"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"platform": "youtube"}, ["Tuber"]),
        ({"tier": "mega"}, ["Mega Star"]),
        ({"followers_min": "1萬", "followers_max": "50K"}, ["Tuber"]),
        ({"region": "高雄市"}, ["Mega Star"]),
        ({"classification": "kol"}, ["Tuber"]),
        ({"er_min": "3", "er_max": "5"}, ["Tuber"]),
        ({"authenticity_min": "80"}, ["Mega Star"]),
        ({"relationship_status": "paused"}, ["Nano"]),
        ({"price_max": "5000"}, ["Nano"]),
    ],
)
def test_it_filters(alice_client, workspace, params, expected):
    make(
        workspace, "Tuber", 30_000, "youtube", classification="kol", engagement_rate=Decimal("0.04")
    )
    make(workspace, "Mega Star", 2_000_000, region="高雄市", authenticity_score=90)
    nano = make(workspace, "Nano", 3_000, relationship_status="paused")
    RateCardItemFactory(creator=nano, price=4000)
    services.creators_refresh_summary(workspace=workspace, creator_ids=[nano.pk])
    assert names(directory(alice_client, workspace, **params)) == expected


def test_it_filters_by_category(alice_client, workspace):
    food = CategoryFactory(workspace=workspace, name="Food")
    make(workspace, "Chef").categories.add(food)
    make(workspace, "Coder")
    assert names(directory(alice_client, workspace, category=food.pk)) == ["Chef"]


def test_it_ignores_a_bad_filter_and_says_so(alice_client, workspace):
    make(workspace, "Anyone")
    response = directory(alice_client, workspace, followers_min="lots")
    assert response.status_code == 200
    assert names(response) == ["Anyone"]
    assert "is not a count" in response.text


def test_it_keeps_the_filters_in_the_pagination_links(alice_client, workspace):
    for n in range(30):
        make(workspace, f"Creator {n:02}", 20_000 + n)
    response = directory(alice_client, workspace, tier="micro", sort="name")
    assert names(response)[0] == "Creator 00"
    assert "tier=micro&amp;sort=name&amp;page=2" in response.text
    second = directory(alice_client, workspace, tier="micro", sort="name", page=2)
    assert names(second) == [f"Creator {n}" for n in range(25, 30)]


def test_it_answers_htmx_with_the_results_only(alice_client, workspace):
    make(workspace, "Anyone")
    response = alice_client.get(
        reverse("creator_list", args=[workspace.slug]),
        {"q": "any"},
        headers={"HX-Request": "true"},
    )
    assert response.text.strip().startswith('<section id="results"')
    assert "Anyone" in response.text and "<html" not in response.text
    assert response["Vary"].count("HX-Request") == 1


def test_it_renders_the_directory_in_a_constant_number_of_queries(
    alice_client, workspace, django_assert_max_num_queries
):
    food = CategoryFactory(workspace=workspace)
    for n in range(40):
        make(workspace, f"C{n}").categories.add(food)
    url = reverse("creator_list", args=[workspace.slug])
    alice_client.get(url)
    with django_assert_max_num_queries(11):
        alice_client.get(url, {"q": "c", "platform": "instagram", "category": food.pk})


def test_it_hides_the_roster_from_client_viewers(workspace, brand, client_for):
    from kolhub.models import Membership, Role
    from tests.factories import UserFactory

    viewer = UserFactory()
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    assert directory(client_for(viewer), workspace).status_code == 404


def test_it_never_shows_another_workspaces_creators(alice_client, workspace, charlie_workspace):
    make(charlie_workspace, "Not Yours")
    assert Creator.objects.count() == 1
    assert names(directory(alice_client, workspace)) == []


def test_it_offers_a_new_region_at_once(alice_client, workspace):
    make(workspace, "North", region="台北市")
    assert "台北市" in directory(alice_client, workspace).text
    make(workspace, "South", region="屏東縣")
    assert "屏東縣" in directory(alice_client, workspace).text


def test_it_filters_tier_by_the_biggest_account_unless_a_platform_is_chosen(
    alice_client, workspace
):
    star = make(workspace, "Star", 2_000_000, "instagram")
    SocialAccountFactory(creator=star, platform="youtube", handle="star.yt", followers=20_000)
    services.creators_refresh_summary(workspace=workspace, creator_ids=[star.pk])
    assert names(directory(alice_client, workspace, tier="micro")) == []
    assert names(directory(alice_client, workspace, tier="mega")) == ["Star"]
    assert names(directory(alice_client, workspace, tier="micro", platform="youtube")) == ["Star"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("旅游", ["Trip Mei"]),
        ("美妆", ["Glow Lin"]),
        ("旅遊", ["Trip Mei"]),
        ("臺北", ["Glow Lin"]),
    ],
)
def test_it_finds_traditional_text_with_simplified_queries(
    alice_client, workspace, query, expected
):
    make(workspace, "Trip Mei", bio="環島旅遊", region="花蓮縣")
    make(workspace, "Glow Lin", bio="美妝保養", region="台北市")
    assert names(directory(alice_client, workspace, q=query)) == expected


def test_it_finds_simplified_text_with_traditional_queries(alice_client, workspace):
    make(workspace, "Trip Mei", bio="环岛旅游")
    assert names(directory(alice_client, workspace, q="旅遊")) == ["Trip Mei"]


def test_the_migration_folds_the_search_text_of_creators_stored_before(alice_client, workspace):
    from django.apps import apps

    migration = importlib.import_module("creators.migrations.0011_fold_creator_search_text")
    creator = make(workspace, "Trip Mei")
    Creator.objects.filter(pk=creator.pk).update(search_text="trip mei 環島旅遊")
    migration.fold_search_text(apps, None)
    assert names(directory(alice_client, workspace, q="旅游")) == ["Trip Mei"]
