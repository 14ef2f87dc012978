"""Lists that grow with the agency show a page, or a group's page, at a time: my tasks, the
campaigns list and the roster board's columns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.models import Collaboration, Deliverable, Shipment, Stage
from campaigns.selectors.collaborations import BOARD_PAGE_SIZE
from campaigns.selectors.deadlines import TASK_PAGE_SIZE
from campaigns.views import CAMPAIGN_PAGE_SIZE
from creators.models import Creator
from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    MembershipFactory,
    UserFactory,
)

HTMX = {"HX-Request": "true"}


def late_drafts(campaign, count: int, *, owner=None) -> None:
    """`count` collaborations each with a draft two days overdue, written in bulk."""
    workspace = campaign.workspace
    creators = Creator.objects.bulk_create(
        [
            Creator(workspace=workspace, display_name=f"Late {campaign.pk}-{n:04}")
            for n in range(count)
        ]
    )
    collaborations = Collaboration.objects.bulk_create(
        [
            Collaboration(
                workspace=workspace,
                campaign=campaign,
                creator=creator,
                stage=Stage.DRAFTING,
                owner=owner,
                currency="TWD",
            )
            for creator in creators
        ]
    )
    due = timezone.localdate() - timedelta(days=2)
    Deliverable.objects.bulk_create(
        [
            Deliverable(
                workspace=workspace,
                collaboration=collaboration,
                format="ig_reel",
                platform="instagram",
                draft_due=due,
                publish_due=due + timedelta(days=5),
            )
            for collaboration in collaborations
        ]
    )


def on_board(campaign, count: int, stage: str = Stage.SHORTLISTED) -> None:
    workspace = campaign.workspace
    creators = Creator.objects.bulk_create(
        [
            Creator(workspace=workspace, display_name=f"Card {campaign.pk}-{n:04}")
            for n in range(count)
        ]
    )
    Collaboration.objects.bulk_create(
        [
            Collaboration(
                workspace=workspace, campaign=campaign, creator=c, stage=stage, currency="TWD"
            )
            for c in creators
        ]
    )


# My tasks -------------------------------------------------------------------------------------


def test_it_shows_the_first_page_of_each_group_of_tasks_with_the_true_count(
    alice_client, workspace, brand
):
    late_drafts(CampaignFactory(brand=brand), TASK_PAGE_SIZE + 5)
    response = alice_client.get(url("my_tasks", workspace) + "?who=all")
    assert response.status_code == 200
    assert response.text.count('class="task task--draft_late"') == TASK_PAGE_SIZE
    assert f'<span class="muted">{TASK_PAGE_SIZE + 5}</span>' in response.text
    assert "Page 1 of 2" in response.text
    assert "?who=all&amp;group=overdue&amp;page=2" in response.text


def test_it_shows_a_later_page_of_one_group_and_only_that_group_to_htmx(
    alice_client, workspace, brand
):
    campaign = CampaignFactory(brand=brand)
    late_drafts(campaign, TASK_PAGE_SIZE + 5)
    address = url("my_tasks", workspace) + "?who=all&group=overdue&page=2"
    fragment = alice_client.get(address, headers=HTMX)
    assert fragment.text.lstrip().startswith('<section class="panel task-group" id="tasks-overdue"')
    assert "<html" not in fragment.text
    assert fragment.text.count('class="task task--draft_late"') == 5
    assert "Page 2 of 2" in fragment.text
    assert f"Late {campaign.pk}-{TASK_PAGE_SIZE + 4:04}" in fragment.text
    # Without htmx the same address is the whole page, with that group on its second page.
    page = alice_client.get(address)
    assert "<html" in page.text and "Page 2 of 2" in page.text


@pytest.mark.parametrize("number", ["0", "-3", "99", "x", "1e9", ""])
def test_it_falls_back_to_a_real_page_of_tasks_on_a_bad_page_number(
    alice_client, workspace, brand, number
):
    late_drafts(CampaignFactory(brand=brand), TASK_PAGE_SIZE + 5)
    response = alice_client.get(
        url("my_tasks", workspace) + f"?who=all&group=overdue&page={number}"
    )
    assert response.status_code == 200
    assert "task task--draft_late" in response.text


def test_it_keeps_mine_to_my_own_collaborations_on_every_page(
    alice_client, workspace, brand, alice
):
    late_drafts(CampaignFactory(brand=brand), TASK_PAGE_SIZE + 1, owner=alice)
    late_drafts(CampaignFactory(brand=brand), 3)
    mine = alice_client.get(url("my_tasks", workspace))
    assert f'<span class="muted">{TASK_PAGE_SIZE + 1}</span>' in mine.text
    second = alice_client.get(url("my_tasks", workspace) + "?group=overdue&page=2", headers=HTMX)
    assert second.text.count("task task--draft_late") == 1
    assert "who=all" not in second.text


@pytest.mark.parametrize("size", [5, 60])
def test_it_reads_everyones_tasks_in_the_same_queries_at_any_size(
    alice_client, workspace, brand, size, django_assert_max_num_queries
):
    campaign = CampaignFactory(brand=brand)
    late_drafts(campaign, size)
    # Every group filled: drafts to review, deliveries to chase, rights expiring too.
    today = timezone.localdate()
    Collaboration.objects.filter(campaign=campaign).update(rights_ends_on=today)
    Shipment.objects.bulk_create(
        [
            Shipment(workspace=workspace, collaboration=c, shipped_on=today - timedelta(days=9))
            for c in Collaboration.objects.filter(campaign=campaign)
        ]
    )
    for deliverable in Deliverable.objects.filter(collaboration__campaign=campaign)[: size // 2]:
        services.draft_submit(deliverable=deliverable, caption="x")
    # 14 at any size, whichever groups have tasks: the three deliverable groups counted at
    # once, the two others each counted, a page of each group read, and the layout's own.
    with django_assert_max_num_queries(14):
        response = alice_client.get(url("my_tasks", workspace) + "?who=all")
    assert response.status_code == 200
    for kind in ("draft_late", "review", "receipt", "rights"):
        assert f"task task--{kind}" in response.text


# The campaigns list ---------------------------------------------------------------------------


def test_it_pages_the_campaigns_and_keeps_the_filters_in_the_links(alice_client, workspace, brand):
    CampaignFactory.create_batch(CAMPAIGN_PAGE_SIZE + 3, brand=brand)
    CampaignFactory(brand=BrandFactory(workspace=workspace), name="Other brand's")
    first = alice_client.get(url("campaign_list", workspace) + f"?brand={brand.pk}")
    assert first.text.count('<tr>\n          <td><a href="') == CAMPAIGN_PAGE_SIZE
    assert f"?brand={brand.pk}&amp;page=2" in first.text
    second = alice_client.get(url("campaign_list", workspace) + f"?brand={brand.pk}&page=2")
    assert second.text.count('<tr>\n          <td><a href="') == 3
    assert "Other brand's" not in second.text
    fragment = alice_client.get(
        url("campaign_list", workspace) + f"?brand={brand.pk}&page=2", headers=HTMX
    )
    assert fragment.text.lstrip().startswith('<section id="campaign-list">')


@pytest.mark.parametrize("number", ["0", "99", "abc"])
def test_it_shows_a_real_page_of_campaigns_on_a_bad_page_number(
    alice_client, workspace, brand, number
):
    CampaignFactory.create_batch(3, brand=brand)
    response = alice_client.get(url("campaign_list", workspace) + f"?page={number}")
    assert response.status_code == 200
    assert response.text.count('<tr>\n          <td><a href="') == 3


def test_it_keeps_the_brand_pages_address_when_paging_its_campaigns(alice_client, workspace, brand):
    CampaignFactory.create_batch(CAMPAIGN_PAGE_SIZE + 1, brand=brand)
    brand_page = f"http://testserver/w/{workspace.slug}/brands/{brand.pk}/"
    fragment = alice_client.get(
        url("campaign_list", workspace) + f"?brand={brand.pk}",
        headers=HTMX | {"HX-Current-URL": brand_page},
    )
    assert 'hx-push-url="false"' in fragment.text
    assert f'href="{url("campaign_list", workspace)}?brand={brand.pk}&amp;page=2"' in fragment.text


def test_it_pages_only_a_client_viewers_brands(client_for, workspace, brand):
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    for n in range(2):
        CampaignFactory(brand=brand, name=f"Theirs {n}")
    other = BrandFactory(workspace=workspace)
    for n in range(CAMPAIGN_PAGE_SIZE + 1):
        CampaignFactory(brand=other, name=f"Not theirs {n}")
    response = client_for(viewer).get(url("campaign_list", workspace) + "?page=2")
    assert response.text.count("Theirs ") == 2
    assert "Not theirs" not in response.text
    assert "Page 1 of" not in response.text


@pytest.mark.parametrize("size", [3, 120])
def test_it_reads_a_page_of_campaigns_in_the_same_queries_at_any_size(
    alice_client, workspace, brand, size, django_assert_max_num_queries
):
    CampaignFactory.create_batch(size, brand=brand)
    with django_assert_max_num_queries(10):
        response = alice_client.get(url("campaign_list", workspace))
    assert response.status_code == 200


# The roster board -----------------------------------------------------------------------------


def test_it_shows_a_columns_first_cards_its_true_count_and_a_load_more(
    alice_client, workspace, brand
):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, BOARD_PAGE_SIZE + 7)
    on_board(campaign, 2, Stage.CONTACTED)
    response = alice_client.get(url("campaign_roster", workspace, campaign.pk))
    assert response.text.count('class="card-mini"') == BOARD_PAGE_SIZE + 2
    assert f'<span class="muted">{BOARD_PAGE_SIZE + 7}</span>' in response.text
    more = f"{url('campaign_roster', workspace, campaign.pk)}?column=shortlisted&amp;page=2"
    assert f'href="{more}"' in response.text and f'hx-get="{more}"' in response.text
    assert "column=contacted" not in response.text


def test_it_loads_a_columns_next_cards_as_a_fragment(alice_client, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, BOARD_PAGE_SIZE * 2 + 3)
    address = url("campaign_roster", workspace, campaign.pk) + "?column=shortlisted&page=2"
    second = alice_client.get(address, headers=HTMX)
    assert second.status_code == 200
    assert "<html" not in second.text and 'id="roster"' not in second.text
    assert second.text.count('class="card-mini"') == BOARD_PAGE_SIZE
    assert f"Card {campaign.pk}-{BOARD_PAGE_SIZE:04}" in second.text
    assert "column=shortlisted&amp;page=3" in second.text
    last = alice_client.get(address.replace("page=2", "page=3"), headers=HTMX)
    assert last.text.count('class="card-mini"') == 3
    assert "column=shortlisted" not in last.text


def test_it_shows_the_cards_loaded_so_far_without_javascript(alice_client, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, BOARD_PAGE_SIZE * 2 + 3)
    page = alice_client.get(
        url("campaign_roster", workspace, campaign.pk) + "?column=shortlisted&page=2"
    )
    assert "<html" in page.text
    assert page.text.count('class="card-mini"') == BOARD_PAGE_SIZE * 2
    assert "column=shortlisted&amp;page=3" in page.text


def test_it_keeps_the_filters_in_a_columns_load_more(alice_client, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, BOARD_PAGE_SIZE + 2)
    on_board(campaign, BOARD_PAGE_SIZE + 2, Stage.CONTACTED)
    response = alice_client.get(
        url("campaign_roster", workspace, campaign.pk) + "?in_stage=shortlisted"
    )
    assert "?in_stage=shortlisted&amp;column=shortlisted&amp;page=2" in response.text
    assert "column=contacted" not in response.text
    nothing = alice_client.get(
        url("campaign_roster", workspace, campaign.pk)
        + "?in_stage=contacted&column=shortlisted&page=2",
        headers=HTMX,
    )
    assert nothing.status_code == 200 and 'class="card-mini"' not in nothing.text


@pytest.mark.parametrize("number", ["0", "-1", "99", "two", ""])
def test_it_answers_a_bad_load_more_page_with_a_real_one(alice_client, workspace, brand, number):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, BOARD_PAGE_SIZE + 2)
    address = url("campaign_roster", workspace, campaign.pk) + f"?column=shortlisted&page={number}"
    assert alice_client.get(address, headers=HTMX).status_code == 200
    assert alice_client.get(address).status_code == 200
    bad_column = url("campaign_roster", workspace, campaign.pk) + "?column=nowhere&page=2"
    assert alice_client.get(bad_column, headers=HTMX).status_code == 200


def test_it_answers_404_to_an_outsider_loading_more_cards(charlie_client, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    address = url("campaign_roster", workspace, campaign.pk) + "?column=shortlisted&page=2"
    assert charlie_client.get(address, headers=HTMX).status_code == 404


@pytest.mark.parametrize("size", [3, 200])
def test_it_reads_the_board_and_a_load_more_in_the_same_queries_at_any_size(
    alice_client, workspace, brand, size, django_assert_max_num_queries
):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, size)
    on_board(campaign, size, Stage.NEGOTIATING)
    with django_assert_max_num_queries(12):
        board = alice_client.get(url("campaign_roster", workspace, campaign.pk))
    assert board.status_code == 200
    address = url("campaign_roster", workspace, campaign.pk) + "?column=negotiating&page=2"
    with django_assert_max_num_queries(8):
        more = alice_client.get(address, headers=HTMX)
    assert more.status_code == 200


def test_it_pages_the_roster_table_keeping_the_view_and_filters(alice_client, workspace, brand):
    from campaigns.selectors.collaborations import ROSTER_TABLE_PAGE_SIZE

    campaign = CampaignFactory(brand=brand)
    on_board(campaign, ROSTER_TABLE_PAGE_SIZE + 3)
    on_board(campaign, 4, Stage.CONTACTED)
    address = url("campaign_roster", workspace, campaign.pk)
    first = alice_client.get(address + "?view=table&in_stage=shortlisted")
    assert first.text.count('name="collaborations"') == ROSTER_TABLE_PAGE_SIZE
    assert f"{ROSTER_TABLE_PAGE_SIZE + 3} collaborations" in first.text
    assert f'href="{address}?in_stage=shortlisted&amp;view=table&amp;page=2"' in first.text
    second = alice_client.get(address + "?in_stage=shortlisted&view=table&page=2", headers=HTMX)
    assert second.text.lstrip().startswith('<section id="roster"')
    assert second.text.count('name="collaborations"') == 3
    for number in ("0", "99", "x"):
        response = alice_client.get(address + f"?view=table&page={number}")
        assert response.status_code == 200 and 'name="collaborations"' in response.text


@pytest.mark.parametrize("size", [3, 150])
def test_it_reads_a_page_of_the_roster_table_in_the_same_queries_at_any_size(
    alice_client, workspace, brand, size, django_assert_max_num_queries
):
    campaign = CampaignFactory(brand=brand)
    on_board(campaign, size)
    with django_assert_max_num_queries(12):
        response = alice_client.get(url("campaign_roster", workspace, campaign.pk) + "?view=table")
    assert response.status_code == 200
