from __future__ import annotations

from django.urls import reverse

from creators.models import Shortlist
from tests.factories import CreatorFactory, ShortlistFactory


def add(client, workspace, creators, name, **extra):
    return client.post(
        reverse("shortlist_add", args=[workspace.slug]),
        {"creators": [c.pk for c in creators], "name": name, **extra},
    )


def test_it_adds_ticked_creators_to_a_new_shortlist(alice_client, workspace):
    a, b = CreatorFactory(workspace=workspace), CreatorFactory(workspace=workspace)
    response = add(alice_client, workspace, [a, b], "Spring launch")
    shortlist = Shortlist.objects.for_workspace(workspace).get(name="Spring launch")
    assert response.url == reverse("shortlist_detail", args=[workspace.slug, shortlist.pk])
    assert set(shortlist.creators.all()) == {a, b}


def test_it_adds_to_an_existing_shortlist_by_name_without_duplicates(alice_client, workspace):
    a, b = CreatorFactory(workspace=workspace), CreatorFactory(workspace=workspace)
    add(alice_client, workspace, [a], "Pitch")
    add(alice_client, workspace, [a, b], "Pitch")
    assert Shortlist.objects.get().creators.count() == 2


def test_it_ignores_creators_of_another_workspace(alice_client, workspace, charlie_workspace):
    mine, foreign = CreatorFactory(workspace=workspace), CreatorFactory(workspace=charlie_workspace)
    add(alice_client, workspace, [mine, foreign], "Mixed")
    assert list(Shortlist.objects.get().creators.all()) == [mine]


def test_it_explains_a_bulk_action_without_selection_or_name(alice_client, workspace):
    back = f"/w/{workspace.slug}/creators/?tier=micro"
    response = alice_client.post(
        reverse("shortlist_add", args=[workspace.slug]), {"name": "X", "next": back}
    )
    assert response.url == back
    page = alice_client.get(response.url)
    assert "Tick at least one creator." in page.text
    response = add(
        alice_client,
        workspace,
        [CreatorFactory(workspace=workspace)],
        "",
        next="https://evil.example/",
    )
    assert response.url == reverse("creator_list", args=[workspace.slug])
    assert not Shortlist.objects.exists()


def test_it_lists_and_shows_shortlists(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace, display_name="Mei")
    shortlist = ShortlistFactory(workspace=workspace, name="Beauty picks")
    shortlist.creators.add(creator)
    listing = alice_client.get(reverse("shortlist_list", args=[workspace.slug]))
    assert "Beauty picks" in listing.text
    detail = alice_client.get(reverse("shortlist_detail", args=[workspace.slug, shortlist.pk]))
    assert "Mei" in detail.text


def test_it_removes_a_creator_from_a_shortlist(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    shortlist = ShortlistFactory(workspace=workspace)
    shortlist.creators.add(creator)
    alice_client.post(reverse("shortlist_remove", args=[workspace.slug, shortlist.pk, creator.pk]))
    assert not shortlist.creators.exists()
    assert creator.__class__.objects.filter(pk=creator.pk).exists()


def test_the_directory_still_renders_in_eleven_queries_with_the_bulk_bar(
    alice_client, workspace, django_assert_max_num_queries
):
    for _ in range(30):
        CreatorFactory(workspace=workspace)
    url = reverse("creator_list", args=[workspace.slug])
    alice_client.get(url)
    with django_assert_max_num_queries(11):
        page = alice_client.get(url)
    assert 'form="bulk-add"' in page.text
