"""Campaign list, creation and the plan: KPI targets, tier budget, the versioned brief."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import BriefVersion, Campaign, KpiTarget, TierBudget
from campaigns.selectors import tier_plan
from kolhub.models import ExchangeRate, Membership, Role
from tests.campaigns import url
from tests.factories import (
    PNG_BYTES,
    BrandFactory,
    BriefAssetFactory,
    CampaignFactory,
    CollaborationFactory,
    UserFactory,
)


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, name="Summer cold brew")


def test_it_lists_campaigns_with_roster_counts(alice_client, workspace, campaign):
    CollaborationFactory(campaign=campaign, stage="contracted", fee=100)
    CollaborationFactory(campaign=campaign)
    response = alice_client.get(url("campaign_list", workspace))
    assert response.status_code == 200
    assert "Summer cold brew" in response.text
    assert "1 of 2 signed" in response.text


def test_it_filters_campaigns_by_brand(alice_client, workspace, campaign):
    other = CampaignFactory(brand=BrandFactory(workspace=workspace), name="Other brand launch")
    response = alice_client.get(url("campaign_list", workspace) + f"?brand={other.brand_id}")
    assert "Other brand launch" in response.text
    assert "Summer cold brew" not in response.text


def test_it_serves_the_brand_page_its_campaigns_as_a_fragment(alice_client, workspace, campaign):
    response = alice_client.get(
        url("campaign_list", workspace) + f"?brand={campaign.brand_id}",
        headers={"HX-Request": "true"},
    )
    assert "Summer cold brew" in response.text
    assert "<html" not in response.text


def test_it_shows_a_client_viewer_only_their_brands(workspace, campaign, client_for):
    other = CampaignFactory(brand=BrandFactory(workspace=workspace), name="Hidden launch")
    viewer = UserFactory()
    membership = Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(campaign.brand)
    client = client_for(viewer)
    listing = client.get(url("campaign_list", workspace))
    assert "Summer cold brew" in listing.text and "Hidden launch" not in listing.text
    assert client.get(url("campaign_detail", workspace, campaign.pk)).status_code == 200
    assert client.get(url("campaign_detail", workspace, other.pk)).status_code == 404
    assert client.get(url("campaign_roster", workspace, campaign.pk)).status_code == 404
    assert client.get(url("campaign_edit", workspace, campaign.pk)).status_code == 404


def test_it_creates_a_campaign_with_the_default_observation_window(
    alice_client, workspace, brand, alice
):
    response = alice_client.post(
        url("campaign_create", workspace),
        {
            "brand": brand.pk,
            "name": "Autumn launch",
            "objective": "awareness",
            "starts_on": "2026-11-30",
            "ends_on": "2026-12-31",
            "currency": "twd",
            "total_budget": "300000",
            "status": "planning",
            "receipt_followup_days": "7",
        },
    )
    campaign = Campaign.objects.get(name="Autumn launch")
    assert response.status_code == 302
    assert response.url == url("campaign_detail", workspace, campaign.pk)
    assert campaign.observation_ends_on == date(2027, 3, 31)
    assert campaign.currency == "TWD"
    assert campaign.owner == alice


def test_it_rerenders_a_bad_campaign_with_reasons(alice_client, workspace, brand):
    response = alice_client.post(
        url("campaign_create", workspace),
        {
            "brand": brand.pk,
            "name": "Backwards",
            "objective": "trust",
            "starts_on": "2026-12-31",
            "ends_on": "2026-12-01",
            "currency": "TWD",
            "total_budget": "-5",
            "status": "planning",
            "receipt_followup_days": "7",
            "auto_approve_days": "3",
        },
    )
    assert response.status_code == 422
    assert "The last publish date cannot be before the start." in response.text
    assert "turn that on first" in response.text
    assert "Ensure this value is greater than or equal to 0" in response.text
    assert not Campaign.objects.filter(name="Backwards").exists()


def test_it_keeps_campaign_editing_to_managers(bob_client, workspace, campaign):
    assert bob_client.get(url("campaign_create", workspace)).status_code == 404
    assert bob_client.get(url("campaign_edit", workspace, campaign.pk)).status_code == 404
    assert bob_client.get(url("campaign_detail", workspace, campaign.pk)).status_code == 200


def test_it_does_not_offer_another_workspaces_brand(alice_client, workspace, charlie_workspace):
    foreign = BrandFactory(workspace=charlie_workspace)
    response = alice_client.post(
        url("campaign_create", workspace),
        {"brand": foreign.pk, "name": "X", "objective": "trust"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.text


def test_it_sets_and_clears_kpi_targets(alice_client, workspace, campaign):
    KpiTarget.objects.create(workspace=workspace, campaign=campaign, metric="cpc", target=5)
    response = alice_client.post(
        url("campaign_kpis", workspace, campaign.pk),
        {"impressions": "2000000", "engagement_rate": "3.5", "roas": "2.5", "cpc": ""},
    )
    assert response.status_code == 302
    targets = dict(campaign.kpi_targets.values_list("metric", "target"))
    assert targets == {
        "impressions": Decimal("2000000"),
        "engagement_rate": Decimal("3.5"),
        "roas": Decimal("2.5"),
    }
    page = alice_client.get(url("campaign_detail", workspace, campaign.pk))
    assert "2,000,000" in page.text and "3.50%" in page.text and "2.50×" in page.text


def test_it_refuses_a_negative_kpi(alice_client, workspace, campaign):
    response = alice_client.post(url("campaign_kpis", workspace, campaign.pk), {"cpm": "-1"})
    assert response.status_code == 422
    assert not campaign.kpi_targets.exists()


def test_it_plans_the_budget_by_share_or_amount(alice_client, workspace, campaign):
    response = alice_client.post(
        url("campaign_budget", workspace, campaign.pk),
        {"mega_share": "20", "micro_share": "50", "nano_amount": "30000"},
    )
    assert response.status_code == 302
    plans = {b.tier: (b.share, b.amount) for b in TierBudget.objects.filter(campaign=campaign)}
    assert plans == {
        "mega": (Decimal(20), None),
        "micro": (Decimal(50), None),
        "nano": (None, Decimal(30000)),
    }


def test_it_refuses_share_and_amount_together_and_shares_over_100(
    alice_client, workspace, campaign
):
    response = alice_client.post(
        url("campaign_budget", workspace, campaign.pk),
        {"mega_share": "80", "mega_amount": "1000", "micro_share": "30"},
    )
    assert response.status_code == 422
    assert "not both" in response.text
    assert "cannot exceed 100%" in response.text
    assert not TierBudget.objects.exists()


def test_it_shows_planned_against_committed_and_warns_on_a_single_tier(
    alice_client, workspace, campaign
):
    alice_client.post(url("campaign_budget", workspace, campaign.pk), {"mega_share": "100"})
    CollaborationFactory(campaign=campaign, stage="contracted", tier="mega", fee=520_000)
    CollaborationFactory(campaign=campaign, stage="negotiating", tier="micro", fee=9_000)
    page = alice_client.get(url("campaign_detail", workspace, campaign.pk))
    assert "The whole plan goes to one tier (Mega)" in page.text
    assert "500,000" in page.text and "520,000" in page.text  # planned vs committed
    assert "9,000" not in page.text  # negotiating is not committed yet


def test_it_versions_the_brief_and_skips_unchanged_saves(alice_client, workspace, campaign):
    fields = {"hashtags": "#tea #summer", "disclosure": "#ad", "required_link": "shop.example.com"}
    alice_client.post(url("campaign_brief", workspace, campaign.pk), fields)
    alice_client.post(url("campaign_brief", workspace, campaign.pk), fields)
    assert campaign.brief_versions.count() == 1
    brief = campaign.brief_versions.get()
    assert brief.required_link == "https://shop.example.com"
    assert brief.hashtag_list == ["#tea", "#summer"]
    alice_client.post(
        url("campaign_brief", workspace, campaign.pk), {**fields, "promo_code": "TEA10"}
    )
    assert list(campaign.brief_versions.values_list("number", "promo_code")) == [
        (2, "TEA10"),
        (1, ""),
    ]


def test_it_attaches_reference_files_and_carries_them_to_the_next_version(
    alice_client, workspace, campaign
):
    logo = SimpleUploadedFile("logo.png", PNG_BYTES, content_type="image/png")
    alice_client.post(
        url("campaign_brief", workspace, campaign.pk), {"dos": "Smile", "uploads": [logo]}
    )
    first = BriefVersion.objects.get(campaign=campaign)
    asset = first.assets.get()
    alice_client.post(url("campaign_brief", workspace, campaign.pk), {"dos": "Smile more"})
    second = BriefVersion.objects.get(campaign=campaign, number=2)
    assert list(second.assets.all()) == [asset]
    assert not asset.file.name.endswith("logo.png")  # stored under a random name
    download = alice_client.get(url("brief_asset_download", workspace, asset.pk))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    alice_client.post(
        url("campaign_brief", workspace, campaign.pk),
        {"dos": "Smile more", "remove_assets": [asset.pk]},
    )
    assert not BriefVersion.objects.get(campaign=campaign, number=3).assets.exists()


def test_it_refuses_a_file_that_is_not_what_it_claims(alice_client, workspace, campaign):
    fake = SimpleUploadedFile("photo.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    response = alice_client.post(
        url("campaign_brief", workspace, campaign.pk), {"dos": "Smile", "uploads": [fake]}
    )
    assert response.status_code == 422
    assert "photo.png is not an accepted file type" in response.text
    assert not BriefVersion.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(alice_client, workspace, campaign, settings):
    settings.UPLOAD_MAX_MB = 0
    logo = SimpleUploadedFile("logo.png", PNG_BYTES, content_type="image/png")
    response = alice_client.post(
        url("campaign_brief", workspace, campaign.pk), {"dos": "Smile", "uploads": [logo]}
    )
    assert response.status_code == 422
    assert "the limit is" in response.text


def test_it_hides_brief_files_of_other_workspaces(charlie_client, charlie_workspace, campaign):
    asset = BriefAssetFactory(campaign=campaign)
    response = charlie_client.get(url("brief_asset_download", charlie_workspace, asset.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["campaign_timeline", "campaign_assets", "campaign_detail"])
def test_it_renders_each_campaign_tab(alice_client, workspace, campaign, name):
    response = alice_client.get(url(name, workspace, campaign.pk))
    assert response.status_code == 200
    assert campaign.name in response.text


@pytest.mark.parametrize("name", ["campaign_timeline", "campaign_assets", "campaign_detail"])
def test_it_answers_405_to_a_post_on_a_read_only_page(alice_client, workspace, campaign, name):
    assert alice_client.post(url(name, workspace, campaign.pk)).status_code == 405


def test_it_reads_the_plan_in_few_queries(
    alice_client, workspace, campaign, django_assert_max_num_queries
):
    for _ in range(20):
        CollaborationFactory(campaign=campaign, stage="contracted", tier="micro", fee=1000)
    alice_client.post(url("campaign_brief", workspace, campaign.pk), {"dos": "x"})
    # With the campaign's history, one query; with the payouts forecast, one more.
    with django_assert_max_num_queries(15):
        alice_client.get(url("campaign_detail", workspace, campaign.pk))


def test_it_sets_the_target_audience_and_shows_it_on_the_plan(alice_client, workspace, campaign):
    response = alice_client.post(
        url("campaign_audience", workspace, campaign.pk),
        {"age": "25-34: 60%\n35-44: 40%", "countries": "TW: 100%", "gender": "", "cities": ""},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_audience == {
        "age": {"25-34": 0.6, "35-44": 0.4},
        "countries": {"TW": 1.0},
    }
    page = alice_client.get(url("campaign_detail", workspace, campaign.pk))
    assert "25-34 60%" in page.text
    form = alice_client.get(url("campaign_audience", workspace, campaign.pk))
    assert "25-34: 60%" in form.text


def test_it_refuses_shares_that_add_up_to_more_than_the_audience(alice_client, workspace, campaign):
    response = alice_client.post(
        url("campaign_audience", workspace, campaign.pk), {"age": "25-34: 60%\n35-44: 60%"}
    )
    assert response.status_code == 422
    assert "add up to 120%; together they cannot be more than 100%" in response.text
    campaign.refresh_from_db()
    assert campaign.target_audience == {}


def test_it_keeps_the_target_audience_to_managers(bob_client, workspace, campaign):
    response = bob_client.post(url("campaign_audience", workspace, campaign.pk), {"age": ""})
    assert response.status_code == 404


def test_it_converts_committed_costs_into_the_campaign_currency(campaign):
    ExchangeRate.objects.create(workspace=campaign.workspace, currency="USD", into="TWD", rate=32)
    CollaborationFactory(campaign=campaign, stage="contracted", tier="micro", fee=10_000)
    CollaborationFactory(
        campaign=campaign, stage="published", tier="micro", currency="USD", fee=500, other_cost=25
    )
    plan = tier_plan(campaign)
    micro = next(line for line in plan.lines if line.tier == "micro")
    # 10,000 TWD + 525 USD × 32, not 10,525 "of something".
    assert micro.committed == Decimal("26800.00")
    assert plan.committed == Decimal("26800.00") and plan.missing_rates == []


def test_it_shows_a_missing_rate_instead_of_adding_currencies(alice_client, workspace, campaign):
    CollaborationFactory(campaign=campaign, stage="contracted", tier="micro", fee=10_000)
    CollaborationFactory(campaign=campaign, stage="contracted", tier="micro", currency="JPY", fee=9)
    CollaborationFactory(campaign=campaign, stage="contracted", tier="mega", fee=40_000)
    page = alice_client.get(url("campaign_detail", workspace, campaign.pk))
    assert "10,009" not in page.text
    assert "no exchange rate for JPY→TWD" in page.text
    assert "40,000" in page.text  # the tier without the other currency keeps its amount


def test_it_counts_a_cancelled_creators_agreed_costs_as_the_results_do(campaign):
    CollaborationFactory(campaign=campaign, stage="cancelled", tier="nano", product_cost=1_200)
    nano = next(line for line in tier_plan(campaign).lines if line.tier == "nano")
    assert nano.committed == Decimal("1200.00")
