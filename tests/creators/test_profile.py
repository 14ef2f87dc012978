from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from creators.models import Creator, SocialAccount
from kolhub.models import Membership, Role
from tests.factories import (
    AccountSnapshotFactory,
    AudienceProfileFactory,
    CreatorFactory,
    SocialAccountFactory,
    UserFactory,
)


def profile_url(workspace, creator):
    return reverse("creator_detail", args=[workspace.slug, creator.pk])


def test_it_shows_accounts_history_and_audience(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace, display_name="Mei")
    account = SocialAccountFactory(creator=creator, handle="mei.daily", followers=12_000)
    for weeks in range(4):
        AccountSnapshotFactory(
            account=account,
            followers=12_000 - weeks * 500,
            captured_on=timezone.localdate() - timedelta(weeks=weeks),
        )
    AudienceProfileFactory(account=account)
    response = alice_client.get(profile_url(workspace, creator))
    assert response.status_code == 200
    assert "@mei.daily" in response.text
    followers_chart = response.context["accounts"][0][1]
    assert f'alt="{followers_chart.title}"' in response.text  # followers over time
    assert followers_chart.title.startswith("Followers from")
    assert '<img src="data:image/svg+xml,' in response.text
    assert "25-34" in response.text  # audience bars, in their alt text


def test_it_shows_contacts_to_managers_and_owners_only(alice_client, bob_client, workspace):
    creator = CreatorFactory(workspace=workspace, email="mei@example.com", phone="0912345678")
    assert "mei@example.com" in alice_client.get(profile_url(workspace, creator)).text
    member_view = bob_client.get(profile_url(workspace, creator)).text
    assert "mei@example.com" not in member_view and "0912345678" not in member_view
    assert "visible to managers and owners" in member_view


def test_it_creates_a_creator(alice_client, workspace):
    response = alice_client.post(
        reverse("creator_create", args=[workspace.slug]),
        {"display_name": "New One", "relationship_status": "new", "rate_currency": "twd"},
    )
    creator = Creator.objects.for_workspace(workspace).get()
    assert response.url == profile_url(workspace, creator)
    assert creator.rate_currency == "TWD" and "new one" in creator.search_text


@pytest.mark.parametrize("category", ["9" * 30, "²", "9" * 5000], ids=["30 digits", "²", "5000"])
def test_it_refuses_a_category_id_that_cannot_be_one(alice_client, workspace, category):
    response = alice_client.post(
        reverse("creator_create", args=[workspace.slug]),
        {"display_name": "X", "relationship_status": "new", "categories": [category]},
    )
    assert response.status_code == 422
    assert not Creator.objects.exists()


