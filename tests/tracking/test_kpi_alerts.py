"""KPI cards and alerts judge only what can be measured: before the first post (or click, or
order) a campaign's ROI is −100 % by arithmetic, not by result, and no alert says so."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import KpiTarget
from tests.factories import CampaignFactory, CollaborationFactory, PostFactory
from tracking.results import dashboards, figures

TARGETS = {"roi": 50, "roas": 2, "cpe": 5, "cpm": 200, "engagement_rate": 3, "views": 1000}


@pytest.fixture
def campaign(brand):
    today = timezone.localdate()
    campaign = CampaignFactory(brand=brand, status="planning", starts_on=today + timedelta(days=20))
    CollaborationFactory(campaign=campaign, stage="contracted", fee=Decimal(30_000))
    for metric, target in TARGETS.items():
        KpiTarget.objects.create(
            workspace=campaign.workspace, campaign=campaign, metric=metric, target=target
        )
    return campaign


def judged(campaign, today):
    report = figures.campaign_report_fresh(campaign)
    cards = dashboards.kpi_cards(campaign, report, today)
    return {card["metric"]: card for card in cards}, dashboards.alerts(report, cards)


def test_it_raises_no_alert_before_the_campaign_starts(campaign):
    cards, alerts = judged(campaign, timezone.localdate())
    assert alerts == []
    assert {card["status"] for card in cards.values()} == {"not_started"}
    assert cards["roi"]["actual"] is None  # not −100 %
    assert str(cards["roi"]["reason"]) == "no post, click or order yet"
    assert str(cards["cpe"]["reason"]) == "no post tracked yet"


def test_it_raises_no_alert_after_the_start_while_nothing_is_published(campaign):
    started = campaign.starts_on + timedelta(days=1)
    cards, alerts = judged(campaign, started)
    assert not [card for card in cards.values() if card["status"] == "at_risk"]
    assert alerts == []
    assert {card["status"] for card in cards.values()} == {"no_data"}


def test_it_judges_the_return_once_a_post_is_out(campaign):
    collaboration = campaign.collaborations.get()
    PostFactory(collaboration=collaboration, views=800, likes=40, comments=4)
    cards, alerts = judged(campaign, campaign.starts_on + timedelta(days=1))
    assert cards["roi"]["actual"] == -100.0 and cards["roi"]["status"] == "at_risk"
    assert any("ROI" in str(alert["text"]) for alert in alerts)


def test_a_campaign_that_is_over_missed_its_target_rather_than_being_at_risk(campaign):
    collaboration = campaign.collaborations.get()
    PostFactory(collaboration=collaboration, views=800, likes=40, comments=4)
    after = campaign.observation_ends_on + timedelta(days=1)
    cards, alerts = judged(campaign, after)
    assert cards["roi"]["status"] == "missed"
    assert str(cards["roi"]["status_label"]) == "Target missed"
    assert any(str(alert["text"]) == "ROI missed its target" for alert in alerts)
    assert not [card for card in cards.values() if card["status"] in ("at_risk", "on_track")]


def test_a_closed_campaign_missed_its_target_whatever_the_date(campaign):
    collaboration = campaign.collaborations.get()
    PostFactory(collaboration=collaboration, views=800, likes=40, comments=4)
    campaign.status = "closed"
    cards, _alerts = judged(campaign, campaign.starts_on + timedelta(days=1))
    assert cards["roi"]["status"] == "missed"
