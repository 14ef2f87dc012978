from __future__ import annotations

from django.urls import reverse

from creators.models import AccountSnapshot, Creator, RateCardItem
from tests.factories import (
    AccountSnapshotFactory,
    CategoryFactory,
    CollaborationFactory,
    CreatorFactory,
    RateCardItemFactory,
    SocialAccountFactory,
)


def test_it_finds_duplicates_by_name_handle_or_contact(alice_client, workspace):
    mei = CreatorFactory(workspace=workspace, display_name="Mei", email="mei@example.com")
    SocialAccountFactory(creator=mei, platform="instagram", handle="mei.daily")
    same_name = CreatorFactory(workspace=workspace, display_name="mei")
    same_handle = CreatorFactory(workspace=workspace, display_name="小美")
    SocialAccountFactory(creator=same_handle, platform="youtube", handle="mei.daily")
    same_email = CreatorFactory(workspace=workspace, display_name="M.", email="MEI@example.com")
    CreatorFactory(workspace=workspace, display_name="Someone else")
    response = alice_client.get(reverse("creator_merge", args=[workspace.slug, mei.pk]))
    found = {c.pk for c in response.context["candidates"]}
    assert found == {same_name.pk, same_handle.pk, same_email.pk}


def test_it_merges_accounts_history_rates_and_labels(alice_client, workspace):
    target = CreatorFactory(workspace=workspace, display_name="Mei", phone="")
    RateCardItemFactory(creator=target, format="ig_post", price=8000)
    source = CreatorFactory(workspace=workspace, display_name="小美", phone="0912", notes="old")
    account = SocialAccountFactory(creator=source, followers=40_000)
    AccountSnapshotFactory(account=account)
    RateCardItemFactory(creator=source, format="ig_post", price=1)
    RateCardItemFactory(creator=source, format="yt_video", price=30000)
    source.categories.add(CategoryFactory(workspace=workspace, name="Beauty"))
    response = alice_client.post(
        reverse("creator_merge", args=[workspace.slug, target.pk]), {"source": source.pk}
    )
    assert response.status_code == 302
    assert not Creator.objects.filter(pk=source.pk).exists()
    target.refresh_from_db()
    assert target.accounts.get() == account and target.total_followers == 40_000
    assert AccountSnapshot.objects.filter(account__creator=target).count() == 1
    assert dict(RateCardItem.objects.filter(creator=target).values_list("format", "price")) == {
        "ig_post": 8000,
        "yt_video": 30000,
    }
    assert list(target.categories.values_list("name", flat=True)) == ["Beauty"]
    assert target.phone == "0912" and "old" in target.notes


def test_it_refuses_to_merge_away_a_creator_on_a_campaign_roster(alice_client, workspace, brand):
    target = CreatorFactory(workspace=workspace, display_name="Mei")
    source = CreatorFactory(workspace=workspace, display_name="小美")
    account = SocialAccountFactory(creator=source)
    CollaborationFactory(campaign__brand=brand, creator=source)
    response = alice_client.post(
        reverse("creator_merge", args=[workspace.slug, target.pk]), {"source": source.pk}
    )
    assert response.status_code == 409
    assert "“小美” is on a campaign roster" in response.text
    assert Creator.objects.filter(pk=source.pk).exists()
    account.refresh_from_db()
    assert account.creator == source  # nothing of the merge was kept
    # The other way round keeps the roster's creator, and works.
    response = alice_client.post(
        reverse("creator_merge", args=[workspace.slug, source.pk]), {"source": target.pk}
    )
    assert response.status_code == 302
    assert not Creator.objects.filter(pk=target.pk).exists()


def test_it_refuses_a_creator_of_another_workspace(alice_client, workspace, charlie_workspace):
    target = CreatorFactory(workspace=workspace)
    foreign = CreatorFactory(workspace=charlie_workspace)
    response = alice_client.post(
        reverse("creator_merge", args=[workspace.slug, target.pk]), {"source": foreign.pk}
    )
    assert response.status_code == 404
    assert Creator.objects.filter(pk=foreign.pk).exists()


def test_it_refuses_merging_a_creator_into_itself_or_nonsense(alice_client, workspace):
    target = CreatorFactory(workspace=workspace)
    url = reverse("creator_merge", args=[workspace.slug, target.pk])
    assert alice_client.post(url, {"source": target.pk}).status_code == 404
    assert alice_client.post(url, {"source": "abc"}).status_code == 404
    assert Creator.objects.filter(pk=target.pk).exists()


def test_it_leaves_merging_to_managers(bob_client, workspace):
    target = CreatorFactory(workspace=workspace)
    assert (
        bob_client.get(reverse("creator_merge", args=[workspace.slug, target.pk])).status_code
        == 404
    )
