"""The directory page is kept whole per reader and address while the rows it lists read the
same (kolhub.fragments.cached_page): any change to a listed creator, their accounts or
categories, or to what matches, shows on the next view, however it was written."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from creators import services
from creators.models import Creator, SocialAccount
from tests.factories import CategoryFactory, CreatorFactory, SocialAccountFactory


def directory(client, workspace, **params):
    return client.get(reverse("creator_list", args=[workspace.slug]), params)


def make(workspace, name, followers=20_000):
    creator = CreatorFactory(workspace=workspace, display_name=name)
    SocialAccountFactory(
        creator=creator, platform="instagram", handle=name.lower(), followers=followers
    )
    services.creators_refresh_summary(workspace=workspace, creator_ids=[creator.pk])
    return creator


def without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_the_same_list_is_served_again_with_the_same_html(alice_client, workspace):
    make(workspace, "Mei")
    first = directory(alice_client, workspace)
    again = directory(alice_client, workspace)
    assert without_tokens(again.text) == without_tokens(first.text)
    assert "Mei" in again.text and "kolhub-csrf" not in again.text


def test_a_change_written_any_way_shows_at_once(alice_client, workspace):
    mei = make(workspace, "Mei", 20_000)
    directory(alice_client, workspace)
    # A bulk write, as pulls and scoring make (no save(), no updated_at).
    SocialAccount.objects.filter(creator=mei).update(followers=1_250_000)
    services.creators_refresh_summary(workspace=workspace, creator_ids=[mei.pk])
    assert "1.2M" in directory(alice_client, workspace).text
    Creator.objects.filter(pk=mei.pk).update(authenticity_score=42)
    assert 'class="score score--poor">42<' in directory(alice_client, workspace).text
    category = CategoryFactory(workspace=workspace, name="Food")
    mei.categories.add(category)
    assert "Food" in directory(alice_client, workspace).text
    category.name = "Street food"
    category.save()
    assert "Street food" in directory(alice_client, workspace).text
    SocialAccountFactory(creator=mei, platform="youtube", handle="mei.tube", followers=900)
    assert "YouTube" in directory(alice_client, workspace).text


def test_a_new_match_or_a_removal_changes_the_list_and_its_count(alice_client, workspace):
    make(workspace, "Mei")
    assert "1 creator" in directory(alice_client, workspace).text
    ade = make(workspace, "Ade")
    page = directory(alice_client, workspace).text
    assert "2 creators" in page and "Ade" in page
    ade.delete()
    page = directory(alice_client, workspace).text
    assert "1 creator" in page and "Ade" not in page


def test_the_fragment_and_the_page_are_kept_apart(alice_client, workspace):
    make(workspace, "Mei")
    url = reverse("creator_list", args=[workspace.slug])

    def get(**headers):
        return alice_client.get(url, {"q": "mei"}, headers=headers).text

    assert "<html" in get()
    assert "<html" not in get(HX_Request="true")
    assert "<html" not in get(HX_Request="true")  # kept: still the fragment
    # A boosted link asks for the whole page, as a plain GET does.
    assert "<html" in get(HX_Request="true", HX_Boosted="true")


def test_a_kept_page_carries_a_token_that_posts(alice, workspace):
    mei = make(workspace, "Mei")
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(alice)
    directory(client, workspace)
    page = directory(client, workspace)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    added = client.post(
        reverse("shortlist_add", args=[workspace.slug]),
        {"name": "Spring", "creators": [mei.pk], "csrfmiddlewaretoken": token},
    )
    assert added.status_code == 302


def test_outsiders_get_404_whatever_is_kept(alice_client, charlie_client, workspace):
    make(workspace, "Mei")
    directory(alice_client, workspace)
    assert directory(charlie_client, workspace).status_code == 404


def test_each_reader_gets_their_own_page(alice_client, bob_client, workspace):
    make(workspace, "Mei")
    assert "alice@example.com" in directory(alice_client, workspace).text
    bobs = directory(bob_client, workspace).text
    assert "bob@example.com" in bobs and "alice@example.com" not in bobs
    # A member does not get the owner's buttons.
    assert "Tier thresholds" not in bobs


def test_a_kept_page_is_not_rendered_again(alice_client, workspace):
    make(workspace, "Mei")
    assert directory(alice_client, workspace).templates  # rendered
    assert directory(alice_client, workspace).templates == []  # kept
