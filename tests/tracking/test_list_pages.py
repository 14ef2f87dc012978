"""The tracking lists shown a page at a time: a campaign's posts panel and the Results tab's
creators; the creator scores panel's campaign history is bounded."""

from __future__ import annotations

import pytest

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    MembershipFactory,
    UserFactory,
)
from tests.tracking.test_results import roster
from tracking.ingest.views import POSTS_PAGE_SIZE
from tracking.results import figures
from tracking.results.creator_views import HISTORY_CAMPAIGNS
from tracking.results.dashboard_views import CREATORS_PAGE_SIZE

HTMX = {"HX-Request": "true"}


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, currency="TWD")


def rows_of(text: str) -> int:
    return text.count("<tr data-collaboration=")


# The posts panel ------------------------------------------------------------------------------


def test_it_shows_the_first_page_of_a_campaigns_posts_with_their_count(
    alice_client, workspace, campaign
):
    roster(campaign, POSTS_PAGE_SIZE + 4)
    panel = alice_client.get(url("campaign_posts", workspace, campaign.pk), headers=HTMX)
    assert panel.status_code == 200
    assert panel.text.count('class="icon-button"') == POSTS_PAGE_SIZE
    assert f'<span class="muted">{POSTS_PAGE_SIZE + 4}</span>' in panel.text
    next_page = f"{url('campaign_posts', workspace, campaign.pk)}?page=2"
    assert f'href="{next_page}"' in panel.text and f'hx-get="{next_page}"' in panel.text
    assert 'hx-target="closest .posts-panel"' in panel.text


def test_it_shows_a_later_page_of_posts_and_a_real_one_for_a_bad_number(
    alice_client, workspace, campaign
):
    roster(campaign, POSTS_PAGE_SIZE + 4)
    address = url("campaign_posts", workspace, campaign.pk)
    second = alice_client.get(address + "?page=2", headers=HTMX)
    assert second.text.count('class="icon-button"') == 4
    assert "Page 2 of 2" in second.text
    for number in ("0", "-1", "99", "two", ""):
        response = alice_client.get(address + f"?page={number}", headers=HTMX)
        assert response.status_code == 200
        assert 'class="icon-button"' in response.text


def test_it_keeps_a_client_viewer_to_their_brands_posts(client_for, workspace, brand, campaign):
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    other = CampaignFactory(brand=BrandFactory(workspace=workspace))
    roster(campaign, 2)
    roster(other, 2)
    assert client_for(viewer).get(url("campaign_posts", workspace, campaign.pk)).status_code == 200
    address = url("campaign_posts", workspace, other.pk) + "?page=2"
    assert client_for(viewer).get(address).status_code == 404


def test_it_answers_404_to_an_outsider_paging_posts(charlie_client, workspace, campaign):
    address = url("campaign_posts", workspace, campaign.pk) + "?page=2"
    assert charlie_client.get(address, headers=HTMX).status_code == 404


@pytest.mark.parametrize("size", [3, 120])
def test_it_reads_a_page_of_posts_in_the_same_queries_at_any_size(
    alice_client, workspace, campaign, size, django_assert_max_num_queries
):
    roster(campaign, size)
    with django_assert_max_num_queries(9):
        response = alice_client.get(url("campaign_posts", workspace, campaign.pk), headers=HTMX)
    assert response.status_code == 200


# The Results tab's creators -------------------------------------------------------------------


def creators_url(workspace, campaign, query: str = "") -> str:
    return url("campaign_results_fragment", workspace, campaign.pk, "creators") + query


