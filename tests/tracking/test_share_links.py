"""A client's read-only link to a campaign dashboard: unguessable, expiring, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import CampaignFactory, MembershipFactory, UserFactory
from tests.tracking.test_results import FRAGMENTS, roster
from tracking.models import SharedReport


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, name="Summer Cold Brew")
    roster(campaign, 3)
    return campaign


def share_of(campaign, **changes) -> SharedReport:
    values = {"expires_at": timezone.now() + timedelta(days=30)} | changes
    return SharedReport.objects.create(workspace=campaign.workspace, campaign=campaign, **values)


def test_a_member_creates_a_link_that_lists_on_the_results_page(alice_client, workspace, campaign):
    response = alice_client.post(
        url("campaign_share_create", workspace, campaign.pk), {"label": "Brand team", "days": "7"}
    )
    assert response.status_code == 302
    share = SharedReport.objects.get()
    assert share.label == "Brand team"
    assert timedelta(days=6) < share.expires_at - timezone.now() <= timedelta(days=7)
    assert len(share.token) >= 40
    page = alice_client.get(url("campaign_results", workspace, campaign.pk))
    assert reverse("shared_results", args=[share.token]) in page.text


def test_anyone_with_the_link_reads_the_dashboard_and_nothing_else(client, campaign):
    share = share_of(campaign)
    page = client.get(reverse("shared_results", args=[share.token]))
    assert page.status_code == 200
    assert "Summer Cold Brew" in page.text
    assert "Recompute now" not in page.text and "Share with a client" not in page.text
    assert "Edit campaign" not in page.text
    for fragment in FRAGMENTS:
        fragment_url = reverse("shared_results_fragment", args=[share.token, fragment])
        assert fragment_url in page.text
        assert client.get(fragment_url).status_code == 200, fragment
    board = client.get(reverse("shared_results_fragment", args=[share.token, "creators"]))
    assert f"/s/{share.token}/" in board.text and "/w/" not in board.text
    share.refresh_from_db()
    assert share.last_viewed_at is not None


def test_the_link_allows_no_change(client, campaign):
    share = share_of(campaign)
    assert client.post(reverse("shared_results", args=[share.token])).status_code == 405
    fragment = reverse("shared_results_fragment", args=[share.token, "creators"])
    assert client.post(fragment).status_code == 405


@pytest.mark.parametrize(
    "changes",
    [
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"revoked_at": timezone.now()},
    ],
    ids=["expired", "revoked"],
)
def test_an_expired_or_withdrawn_link_says_so_and_shows_nothing(client, campaign, changes):
    share = share_of(campaign, **changes)
    for path in (
        reverse("shared_results", args=[share.token]),
        reverse("shared_results_fragment", args=[share.token, "kpis"]),
    ):
        response = client.get(path)
        assert response.status_code == 410
        assert "Summer Cold Brew" not in response.text
        assert "no longer works" in response.text


def test_an_unknown_token_is_404(client, campaign):
    share_of(campaign)
    assert client.get(reverse("shared_results", args=["x" * 43])).status_code == 404


def test_withdrawing_a_link_closes_it_at_once(alice_client, client, workspace, campaign):
    share = share_of(campaign)
    response = alice_client.post(url("shared_report_revoke", workspace, share.pk))
    assert response.status_code == 302
    assert client.get(reverse("shared_results", args=[share.token])).status_code == 410


def test_client_viewers_neither_see_nor_make_links(client, workspace, campaign):
    share_of(campaign, label="Agency only")
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(campaign.brand)
    client.force_login(viewer)
    page = client.get(url("campaign_results", workspace, campaign.pk))
    assert page.status_code == 200 and "Agency only" not in page.text
    created = client.post(url("campaign_share_create", workspace, campaign.pk), {"days": "7"})
    assert created.status_code == 404
    assert SharedReport.objects.count() == 1


def test_a_bad_validity_is_refused_with_a_message(alice_client, workspace, campaign):
    response = alice_client.post(
        url("campaign_share_create", workspace, campaign.pk), {"days": "3650"}, follow=True
    )
    assert "Choose how long the link stays valid." in response.text
    assert not SharedReport.objects.exists()
