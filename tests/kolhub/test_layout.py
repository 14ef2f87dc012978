"""The layout every workspace page shares: its menus cost few queries and stay exact."""

from __future__ import annotations

from django.urls import reverse

from kolhub import services
from kolhub.models import Membership, Role
from tests.factories import BrandFactory, NotificationFactory, UserFactory


def _notifications(workspace) -> str:
    # A page that names brands only in the layout's switcher.
    return reverse("notification_list", args=[workspace.slug])


def _switcher(client, workspace) -> str:
    """The brand switcher of a page (toasts may name a brand too)."""
    page = client.get(_notifications(workspace)).text
    start = page.index('data-testid="brand-switcher"')
    return page[start : page.index("</details>", start)]


def test_it_renders_a_plain_page_in_four_queries(
    alice_client, workspace, django_assert_max_num_queries
):
    BrandFactory.create_batch(12, workspace=workspace)
    alice_client.get(_notifications(workspace))  # the switcher's brands are cached from here
    # The session, the user, the memberships with the bell's count, the notifications.
    with django_assert_max_num_queries(4):
        page = alice_client.get(_notifications(workspace))
    assert page.text.count('data-testid="brand-switcher"') == 1


def test_it_counts_unread_notifications_in_the_bell(alice_client, workspace, alice, bob):
    NotificationFactory.create_batch(2, workspace=workspace, user=alice)
    NotificationFactory(workspace=workspace, user=bob)
    page = alice_client.get(reverse("workspace_home", args=[workspace.slug]))
    assert 'class="count">2<' in page.text
    NotificationFactory(workspace=workspace, user=alice)
    assert 'class="count">3<' in alice_client.get(_notifications(workspace)).text
    # An htmx request is counted apart (the workspace was resolved without the count).
    hx = alice_client.get(_notifications(workspace), headers={"HX-Request": "true"})
    assert 'class="count">3<' in hx.text
    alice_client.post(_notifications(workspace))
    assert 'class="count"' not in alice_client.get(_notifications(workspace)).text


def test_it_shows_brand_changes_in_the_switcher_at_once(alice_client, workspace, brand):
    assert "Mountain Tea" in _switcher(alice_client, workspace)
    alice_client.post(reverse("brand_create", args=[workspace.slug]), {"name": "River Soap"})
    assert "River Soap" in _switcher(alice_client, workspace)
    alice_client.post(
        reverse("brand_edit", args=[workspace.slug, brand.pk]), {"name": "Mountain Coffee"}
    )
    page = _switcher(alice_client, workspace)
    assert "Mountain Coffee" in page and "Mountain Tea" not in page
    alice_client.post(reverse("brand_archive", args=[workspace.slug, brand.pk]), {"archived": "1"})
    assert "Mountain Coffee" not in _switcher(alice_client, workspace)


def test_it_shows_a_client_viewer_only_their_brands_as_they_change(
    alice, workspace, brand, client_for
):
    other = BrandFactory(workspace=workspace, name="River Soap")
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(brand)
    viewer_client = client_for(viewer)
    page = _switcher(viewer_client, workspace)
    assert "Mountain Tea" in page and "River Soap" not in page
    assert "River Soap" in _switcher(client_for(alice), workspace)
    owner = Membership.objects.get(workspace=workspace, user=alice)
    services.membership_update(actor=owner, membership=membership, role=Role.CLIENT, brands=[other])
    page = _switcher(viewer_client, workspace)
    assert "River Soap" in page and "Mountain Tea" not in page
