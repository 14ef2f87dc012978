from __future__ import annotations

import pytest
from django.urls import reverse

from kolhub.models import Brand, Membership, Role
from tests.factories import BrandFactory, MembershipFactory, UserFactory


@pytest.fixture
def manager(workspace):
    user = UserFactory(email="manager@example.com")
    MembershipFactory(workspace=workspace, user=user, role=Role.MANAGER)
    return user


def url(name, workspace, *args):
    return reverse(name, args=[workspace.slug, *args])


@pytest.mark.parametrize(
    "name", ["settings_general", "settings_members", "settings_brands", "brand_create"]
)
def test_it_hides_settings_from_plain_members(bob_client, workspace, name):
    assert bob_client.get(url(name, workspace)).status_code == 404


def test_it_saves_general_settings(alice_client, workspace):
    response = alice_client.post(
        url("settings_general", workspace),
        {"name": "Renamed", "timezone": "Asia/Tokyo", "currency": "jpy", "language": "en"},
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert (workspace.name, workspace.timezone, workspace.currency) == (
        "Renamed",
        "Asia/Tokyo",
        "JPY",
    )


def test_it_keeps_general_settings_on_bad_input(alice_client, workspace):
    response = alice_client.post(
        url("settings_general", workspace),
        {"name": "", "timezone": "Asia/Taipei", "currency": "TWD", "language": "en"},
    )
    assert response.status_code == 422
    assert "This field is required." in response.text
    workspace.refresh_from_db()
    assert workspace.name == "Alice Agency"


def test_it_creates_a_brand(alice_client, workspace):
    response = alice_client.post(
        url("brand_create", workspace),
        {"name": "Lumi Skin", "industry": "Skincare", "website": "lumi.example", "description": ""},
    )
    assert response.status_code == 302
    brand = Brand.objects.for_workspace(workspace).get()
    assert brand.website == "https://lumi.example"


def test_it_refuses_a_duplicate_brand_name(alice_client, workspace, brand):
    response = alice_client.post(url("brand_create", workspace), {"name": "mountain tea"})
    assert response.status_code == 422
    assert "already has a brand with that name" in response.text
    assert Brand.objects.for_workspace(workspace).count() == 1


def test_it_allows_the_same_brand_name_in_another_workspace(
    alice_client, workspace, charlie_workspace
):
    BrandFactory(workspace=charlie_workspace, name="Mountain Tea")
    response = alice_client.post(url("brand_create", workspace), {"name": "Mountain Tea"})
    assert response.status_code == 302


def test_it_edits_a_brand(alice_client, workspace, brand):
    response = alice_client.post(
        url("brand_edit", workspace, brand.pk), {"name": "Mountain Tea 2", "industry": "Tea"}
    )
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.name == "Mountain Tea 2"


def test_it_archives_and_restores_a_brand(alice_client, workspace, brand):
    for _ in range(2):  # a double submit archives once, it does not toggle back
        alice_client.post(url("brand_archive", workspace, brand.pk), {"archived": "1"})
    brand.refresh_from_db()
    assert brand.is_archived
    alice_client.post(url("brand_archive", workspace, brand.pk), {"archived": "0"})
    brand.refresh_from_db()
    assert not brand.is_archived


def test_it_keeps_an_archived_brand_granted_to_a_client_viewer(alice_client, workspace, bob):
    archived = BrandFactory(workspace=workspace, is_archived=True)
    membership = Membership.objects.get(user=bob)
    membership.role = Role.CLIENT
    membership.save()
    membership.brands.add(archived)
    alice_client.post(
        url("membership_update", workspace, membership.pk),
        {"role": "client", "brands": [archived.pk]},
    )
    assert list(membership.brands.all()) == [archived]


@pytest.mark.parametrize("name", ["settings_general", "brand_create"])
def test_it_shows_required_errors_for_an_empty_post(alice_client, workspace, name):
    response = alice_client.post(url(name, workspace), {})
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_it_refuses_a_workspace_name_with_line_breaks(alice_client, workspace):
    response = alice_client.post(
        url("settings_general", workspace),
        {"name": "Two\nLines", "timezone": "Asia/Taipei", "currency": "TWD", "language": "en"},
    )
    assert response.status_code == 422
    assert "line breaks" in response.text


def test_it_refuses_get_on_archive(alice_client, workspace, brand):
    assert alice_client.get(url("brand_archive", workspace, brand.pk)).status_code == 405


def test_it_lists_members_and_invitations(alice_client, workspace, bob):
    response = alice_client.get(url("settings_members", workspace))
    assert "bob@example.com" in response.text
    assert "Invite someone" in response.text


def test_it_renders_members_in_a_bounded_number_of_queries(
    alice_client, workspace, django_assert_max_num_queries
):
    for _ in range(10):
        MembershipFactory(workspace=workspace)
    with django_assert_max_num_queries(10):
        alice_client.get(url("settings_members", workspace))


def test_it_shows_the_role_form_as_a_page_and_as_a_fragment(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    edit = url("membership_update", workspace, membership.pk)
    page = alice_client.get(edit)
    assert page.status_code == 200 and "<html" in page.text
    fragment = alice_client.get(edit, headers={"HX-Request": "true"})
    assert fragment.text.strip().startswith('<li class="member member--editing"')
    assert 'name="role"' in fragment.text and "<html" not in fragment.text


def test_it_changes_a_role(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    response = alice_client.post(
        url("membership_update", workspace, membership.pk), {"role": "manager"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_it_returns_the_member_row_to_htmx(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    response = alice_client.post(
        url("membership_update", workspace, membership.pk),
        {"role": "manager"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<li class="member" id="member-{membership.pk}">')
    assert "<html" not in response.text
    assert "Saved." in response.text


def test_it_requires_brands_for_a_client_viewer(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    response = alice_client.post(
        url("membership_update", workspace, membership.pk),
        {"role": "client"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Choose at least one brand" in response.text
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER


def test_it_limits_a_client_viewer_to_chosen_brands(alice_client, workspace, bob, brand):
    membership = Membership.objects.get(user=bob)
    alice_client.post(
        url("membership_update", workspace, membership.pk),
        {"role": "client", "brands": [brand.pk]},
    )
    membership.refresh_from_db()
    assert membership.role == Role.CLIENT
    assert list(membership.brands.all()) == [brand]


def test_it_refuses_a_brand_of_another_workspace(alice_client, workspace, bob, charlie_workspace):
    foreign = BrandFactory(workspace=charlie_workspace)
    membership = Membership.objects.get(user=bob)
    response = alice_client.post(
        url("membership_update", workspace, membership.pk),
        {"role": "client", "brands": [foreign.pk]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert not membership.brands.exists()


def test_it_keeps_the_last_owner(alice, alice_client, workspace):
    membership = Membership.objects.get(user=alice)
    response = alice_client.post(
        url("membership_update", workspace, membership.pk),
        {"role": "member"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "at least one owner" in response.text
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_it_forbids_a_manager_to_appoint_an_owner(client_for, workspace, manager, bob):
    membership = Membership.objects.get(user=bob)
    response = client_for(manager).post(
        url("membership_update", workspace, membership.pk),
        {"role": "owner"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Only an owner" in response.text


def test_it_forbids_a_manager_to_remove_an_owner(client_for, workspace, manager, alice):
    membership = Membership.objects.get(user=alice)
    client_for(manager).post(url("membership_remove", workspace, membership.pk))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_removes_a_member(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    response = alice_client.post(url("membership_remove", workspace, membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("brand", ["9" * 30, "²", "9" * 5000], ids=["30 digits", "²", "5000"])
@pytest.mark.parametrize("name", ["membership_update", "invitation_create"])
def test_it_refuses_a_brand_id_that_cannot_be_one(alice_client, workspace, bob, name, brand):
    args = [Membership.objects.get(user=bob).pk] if name == "membership_update" else []
    response = alice_client.post(
        url(name, workspace, *args), {"role": "client", "brands": [brand], "email": "x@example.com"}
    )
    assert response.status_code == 422
    assert not Membership.objects.get(user=bob).brands.exists()