def test_it_requires_a_reason_not_to_work_with_someone(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = alice_client.post(
        reverse("creator_edit", args=[workspace.slug, creator.pk]),
        {"display_name": "X", "relationship_status": "do_not_work", "rate_currency": "TWD"},
    )
    assert response.status_code == 422
    assert "Say why" in response.text


def test_it_adds_an_account_from_a_pasted_url(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = alice_client.post(
        reverse("account_add", args=[workspace.slug, creator.pk]),
        {"url": "https://www.youtube.com/@MeiDaily", "followers": "1.2萬"},
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get(creator=creator)
    assert (account.platform, account.handle, account.followers) == ("youtube", "meidaily", 12_000)
    creator.refresh_from_db()
    assert creator.total_followers == 12_000 and creator.top_tier == "micro"


def test_it_points_to_the_creator_who_already_has_the_account(alice_client, workspace):
    owner = CreatorFactory(workspace=workspace, display_name="First Owner")
    SocialAccountFactory(creator=owner, platform="instagram", handle="taken")
    other = CreatorFactory(workspace=workspace)
    response = alice_client.post(
        reverse("account_add", args=[workspace.slug, other.pk]),
        {"url": "instagram.com/Taken"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.text.strip().startswith('<form id="account-form"')
    assert "First Owner" in response.text
    assert profile_url(workspace, owner) in response.text


def test_it_explains_a_url_that_is_not_a_profile(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = alice_client.post(
        reverse("account_add", args=[workspace.slug, creator.pk]),
        {"url": "https://www.instagram.com/p/Cabc123/"},
    )
    assert response.status_code == 422
    assert "is a post or page" in response.text
    assert not SocialAccount.objects.exists()


def test_it_refuses_get_on_account_add(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = alice_client.get(reverse("account_add", args=[workspace.slug, creator.pk]))
    assert response.status_code == 405


def test_it_hides_profiles_from_client_viewers(workspace, brand, client_for):
    viewer = UserFactory()
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    creator = CreatorFactory(workspace=workspace)
    assert client_for(viewer).get(profile_url(workspace, creator)).status_code == 404


def test_it_renders_a_profile_in_a_bounded_number_of_queries(
    alice_client, workspace, django_assert_max_num_queries
):
    creator = CreatorFactory(workspace=workspace)
    for _ in range(5):
        account = SocialAccountFactory(creator=creator)
        AccountSnapshotFactory(account=account)
    with django_assert_max_num_queries(14):
        alice_client.get(profile_url(workspace, creator))


def test_it_saves_tags_and_the_rate_card(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace, display_name="Mei")
    url = reverse("creator_edit", args=[workspace.slug, creator.pk])
    data = {
        "display_name": "Mei",
        "relationship_status": "active",
        "rate_currency": "TWD",
        "tags_text": "敏感肌, #母嬰, 敏感肌",
        "rate_ig_post": "8000",
        "rate_yt_video": "30000",
    }
    assert alice_client.post(url, data).status_code == 302
    creator.refresh_from_db()
    assert sorted(creator.tags.values_list("name", flat=True)) == ["敏感肌", "母嬰"]
    assert dict(creator.rates.values_list("format", "price")) == {
        "ig_post": 8000,
        "yt_video": 30000,
    }
    assert creator.min_price == 8000 and "敏感肌" in creator.search_text
    data.update(rate_ig_post="", tags_text="")
    alice_client.post(url, data)
    creator.refresh_from_db()
    assert list(creator.rates.values_list("format", flat=True)) == ["yt_video"]
    assert not creator.tags.exists() and creator.min_price == 30000


def test_it_shows_the_rate_card_currency(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace, rate_currency="USD")
    page = alice_client.get(reverse("creator_edit", args=[workspace.slug, creator.pk]))
    assert 'name="rate_currency" value="USD"' in page.text


def test_it_refuses_a_negative_rate(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = alice_client.post(
        reverse("creator_edit", args=[workspace.slug, creator.pk]),
        {
            "display_name": "X",
            "relationship_status": "new",
            "rate_currency": "TWD",
            "rate_ig_post": "-5",
        },
    )
    assert response.status_code == 422
    assert not creator.rates.exists()


def test_it_points_to_a_creator_of_the_same_name_before_adding_another(alice_client, workspace):
    existing = CreatorFactory(workspace=workspace, display_name="Mei")
    data = {"display_name": "mei", "relationship_status": "new", "rate_currency": "TWD"}
    response = alice_client.post(reverse("creator_create", args=[workspace.slug]), data)
    assert response.status_code == 422
    assert profile_url(workspace, existing) in response.text
    assert Creator.objects.count() == 1
    data["different_person"] = "1"
    assert (
        alice_client.post(reverse("creator_create", args=[workspace.slug]), data).status_code == 302
    )
    assert Creator.objects.count() == 2


def test_it_creates_a_creator_with_a_first_account_from_a_url(alice_client, workspace):
    data = {
        "display_name": "Chef",
        "relationship_status": "new",
        "rate_currency": "TWD",
        "profile_url": "https://www.instagram.com/Chef.Lin/",
        "profile_followers": "4.5萬",
    }
    assert (
        alice_client.post(reverse("creator_create", args=[workspace.slug]), data).status_code == 302
    )
    creator = Creator.objects.get()
    assert creator.accounts.get().handle == "chef.lin" and creator.total_followers == 45_000


def test_it_links_the_owner_of_a_pasted_account_on_create(alice_client, workspace):
    owner = CreatorFactory(workspace=workspace, display_name="Owner")
    SocialAccountFactory(creator=owner, platform="tiktok", handle="taken")
    data = {
        "display_name": "New",
        "relationship_status": "new",
        "rate_currency": "TWD",
        "profile_url": "https://www.tiktok.com/@Taken",
    }
    response = alice_client.post(reverse("creator_create", args=[workspace.slug]), data)
    assert response.status_code == 422
    assert profile_url(workspace, owner) in response.text
    assert Creator.objects.count() == 1


def test_it_assigns_an_owner_from_the_team_only(alice, alice_client, workspace, charlie):
    creator = CreatorFactory(workspace=workspace)
    url = reverse("creator_edit", args=[workspace.slug, creator.pk])
    data = {"display_name": "X", "relationship_status": "new", "rate_currency": "TWD"}
    assert alice_client.post(url, {**data, "owner": charlie.pk}).status_code == 422
    assert alice_client.post(url, {**data, "owner": alice.pk}).status_code == 302
    creator.refresh_from_db()
    assert creator.owner == alice
