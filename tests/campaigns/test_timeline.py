"""A campaign's timeline: its deliverables on the campaign's calendar, a page of rows at a time,
the month lines drawn once behind them all."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from campaigns.models import DeliverableStatus
from campaigns.selectors.deadlines import TIMELINE_PAGE_SIZE
from kolhub.models import Membership, Role
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    DeliverableFactory,
    UserFactory,
)

ROW = 'class="gantt__row'  # the head row and one per deliverable
ROW_LINK = re.compile(r'role="row">\s*<span class="gantt__label" role="cell"><a href=')


@pytest.fixture
def campaign(brand):
    return CampaignFactory(
        brand=brand, name="Winter tea", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)
    )


def deliverables(campaign, count: int, *, first: int = 0) -> None:
    """`count` deliverables, one per creator, named so that they sort in creation order."""
    for n in range(first, first + count):
        collaboration = CollaborationFactory(
            campaign=campaign, creator=CreatorFactory(display_name=f"Creator {n:03d}")
        )
        DeliverableFactory(
            collaboration=collaboration,
            draft_due=date(2026, 2, 1) + timedelta(days=n % 40),
            publish_due=date(2026, 2, 10) + timedelta(days=n % 40),
        )


def rows_in(html: str) -> int:
    return len(ROW_LINK.findall(html))


def test_it_shows_a_page_of_deliverables_and_pages_to_the_rest(alice_client, workspace, campaign):
    deliverables(campaign, TIMELINE_PAGE_SIZE + 7)
    first = alice_client.get(url("campaign_timeline", workspace, campaign.pk))
    assert first.status_code == 200
    assert rows_in(first.text) == TIMELINE_PAGE_SIZE
    assert "Creator 000" in first.text and "Creator 050" not in first.text
    assert 'href="?page=2"' in first.text and 'hx-get="?page=2"' in first.text
    second = alice_client.get(url("campaign_timeline", workspace, campaign.pk) + "?page=2")
    assert rows_in(second.text) == 7
    assert "Creator 056" in second.text and "Creator 000" not in second.text


@pytest.mark.parametrize("page", ["0", "-3", "two", "999", ""])
def test_a_bad_page_number_shows_a_page_not_an_error(alice_client, workspace, campaign, page):
    deliverables(campaign, TIMELINE_PAGE_SIZE + 1)
    response = alice_client.get(url("campaign_timeline", workspace, campaign.pk) + f"?page={page}")
    assert response.status_code == 200
    assert rows_in(response.text) in (TIMELINE_PAGE_SIZE, 1)


def test_every_page_draws_the_whole_campaigns_calendar_once(alice_client, workspace, campaign):
    deliverables(campaign, TIMELINE_PAGE_SIZE + 1)
    late = CollaborationFactory(campaign=campaign, creator=CreatorFactory(display_name="Zed"))
    DeliverableFactory(  # on page 2 only
        collaboration=late, draft_due=date(2026, 9, 20), publish_due=date(2026, 9, 30)
    )
    pages = [
        alice_client.get(url("campaign_timeline", workspace, campaign.pk) + query).text
        for query in ("", "?page=2")
    ]
    months = ["2026-02", "2026-05", "2026-09"]  # the first of each month from the start
    for html in pages:
        assert "From 2026-01-05 to 2026-09-30" in html
        assert all(f">{month}</text>" in html for month in months)
        # One line per month for the whole chart, not one per month in every row.
        assert html.count('class="gantt__grid"') == html.count('class="gantt__month"') == 8
        assert html.count('class="gantt__end"') == 1


def test_the_htmx_branch_returns_only_the_rows(alice_client, workspace, campaign):
    deliverables(campaign, TIMELINE_PAGE_SIZE + 2)
    response = alice_client.get(
        url("campaign_timeline", workspace, campaign.pk) + "?page=2",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and response.text.lstrip().startswith('<div id="results"')
    assert rows_in(response.text) == 2


def test_cancelled_deliverables_are_left_out(alice_client, workspace, campaign):
    deliverables(campaign, 2)
    DeliverableFactory(
        collaboration__campaign=campaign,
        collaboration__creator=CreatorFactory(display_name="Gone"),
        status=DeliverableStatus.CANCELLED,
    )
    html = alice_client.get(url("campaign_timeline", workspace, campaign.pk)).text
    assert rows_in(html) == 2 and "Gone" not in html


def test_it_reads_in_the_same_queries_for_3_or_120_deliverables(
    alice_client, workspace, campaign, django_assert_max_num_queries
):
    deliverables(campaign, 3)
    with django_assert_max_num_queries(12) as few:
        assert alice_client.get(url("campaign_timeline", workspace, campaign.pk)).status_code == 200
    deliverables(campaign, 117, first=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert alice_client.get(url("campaign_timeline", workspace, campaign.pk)).status_code == 200


def test_a_client_viewer_sees_the_timeline_of_their_brands_only(workspace, campaign, client_for):
    other = CampaignFactory(brand=BrandFactory(workspace=workspace), name="Hidden launch")
    deliverables(campaign, 2)
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(campaign.brand)
    client = client_for(viewer)
    assert client.get(url("campaign_timeline", workspace, campaign.pk)).status_code == 200
    assert client.get(url("campaign_timeline", workspace, other.pk)).status_code == 404
    assert (
        client.get(
            url("campaign_timeline", workspace, other.pk) + "?page=2",
            headers={"HX-Request": "true"},
        ).status_code
        == 404
    )


def test_an_outsider_gets_404(charlie_client, workspace, campaign):
    assert charlie_client.get(url("campaign_timeline", workspace, campaign.pk)).status_code == 404
