"""Pages read in a number of queries that does not grow with their content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Stage
from tests.campaigns import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    DraftMediaFactory,
    PortalLinkFactory,
    ShipmentFactory,
)


@pytest.fixture
def busy_collaboration(brand, alice):
    campaign = CampaignFactory(brand=brand, owner=alice)
    services.brief_publish(campaign=campaign, user=alice, fields={"hashtags": "#tea"})
    collaboration = CollaborationFactory(
        campaign=campaign, owner=alice, stage=Stage.DRAFTING, fee=1
    )
    for _ in range(6):
        deliverable = DeliverableFactory(collaboration=collaboration)
        for _ in range(3):
            draft = services.draft_submit(deliverable=deliverable, caption="x #tea")
            DraftMediaFactory(draft=draft)
        ShipmentFactory(collaboration=collaboration)
    return collaboration


def test_it_reads_a_busy_collaboration_page_in_a_few_queries(
    alice_client, workspace, busy_collaboration, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = alice_client.get(url("collaboration_detail", workspace, busy_collaboration.pk))
    assert response.status_code == 200


def test_it_reads_a_draft_with_many_versions_in_a_few_queries(
    alice_client, workspace, busy_collaboration, django_assert_max_num_queries
):
    draft = busy_collaboration.deliverables.first().drafts.order_by("-version").first()
    with django_assert_max_num_queries(14):
        response = alice_client.get(url("draft_detail", workspace, draft.pk))
    assert response.status_code == 200


def test_it_reads_my_tasks_in_a_few_queries(
    alice_client, workspace, busy_collaboration, django_assert_max_num_queries
):
    # 14: five groups of tasks, counted in three queries, and a page of each read.
    with django_assert_max_num_queries(14):
        response = alice_client.get(url("my_tasks", workspace))
    assert response.status_code == 200


def test_it_reads_the_portal_in_a_few_queries(
    client, busy_collaboration, django_assert_max_num_queries
):
    link = PortalLinkFactory(collaboration=busy_collaboration)
    client.get(reverse("portal_home", args=[link.token]))
    # 16: the contract card's versions (their signatures only once one is issued) and the fee
    # and payments card.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("portal_home", args=[link.token]))
    assert response.status_code == 200
