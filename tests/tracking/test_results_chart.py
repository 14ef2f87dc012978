"""The Results tab's series chart is an image of its own, not inline in the fragment's HTML:
its address carries the figures' version, so a browser keeps it until they change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import BrandFactory, CampaignFactory, MembershipFactory, PostFactory
from tests.tracking.test_results import snapshot
from tracking.models import MetricSnapshot
from tracking.results import figures, services


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, currency="TWD")
    post = PostFactory(collaboration__campaign=campaign, collaboration__stage="published")
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    MetricSnapshot.objects.bulk_create(
        [snapshot(post, day + timedelta(days=d), views=100 * (d + 1), likes=d) for d in range(3)]
    )
    figures.campaign_result_compute(campaign)
    return campaign


def chart_addresses(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('srcset="')[1:] + html.split('src="')[1:]]


def test_the_fragment_links_its_chart_by_version_instead_of_carrying_it(
    alice_client, workspace, campaign
):
    page = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "series"))
    assert page.status_code == 200
    assert "data:image/svg" not in page.text
    wide = reverse("campaign_results_chart", args=[workspace.slug, campaign.pk, "wide"])
    result = campaign.result
    assert f"{wide}?v={result.computed_at.timestamp():.0f}" in page.text
    assert any("series-narrow.svg?v=" in address for address in chart_addresses(page.text))


@pytest.mark.parametrize("size", ["wide", "narrow"])
def test_the_chart_is_an_svg_kept_by_the_browser(alice_client, workspace, campaign, size):
    response = alice_client.get(url("campaign_results_chart", workspace, campaign.pk, size))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"<title>" in response.content
    assert "private" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]


def test_an_unknown_size_or_a_campaign_without_readings_is_404(alice_client, workspace, brand):
    empty = CampaignFactory(brand=brand)
    figures.campaign_result_compute(empty)
    assert (
        alice_client.get(url("campaign_results_chart", workspace, empty.pk, "wide")).status_code
        == 404
    )
    assert (
        alice_client.get(url("campaign_results_chart", workspace, empty.pk, "huge")).status_code
        == 404
    )


def test_a_client_viewer_of_another_brand_and_an_outsider_get_404(
    client, charlie_client, workspace, campaign
):
    viewer = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    viewer.brands.set([BrandFactory(workspace=workspace)])
    client.force_login(viewer.user)
    address = url("campaign_results_chart", workspace, campaign.pk, "wide")
    assert client.get(address).status_code == 404
    assert charlie_client.get(address).status_code == 404


def test_the_share_link_serves_its_campaigns_chart(client, alice, campaign):
    share = services.shared_report_create(campaign=campaign, user=alice, days=7)
    page = client.get(reverse("shared_results_fragment", args=[share.token, "series"]))
    chart = reverse("shared_results_chart", args=[share.token, "wide"])
    assert chart in page.text
    assert client.get(chart).status_code == 200
    services.shared_report_revoke(share=share)
    assert client.get(chart).status_code != 200
