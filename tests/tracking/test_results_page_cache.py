"""The Results tab is kept whole per reader (kolhub.fragments.cached_page) while nothing it
shows changes: its campaign, stored result and share links, and the layout's reader, brands
and bell. Every change shows on the next view; the CSRF token is the reader's own; another
workspace, or a client viewer of another brand, still gets 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kolhub.fragments import PRINTED_STAND_IN
from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    MembershipFactory,
    NotificationFactory,
    UserFactory,
)
from tests.tracking.test_results import queries_of, roster
from tracking.results import figures, services


@pytest.fixture
def campaign(brand):
    campaign = CampaignFactory(brand=brand, currency="TWD", name="Summer tea")
    roster(campaign, 2)
    figures.campaign_result_compute(campaign)
    return campaign


def results(client, workspace, campaign):
    return client.get(url("campaign_results", workspace, campaign.pk))


def token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_it_is_served_again_from_the_cache_with_the_same_html(alice_client, workspace, campaign):
    first = results(alice_client, workspace, campaign)
    kept = queries_of(lambda: results(alice_client, workspace, campaign))
    again = results(alice_client, workspace, campaign)
    assert kept <= 5  # session, user, memberships, the page's version: campaign and shares
    assert without_tokens(again.text) == without_tokens(first.text)
    assert PRINTED_STAND_IN not in again.text and "kolhub-csrf" not in again.text


def test_the_kept_page_carries_a_token_that_posts(alice, workspace, campaign):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(alice)
    results(client, workspace, campaign)
    page = results(client, workspace, campaign)  # from the cache
    token = token_of(page.text)
    assert re.search(r'"X-CSRFToken": "[A-Za-z0-9]{64}"', page.text)
    created = client.post(
        url("campaign_share_create", workspace, campaign.pk),
        {"days": 7, "label": "For the client", "csrfmiddlewaretoken": token},
    )
    assert created.status_code == 302
    assert campaign.shared_reports.get().label == "For the client"


def test_share_links_show_as_made_withdrawn_and_expired(alice, alice_client, workspace, campaign):
    results(alice_client, workspace, campaign)
    share = services.shared_report_create(campaign=campaign, user=alice, days=3, label="Lumi")
    page = results(alice_client, workspace, campaign).text
    assert share.token in page and "Lumi" in page
    services.shared_report_revoke(share=share)
    assert "Withdrawn" in results(alice_client, workspace, campaign).text
    other = services.shared_report_create(campaign=campaign, user=alice, days=1, label="Short")
    assert other.token in results(alice_client, workspace, campaign).text
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        page = results(alice_client, workspace, campaign).text
    assert "Expired" in page and other.token not in page


def test_a_recompute_a_renamed_campaign_or_brand_shows_at_once(
    alice_client, workspace, brand, campaign
):
    results(alice_client, workspace, campaign)
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        figures.campaign_result_compute(campaign)
    stamp = timezone.localtime(campaign.result.computed_at).strftime("%Y-%m-%d %H:%M")
    assert stamp in results(alice_client, workspace, campaign).text
    campaign.name = "Winter tea"
    campaign.save()
    assert "Winter tea" in results(alice_client, workspace, campaign).text
    brand.name = "Valley Tea"
    brand.save()
    assert "Valley Tea" in results(alice_client, workspace, campaign).text


def test_a_closed_campaign_shows_its_final_report(alice_client, workspace, campaign):
    results(alice_client, workspace, campaign)
    campaign.status = "closed"
    campaign.save()
    assert "Final report" in results(alice_client, workspace, campaign).text


def test_the_layout_follows_the_reader(alice, alice_client, workspace, campaign):
    results(alice_client, workspace, campaign)
    NotificationFactory(workspace=workspace, user=alice)
    assert 'aria-label="Notifications (1)"' in results(alice_client, workspace, campaign).text
    alice.first_name = "Alicia"
    alice.save()
    assert "Alicia Owner" in results(alice_client, workspace, campaign).text
    BrandFactory(workspace=workspace, name="Forest Coffee")  # a service would forget the nav
    from kolhub.selectors import nav_brands_forget

    nav_brands_forget(workspace.pk)
    assert "Forest Coffee" in results(alice_client, workspace, campaign).text


def test_each_reader_gets_their_own_page(alice_client, bob_client, workspace, campaign):
    assert "alice@example.com" in results(alice_client, workspace, campaign).text
    bob_page = results(bob_client, workspace, campaign).text
    assert "bob@example.com" in bob_page and "alice@example.com" not in bob_page


def test_a_message_shows_once_and_that_page_is_not_kept(alice_client, workspace, campaign):
    results(alice_client, workspace, campaign)
    alice_client.post(url("campaign_results_recompute", workspace, campaign.pk))
    assert "Figures recomputed." in results(alice_client, workspace, campaign).text
    assert "Figures recomputed." not in results(alice_client, workspace, campaign).text


def test_outsiders_and_other_brands_client_viewers_get_404_whatever_is_kept(
    alice_client, charlie_client, client_for, workspace, brand, campaign
):
    hidden = CampaignFactory(brand=BrandFactory(workspace=workspace), currency="TWD")
    figures.campaign_result_compute(hidden)
    assert results(alice_client, workspace, hidden).status_code == 200
    assert results(alice_client, workspace, hidden).status_code == 200  # kept for alice
    assert results(charlie_client, workspace, hidden).status_code == 404
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(brand)
    client = client_for(viewer)
    assert results(client, workspace, hidden).status_code == 404
    page = results(client, workspace, campaign)
    assert page.status_code == 200 and results(client, workspace, campaign).text
    assert 'id="share"' not in page.text  # share links are the team's
