"""Stored campaign results: the inputs read in a fixed number of queries, the daily series,
the marks and the sweep that recomputes them, the `campaign_report` command and the
dashboard's fragments."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Collaboration, KpiTarget
from creators.models import Creator, SocialAccount
from creators.services import audience_sample_add
from kolhub.models import ExchangeRate, Role
from tests.campaigns import url
from tests.factories import (
    AudienceProfileFactory,
    CampaignFactory,
    CollaborationFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)
from tracking import marks, tasks
from tracking.models import (
    CampaignResult,
    Conversion,
    MetricSnapshot,
    Post,
    RecomputeKind,
    RecomputeMark,
)
from tracking.results import figures, sweeps
from tracking.results.dashboard_views import FRAGMENTS
from tracking.results.series import MAX_SERIES_POINTS, campaign_series
from tracking.sales.conversions import conversion_record
from tracking.sales.orders import Order


def roster(campaign, size: int, *, posts_each: int = 1) -> list[Collaboration]:
    """`size` contracted creators with an account and `posts_each` posts each, in bulk."""
    ws = campaign.workspace
    creators = Creator.objects.bulk_create(
        [Creator(workspace=ws, display_name=f"Creator {campaign.pk}-{n}") for n in range(size)]
    )
    SocialAccount.objects.bulk_create(
        [
            SocialAccount(
                workspace=ws,
                creator=c,
                platform="youtube",
                handle=f"h{c.pk}",
                followers=1000 * (n + 1),
            )
            for n, c in enumerate(creators)
        ]
    )
    collabs = Collaboration.objects.bulk_create(
        [
            Collaboration(
                workspace=ws,
                campaign=campaign,
                creator=c,
                stage="published",
                tier="micro",
                fee=Decimal(1000),
                currency="TWD",
            )
            for c in creators
        ]
    )
    Post.objects.bulk_create(
        [
            Post(
                workspace=ws,
                collaboration=collab,
                platform="youtube",
                platform_id=f"c{collab.pk}p{n}",
                url=f"https://youtu.be/c{collab.pk}p{n}",
                views=1000,
                likes=50,
                comments=5,
                status="live",
            )
            for collab in collabs
            for n in range(posts_each)
        ]
    )
    return collabs


def snapshot(post: Post, moment: datetime, **counters) -> MetricSnapshot:
    return MetricSnapshot(
        workspace=post.workspace,
        post=post,
        captured_at=moment,
        bucket=moment,
        source="api",
        **counters,
    )


def queries_of(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, currency="TWD")


def test_the_inputs_take_the_same_queries_for_ten_creators_as_for_a_thousand(brand):
    small, large = CampaignFactory(brand=brand), CampaignFactory(brand=brand)
    roster(small, 10)
    roster(large, 1000)
    assert (
        0
        < queries_of(lambda: figures.report_inputs(small))
        == queries_of(lambda: figures.report_inputs(large))
    )
    report = figures.campaign_report_fresh(large)
    assert report["cost"] == 1_000_000 and report["views"] == 1_000_000
    assert len(report["creators"]) == 1000


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_each_fragment_takes_the_same_queries_for_ten_creators_as_for_a_thousand(
    alice_client, workspace, brand, fragment
):
    small, large = CampaignFactory(brand=brand), CampaignFactory(brand=brand)
    for campaign, size in ((small, 10), (large, 1000)):
        roster(campaign, size)
        KpiTarget.objects.create(workspace=workspace, campaign=campaign, metric="views", target=5)
        figures.campaign_result_compute(campaign)
    counts = [
        queries_of(
            lambda c=c: alice_client.get(
                url("campaign_results_fragment", workspace, c.pk, fragment)
            )
        )
        for c in (small, large)
    ]
    assert 0 < counts[0] == counts[1] <= 15


def test_the_series_counts_each_post_at_its_latest_reading(campaign):
    first, second = PostFactory.create_batch(
        2, collaboration__campaign=campaign, collaboration__stage="published"
    )
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    readings = [(first, 0, 100, 10), (first, 2, 300, 20), (second, 1, 50, 5)]
    MetricSnapshot.objects.bulk_create(
        [
            snapshot(post, day + timedelta(days=d), views=views, likes=likes)
            for post, d, views, likes in readings
        ]
    )
    series = campaign_series(campaign)
    # Day 1: first 100. Day 2: first still 100 + second 50. Day 3: first 300 + second 50.
    assert [(p["views"], p["engagements"]) for p in series] == [(100, 10), (150, 15), (350, 25)]
    assert {p["unit"] for p in series} == {"day"}


def test_a_long_series_is_grouped_by_week_in_the_database(campaign):
    post = PostFactory(collaboration__campaign=campaign, collaboration__stage="published")
    start = datetime(2022, 1, 3, tzinfo=UTC)
    MetricSnapshot.objects.bulk_create(
        [snapshot(post, start + timedelta(days=d), views=d) for d in range(1500)]
    )
    series = campaign_series(campaign)
    assert len(series) <= MAX_SERIES_POINTS
    assert {p["unit"] for p in series} == {"week"}
    assert series[-1]["views"] == 1499


def test_a_burst_of_events_costs_one_recompute_a_debounce_after_the_first(campaign, settings):
    settings.RESULTS_DEBOUNCE_SECONDS = 60
    marks.campaigns_changed([campaign.pk, campaign.pk])
    first = RecomputeMark.objects.get(kind=RecomputeKind.CAMPAIGN, target=campaign.pk).since
    marks.posts_changed([PostFactory(collaboration__campaign=campaign).pk])
    assert RecomputeMark.objects.get().since == first  # later events do not postpone it
    assert sweeps.marks_take_due(now=first + timedelta(seconds=59)).campaigns == []
    due = sweeps.marks_take_due(now=first + timedelta(seconds=60))
    assert due == sweeps.Due(campaigns=[campaign.pk], workspaces=[])
    assert not RecomputeMark.objects.exists()  # taken: the next event marks it again
    marks.campaigns_changed([campaign.pk])
    assert RecomputeMark.objects.filter(target=campaign.pk).exists()


def test_the_sweep_recomputes_what_was_marked_and_nothing_else(campaign, brand, settings):
    settings.RESULTS_DEBOUNCE_SECONDS = 0
    other = CampaignFactory(brand=brand)
    marks.campaigns_changed([campaign.pk])
    marks.account_scores_changed([campaign.workspace_id])
    tasks.recompute_marked()
    assert CampaignResult.objects.filter(campaign=campaign).exists()
    assert not CampaignResult.objects.filter(campaign=other).exists()
    assert not RecomputeMark.objects.exists()


def test_an_event_rolled_back_leaves_no_mark(campaign):
    with pytest.raises(RuntimeError), transaction.atomic():
        marks.campaigns_changed([campaign.pk])
        raise RuntimeError("the write that changed the figures failed")
    assert not RecomputeMark.objects.exists()


def test_an_order_for_a_creator_marks_its_campaigns_figures_stale(campaign):
    collab = CollaborationFactory(campaign=campaign, stage="published")
    link_code = "ANNA10"
    collab.promo_codes.create(workspace=campaign.workspace, code=link_code, normalised=link_code)
    order = Order(
        order_id="1001",
        amount=Decimal(500),
        currency="TWD",
        occurred_at=timezone.now(),
        promo_codes=(link_code,),
    )
    conversion_record(workspace_id=campaign.workspace_id, channel="shopify", order=order)
    assert Conversion.objects.get().collaboration == collab
    assert RecomputeMark.objects.filter(kind=RecomputeKind.CAMPAIGN, target=campaign.pk).exists()


def test_campaigns_still_watched_without_fresh_figures_are_found(brand):
    stale, fresh, closed = (
        CampaignFactory(brand=brand, status=s) for s in ("running", "running", "closed")
    )
    figures.campaign_result_compute(fresh)
    CampaignResult.objects.create(
        workspace=brand.workspace, campaign=stale, computed_at=timezone.now() - timedelta(hours=2)
    )
    assert sweeps.campaigns_needing_results() == [stale.pk]
    assert closed.pk not in sweeps.campaigns_needing_results()


def test_the_report_command_prints_every_figure_by_its_name(campaign, capsys):
    roster(campaign, 2)
    call_command(
        "campaign_report", campaign.slug, "--workspace", campaign.workspace.slug, "--format", "json"
    )
    report = json.loads(capsys.readouterr().out)
    names = {
        "cost",
        "revenue",
        "impressions",
        "engagements",
        "clicks",
        "conversions",
        "engagement_rate",
        "cpm",
        "cpe",
        "cpc",
        "cpa",
        "roas",
        "roi",
        "ctr",
        "conversion_rate",
        "emv",
    }
    assert names <= report.keys()
    assert report["cost"] == 2000 and report["cpm"] == pytest.approx(1000.0)
    assert {"handle", "tier", "platform"} | names <= report["creators"][0].keys()
    assert names | {"tier"} <= report["tiers"][0].keys()
    assert names | {"platform"} <= report["platforms"][0].keys()


def test_the_report_command_names_the_campaigns_it_knows(campaign):
    with pytest.raises(CommandError, match=campaign.slug):
        call_command("campaign_report", "nope", "--workspace", campaign.workspace.slug)
    with pytest.raises(CommandError, match="No workspace"):
        call_command("campaign_report", campaign.slug, "--workspace", "nope")


def test_a_chinese_campaign_name_keeps_its_characters_in_the_slug(brand):
    from campaigns.services import campaign_save

    first = campaign_save(
        campaign=CampaignFactory.build(
            brand=brand, workspace=brand.workspace, name="夏日 開箱", slug=""
        )
    )
    second = campaign_save(
        campaign=CampaignFactory.build(
            brand=brand, workspace=brand.workspace, name="夏日 開箱", slug=""
        )
    )
    assert (first.slug, second.slug) == ("夏日-開箱", "夏日-開箱-2")


# --- The dashboard -----------------------------------------------------------


def test_the_results_page_loads_every_fragment(alice_client, workspace, campaign):
    page = alice_client.get(url("campaign_results", workspace, campaign.pk))
    assert page.status_code == 200
    for fragment in FRAGMENTS:
        assert url("campaign_results_fragment", workspace, campaign.pk, fragment) in page.text
    assert "Recompute now" in page.text


def test_a_campaign_with_nothing_yet_shows_na_with_reasons(alice_client, workspace, campaign):
    KpiTarget.objects.create(workspace=workspace, campaign=campaign, metric="cpe", target=10)
    for fragment in FRAGMENTS:
        response = alice_client.get(
            url("campaign_results_fragment", workspace, campaign.pk, fragment)
        )
        assert response.status_code == 200, fragment
    kpis = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "kpis"))
    assert "n/a" in kpis.text and "no post tracked yet" in kpis.text


def test_a_missing_exchange_rate_is_an_alert_not_a_wrong_total(alice_client, workspace, campaign):
    CollaborationFactory(campaign=campaign, stage="contracted", currency="USD", fee=100)
    alerts = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "alerts"))
    assert "USD→TWD" in alerts.text
    ExchangeRate.objects.create(workspace=workspace, currency="USD", into="TWD", rate=Decimal(32))
    ExchangeRate.objects.create(workspace=workspace, currency="TWD", into="JPY", rate=Decimal(5))
    figures.campaign_result_compute(campaign)
    funnel = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "kpis"))
    assert funnel.status_code == 200
    assert CampaignResult.objects.get(campaign=campaign).report["cost"] == 3200


def leaderboard_handles(html: str) -> list[str]:
    """The handles of the leaderboard's rows, top to bottom: each row's first cell holds its
    handle alone in <strong>. Whole cells are compared, so "h2" never matches an <h2> tag and
    "h1" never matches "h12"."""
    return re.findall(r"<tr[^>]*>\s*<td><strong>([^<]*)</strong>", html)


def test_the_leaderboard_sorts_and_filters_from_the_url(alice_client, workspace, campaign):
    collabs = roster(campaign, 3)
    Post.objects.filter(collaboration=collabs[0]).update(likes=500)
    figures.campaign_result_compute(campaign)
    board = alice_client.get(
        url("campaign_results_fragment", workspace, campaign.pk, "creators")
        + "?sort=engagement_rate&dir=desc",
        headers={"HX-Request": "true"},
    )
    assert board.status_code == 200
    assert "<html" not in board.text
    handles = [f"h{c.creator_id}" for c in collabs]
    shown = leaderboard_handles(board.text)
    assert sorted(shown) == sorted(handles)
    assert shown.index(handles[0]) < shown.index(handles[1])
    filtered = alice_client.get(
        url("campaign_results_fragment", workspace, campaign.pk, "creators") + "?platform=instagram"
    )
    assert filtered.status_code == 200
    assert leaderboard_handles(filtered.text) == []


def test_an_unknown_fragment_is_404(alice_client, workspace, campaign):
    assert (
        alice_client.get(
            url("campaign_results_fragment", workspace, campaign.pk, "nope")
        ).status_code
        == 404
    )


def test_recompute_now_is_for_members_not_client_viewers(alice_client, client, workspace, campaign):
    response = alice_client.post(url("campaign_results_recompute", workspace, campaign.pk))
    assert response.status_code == 302
    assert CampaignResult.objects.filter(campaign=campaign).exists()
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    membership.brands.add(campaign.brand)
    client.force_login(viewer)
    assert client.post(url("campaign_results_recompute", workspace, campaign.pk)).status_code == 404
    page = client.get(url("campaign_results", workspace, campaign.pk))
    assert page.status_code == 200 and "Recompute now" not in page.text


def test_recompute_now_answers_get_with_405(alice_client, workspace, campaign):
    assert (
        alice_client.get(url("campaign_results_recompute", workspace, campaign.pk)).status_code
        == 405
    )


def test_the_roster_overlap_is_stored_with_its_deduplicated_reach(
    alice_client, workspace, campaign
):
    first, second, _third = roster(campaign, 3)
    Post.objects.filter(collaboration__in=[first, second]).update(reach=1_000)
    fans = [f"fan{n}" for n in range(300)]
    for collab, members in ((first, fans[:200]), (second, fans[100:300])):
        audience_sample_add(account=collab.creator.accounts.get(), identifiers=members)
    result = figures.campaign_result_compute(campaign)
    overlap = result.report["overlap"]
    assert overlap["method"] == "exact" and overlap["error_bound"] == 0
    assert overlap["directional"][0][1] == 0.5  # 100 of the first's 200 are the second's
    # 400 sampled, 300 distinct: 2,000 of reach counts as 1,500.
    assert overlap["deduplicated_reach"] == 1_500 and overlap["reach"] == 2_000
    heatmap = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "overlap"))
    assert "Counted exactly" in heatmap.text and "50.0%" in heatmap.text


def test_overlap_needs_two_samples(alice_client, workspace, campaign):
    roster(campaign, 2)
    assert figures.campaign_result_compute(campaign).report["overlap"] is None
    heatmap = alice_client.get(url("campaign_results_fragment", workspace, campaign.pk, "overlap"))
    assert "needs an audience sample for at least two" in heatmap.text


def test_a_whole_workspace_is_computed_at_once_with_the_same_figures(brand):
    first, second = CampaignFactory(brand=brand), CampaignFactory(brand=brand)
    roster(first, 3)
    roster(second, 5, posts_each=2)
    day = datetime(2026, 3, 1, tzinfo=UTC)
    MetricSnapshot.objects.bulk_create(
        [
            snapshot(post, day + timedelta(days=n), views=10 * n)
            for post in Post.objects.all()
            for n in range(3)
        ]
    )
    alone = {c.pk: figures.campaign_result_compute(c) for c in (first, second)}
    alone = {pk: (r.report, r.series) for pk, r in alone.items()}
    CampaignResult.objects.all().delete()
    # A fixed number, whatever the campaigns (on PostgreSQL the upsert stages its rows in a
    # temporary table: one statement more than a bulk_create).
    assert 0 < queries_of(lambda: figures.workspace_results_compute(brand.workspace_id)) <= 20
    batch = {r.campaign_id: (r.report, r.series) for r in CampaignResult.objects.all()}
    assert batch == alone
    # The posts' own counters (1000 views each) are where the series ends, as the figures.
    report, series = batch[second.pk]
    assert report["posts"] == 10 and series[-1]["views"] == report["views"] == 10_000


def test_each_creator_is_scored_against_the_campaigns_target_audience(
    alice_client, workspace, campaign
):
    first, second = roster(campaign, 2)
    campaign.target_audience = {"gender": {"female": 0.8, "male": 0.2}, "countries": {"TW": 1.0}}
    campaign.save()
    AudienceProfileFactory(
        account=first.creator.accounts.get(),
        gender={"female": 0.6, "male": 0.4},
        countries={"TW": 0.7, "JP": 0.3},
    )
    report = figures.campaign_result_compute(campaign).report
    rows = {row["collaboration"]: row for row in report["creators"]}
    # gender: min(.6,.8) + min(.4,.2) = 80; countries: 70; overall 75.
    assert rows[first.pk]["audience_fit"] == 75.0
    assert rows[first.pk]["audience_fit_dimensions"] == {"gender": 80.0, "countries": 70.0}
    assert rows[second.pk]["audience_fit"] is None  # no audience data
    assert report["audience_fit"] == 75.0
    board = alice_client.get(
        url("campaign_results_fragment", workspace, campaign.pk, "creators") + "?sort=audience_fit"
    )
    assert "Audience fit" in board.text and ">75<" in board.text


def test_the_series_counts_only_the_posts_the_totals_count(campaign):
    published = PostFactory(collaboration__campaign=campaign, collaboration__stage="published")
    early = PostFactory(collaboration__campaign=campaign, collaboration__stage="negotiating")
    moment = timezone.now() - timedelta(days=1)
    MetricSnapshot.objects.bulk_create(
        [snapshot(published, moment, views=100), snapshot(early, moment, views=900)]
    )
    Post.objects.filter(pk=published.pk).update(views=100)
    Post.objects.filter(pk=early.pk).update(views=900)
    result = figures.campaign_result_compute(campaign)
    # A post filed for a creator still negotiating is in neither.
    assert result.report["views"] == result.series[-1]["views"] == 100