def test_it_pages_the_results_creators_sorted_across_pages(alice_client, workspace, campaign):
    roster(campaign, CREATORS_PAGE_SIZE + 5)
    figures.campaign_result_compute(campaign)
    first = alice_client.get(creators_url(workspace, campaign, "?sort=handle&dir=asc"))
    assert rows_of(first.text) == CREATORS_PAGE_SIZE
    assert f'<span class="muted">{CREATORS_PAGE_SIZE + 5}</span>' in first.text
    page = url("campaign_results", workspace, campaign.pk)
    assert f'href="{page}?sort=handle&amp;dir=asc&amp;page=2"' in first.text
    assert f'hx-get="{creators_url(workspace, campaign)}?sort=handle&amp;dir=asc&amp;page=2"' in (
        first.text
    )
    second = alice_client.get(creators_url(workspace, campaign, "?sort=handle&dir=asc&page=2"))
    assert rows_of(second.text) == 5
    handles = sorted(row["handle"].lower() for row in campaign.result.report["creators"])
    assert handles[-1] in second.text.lower() and handles[-1] not in first.text.lower()
    assert handles[0] in first.text.lower()
    # Sorting again starts from the first page.
    assert "page=2&amp;sort=" not in second.text and "&amp;page=2&amp;sort" not in second.text


def test_it_passes_the_page_from_the_results_address_to_the_creators_fragment(
    alice_client, workspace, campaign
):
    roster(campaign, 2)
    page = alice_client.get(url("campaign_results", workspace, campaign.pk) + "?page=3")
    assert f"{creators_url(workspace, campaign)}?page=3" in page.text
    funnel = url("campaign_results_fragment", workspace, campaign.pk, "funnel")
    assert f"{funnel}?page=3" not in page.text and funnel in page.text


@pytest.mark.parametrize("number", ["0", "-2", "99", "x"])
def test_it_answers_a_bad_creators_page_with_a_real_one(alice_client, workspace, campaign, number):
    roster(campaign, 3)
    figures.campaign_result_compute(campaign)
    response = alice_client.get(creators_url(workspace, campaign, f"?page={number}"))
    assert response.status_code == 200
    assert rows_of(response.text) == 3


def test_it_keeps_the_export_whole(alice_client, workspace, campaign):
    from io import BytesIO

    from openpyxl import load_workbook

    roster(campaign, CREATORS_PAGE_SIZE + 5)
    figures.campaign_result_compute(campaign)
    export = alice_client.get(url("campaign_results_export", workspace, campaign.pk, "xlsx"))
    book = load_workbook(BytesIO(export.content), read_only=True)
    handles = {row["handle"] for row in campaign.result.report["creators"]}
    found = {
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell in handles
    }
    assert found == handles


def test_it_pages_the_creators_of_a_client_viewers_campaign_only(
    client_for, workspace, brand, campaign
):
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    other = CampaignFactory(brand=BrandFactory(workspace=workspace))
    assert client_for(viewer).get(creators_url(workspace, campaign, "?page=2")).status_code == 200
    assert client_for(viewer).get(creators_url(workspace, other, "?page=2")).status_code == 404


def test_it_answers_404_to_an_outsider_paging_creators(charlie_client, workspace, campaign):
    assert charlie_client.get(creators_url(workspace, campaign, "?page=2")).status_code == 404


# The creator scores panel ---------------------------------------------------------------------


def test_it_shows_the_latest_campaigns_in_a_creators_history_only(
    alice_client, workspace, brand, django_assert_max_num_queries
):
    from campaigns.models import Collaboration
    from creators.models import Creator

    creator = Creator.objects.create(workspace=workspace, display_name="Often hired")
    campaigns = []
    for n in range(HISTORY_CAMPAIGNS + 2):
        campaign = CampaignFactory(brand=brand, name=f"Hire {n:02}")
        Collaboration.objects.create(
            workspace=workspace,
            campaign=campaign,
            creator=creator,
            stage="published",
            currency="TWD",
            fee=1000,
        )
        figures.campaign_result_compute(campaign)
        campaigns.append(campaign)
    address = url("creator_scores", workspace, creator.pk)
    with django_assert_max_num_queries(12):
        response = alice_client.get(address, headers=HTMX)
    assert response.text.count("Hire ") == HISTORY_CAMPAIGNS
    assert "each campaign's Results tab has the rest" in response.text
