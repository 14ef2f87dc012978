from __future__ import annotations

import pytest
from django.urls import reverse

from kolhub.models import Membership, Role, Workspace
from tests.factories import BrandFactory, MembershipFactory, UserFactory, WorkspaceFactory


def test_it_lists_the_workspace_brands(alice_client, workspace, brand):
    BrandFactory(workspace=workspace, name="Archived One", is_archived=True)
    response = alice_client.get(reverse("workspace_home", args=[workspace.slug]))
    assert response.status_code == 200
    assert "Mountain Tea" in response.text
    assert "Archived One" not in response.text
    assert reverse("brand_detail", args=[workspace.slug, brand.pk]) in response.text


def test_it_shows_an_empty_state_without_brands(alice_client, workspace):
    response = alice_client.get(reverse("workspace_home", args=[workspace.slug]))
    assert "No brands yet" in response.text
    assert reverse("brand_create", args=[workspace.slug]) in response.text


def test_it_rejects_post_on_the_home_page(alice_client, workspace):
    assert alice_client.post(reverse("workspace_home", args=[workspace.slug])).status_code == 405


def test_it_renders_home_in_a_bounded_number_of_queries(
    alice_client, workspace, django_assert_max_num_queries
):
    BrandFactory.create_batch(12, workspace=workspace)
    home = reverse("workspace_home", args=[workspace.slug])
    alice_client.get(home)  # the first visit also records the last workspace in the session
    with django_assert_max_num_queries(7):
        alice_client.get(home)


def test_it_shows_a_brand(alice_client, workspace, brand):
    response = alice_client.get(reverse("brand_detail", args=[workspace.slug, brand.pk]))
    assert response.status_code == 200
    assert "Mountain Tea" in response.text
    # The campaigns app fills the list in: the brand page asks for it by URL.
    assert f'hx-get="/w/{workspace.slug}/campaigns/?brand={brand.pk}"' in response.text


def test_it_renders_the_brand_page_in_a_bounded_number_of_queries(
    alice_client, workspace, brand, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        alice_client.get(reverse("brand_detail", args=[workspace.slug, brand.pk]))


def test_it_switches_between_workspaces(alice, alice_client, workspace):
    other = WorkspaceFactory(name="Second Agency")
    MembershipFactory(workspace=other, user=alice, role=Role.MEMBER)
    response = alice_client.get(reverse("workspace_home", args=[workspace.slug]))
    assert reverse("workspace_home", args=[other.slug]) in response.text
    assert "Second Agency" in response.text


def test_it_remembers_the_last_workspace(alice, alice_client, workspace):
    other = WorkspaceFactory(name="Second Agency")
    MembershipFactory(workspace=other, user=alice, role=Role.MEMBER)
    alice_client.get(reverse("workspace_home", args=[other.slug]))
    response = alice_client.get(reverse("home"))
    assert response.url == reverse("workspace_home", args=[other.slug])


def test_it_sends_a_user_without_workspace_to_create_one(client_for, db):
    response = client_for(UserFactory()).get(reverse("home"))
    assert response.url == reverse("workspace_create")


def test_it_creates_a_workspace_owned_by_its_creator(client_for, db):
    user = UserFactory()
    response = client_for(user).post(
        reverse("workspace_create"),
        {"name": "New Agency", "timezone": "Asia/Taipei", "currency": "twd", "language": "en"},
    )
    workspace = Workspace.objects.get(name="New Agency")
    assert response.url == reverse("settings_brands", args=[workspace.slug])
    assert workspace.currency == "TWD"
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.OWNER


def test_it_gives_a_second_workspace_of_the_same_name_its_own_slug(client_for, db):
    client = client_for(UserFactory())
    data = {"name": "Same", "timezone": "Asia/Taipei", "currency": "TWD", "language": "en"}
    client.post(reverse("workspace_create"), data)
    client.post(reverse("workspace_create"), data)
    first, second = sorted(Workspace.objects.values_list("slug", flat=True))
    assert first == "same"
    assert second.startswith("same-") and len(second) == len("same-") + 6


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("currency", "NT$", "three-letter currency code"),
        ("timezone", "Mars/Olympus", "Select a valid choice"),
    ],
)
def test_it_rerenders_the_workspace_form_with_errors(client_for, db, field, value, message):
    data = {"name": "Agency", "timezone": "Asia/Taipei", "currency": "TWD", "language": "en"}
    data[field] = value
    response = client_for(UserFactory()).post(reverse("workspace_create"), data)
    assert response.status_code == 422
    assert message in response.text
    assert not Workspace.objects.exists()


def test_it_switches_the_language_and_remembers_it(alice, alice_client, workspace):
    home = reverse("workspace_home", args=[workspace.slug])
    response = alice_client.post(reverse("set_language"), {"language": "zh-hant", "next": home})
    assert response.url == home
    alice.refresh_from_db()
    assert alice.language == "zh-hant"
    page = alice_client.get(home)
    assert page["Content-Language"] == "zh-hant"
    assert '<html lang="zh-hant">' in page.text


def test_it_refuses_an_offsite_next_after_switching_language(alice_client):
    response = alice_client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_it_rejects_an_unknown_language(alice_client):
    assert alice_client.post(reverse("set_language"), {"language": "xx"}).status_code == 400


def test_it_sets_the_workspace_time_zone_for_the_request(alice_client, workspace):
    workspace.timezone = "Europe/Paris"
    workspace.save()
    response = alice_client.get(reverse("workspace_home", args=[workspace.slug]))
    assert "Europe/Paris" in response.text


def test_it_does_not_leak_a_workspace_time_zone_into_the_next_request(alice_client, workspace):
    from django.utils import timezone

    workspace.timezone = "America/New_York"
    workspace.save()
    alice_client.get(reverse("workspace_home", args=[workspace.slug]))
    assert timezone.get_current_timezone_name() != "America/New_York"


def test_it_hides_the_client_viewer_count_from_client_viewers(workspace, brand, client_for):
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(brand)
    page = client_for(viewer).get(reverse("brand_detail", args=[workspace.slug, brand.pk]))
    assert "Client viewers" not in page.text
