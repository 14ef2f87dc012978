"""A closed campaign's report is final: closing stores it, later pulls add snapshots but change
no figure, and only reopening (logged, with who and when) makes the figures live again."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import CampaignEvent, CampaignStatus
from campaigns.services import campaign_save
from tests.campaigns import url
from tests.factories import CampaignFactory, PostFactory
from tracking import tasks
from tracking.ingest.snapshots import SnapshotRow, snapshots_write
from tracking.models import CampaignResult, MetricSnapshot
from tracking.results import figures


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, status=CampaignStatus.OBSERVING)


@pytest.fixture
def post(campaign):
    post = PostFactory(
        collaboration__campaign=campaign,
        collaboration__stage="reported",
        collaboration__fee=Decimal(3_000),
    )
    read(post, likes=3_871, impressions=59_000, views=40_000, hours_ago=48)
    return post


def read(post, *, hours_ago: int = 0, **counters) -> None:
    snapshots_write(
        rows=[
            SnapshotRow(
                post_id=post.pk,
                workspace_id=post.workspace_id,
                captured_at=timezone.now() - timedelta(hours=hours_ago),
                source="api",
                counters=counters,
            )
        ]
    )


def set_status(campaign, status: str, user, callbacks) -> None:
    campaign.status = status
    with callbacks(execute=True):
        campaign_save(campaign=campaign, user=user)


def stored(campaign) -> tuple:
    result = CampaignResult.objects.get(campaign=campaign)
    return result.report, result.series, result.computed_at, result.final_at


@pytest.fixture
def closed(campaign, post, alice, django_capture_on_commit_callbacks):
    figures.campaign_result_compute(campaign)
    set_status(campaign, CampaignStatus.CLOSED, alice, django_capture_on_commit_callbacks)
    return campaign


def test_it_stores_the_final_report_when_the_campaign_closes(closed, alice):
    report, series, _computed, final_at = stored(closed)
    assert final_at is not None
    assert report["engagements"] == 3_871 and series[-1]["engagements"] == 3_871
    event = CampaignEvent.objects.get(campaign=closed, to_status=CampaignStatus.CLOSED)
    assert event.from_status == CampaignStatus.OBSERVING and event.actor == alice


def test_a_pull_after_closing_adds_snapshots_and_changes_no_figure(closed, post, settings):
    settings.RESULTS_DEBOUNCE_SECONDS = 0
    before = stored(closed)
    read(post, likes=516, impressions=9_460, views=8_000)  # a refresh of the closed campaign
    tasks.recompute_marked()  # the sweep that follows every pull
    figures.workspace_results_compute(closed.workspace_id)
    figures.campaign_result_compute(closed)
    assert MetricSnapshot.objects.filter(post=post).count() == 2
    assert stored(closed) == before


def test_recompute_now_leaves_a_final_report_alone(closed, alice_client, workspace):
    before = stored(closed)
    response = alice_client.post(url("campaign_results_recompute", workspace, closed.pk))
    assert response.status_code == 302
    assert stored(closed) == before
    page = alice_client.get(url("campaign_results", workspace, closed.pk)).text
    assert "Final report" in page and "Recompute now" not in page


def test_reopening_is_logged_and_makes_the_figures_live(
    closed, post, bob, alice_client, workspace, django_capture_on_commit_callbacks
):
    read(post, likes=4_000, impressions=61_000, views=41_000)
    set_status(closed, CampaignStatus.OBSERVING, bob, django_capture_on_commit_callbacks)
    report, series, _computed, final_at = stored(closed)
    assert final_at is None
    assert report["engagements"] == series[-1]["engagements"] == 4_000
    event = CampaignEvent.objects.filter(campaign=closed).first()  # the newest
    assert event is not None and event.reopened and event.actor == bob
    plan = alice_client.get(url("campaign_detail", workspace, closed.pk)).text
    assert "Reopened (Observing): the figures are live again" in plan
    assert "Closed: the report is final" in plan


def test_the_report_command_prints_the_final_report(closed, post, capsys):
    read(post, likes=516)
    call_command("campaign_report", closed.slug, "--workspace", closed.workspace.slug)
    report = json.loads(capsys.readouterr().out)
    assert report["engagements"] == 3_871 and report["final_at"]


def test_a_campaign_closed_before_its_figures_were_stored_is_frozen_when_read(campaign, post):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    result = figures.campaign_result_current(campaign)
    assert result.final_at is not None and result.report["engagements"] == 3_871


@pytest.fixture
def closed_on_a_reading_day(campaign, post, alice, django_capture_on_commit_callbacks):
    read(post, likes=3_900, impressions=59_500, views=40_500)  # today, the day it closes
    set_status(campaign, CampaignStatus.CLOSED, alice, django_capture_on_commit_callbacks)
    return campaign


def test_a_final_report_marks_no_period_so_far(closed_on_a_reading_day, alice_client, workspace):
    campaign = closed_on_a_reading_day
    _report, series, _computed, final_at = stored(campaign)
    today = timezone.localdate().isoformat()
    assert final_at is not None and series[-1]["period"] == today
    assert not any(point["partial"] for point in series)
    fragment = url("campaign_results_fragment", workspace, campaign.pk, "series")
    assert "so far" not in alice_client.get(fragment).text
    export = url("campaign_results_export", workspace, campaign.pk, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(alice_client.get(export).content))
    notes = [row[-1] for row in book["Time series"].iter_rows(min_row=2, values_only=True)]
    assert notes and not any(notes)


def test_the_workspace_sweep_stores_a_final_series_with_no_period_so_far(campaign, post):
    read(post, likes=3_900, impressions=59_500, views=40_500)
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    figures.workspace_results_compute(campaign.workspace_id)
    _report, series, _computed, final_at = stored(campaign)
    assert final_at is not None and series[-1]["period"] == timezone.localdate().isoformat()
    assert not any(point["partial"] for point in series)


def test_the_posts_panel_of_a_closed_campaign_says_its_counts_may_be_newer(
    closed, campaign, post, alice_client, workspace
):
    page = alice_client.get(url("campaign_posts", workspace, campaign.pk)).text
    day = timezone.localdate(CampaignResult.objects.get(campaign=campaign).final_at)
    assert f"its report keeps the figures of {day.isoformat()}" in page
    collaboration_page = alice_client.get(
        url("collaboration_posts", workspace, post.collaboration_id)
    ).text
    assert "its report keeps the figures of" in collaboration_page


def test_the_posts_panel_of_a_live_campaign_has_no_such_note(
    campaign, post, alice_client, workspace
):
    page = alice_client.get(url("campaign_posts", workspace, campaign.pk)).text
    assert "its report keeps the figures of" not in page
