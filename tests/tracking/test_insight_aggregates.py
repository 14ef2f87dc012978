"""Insights from stored aggregates: the same figures as adding up every report per request
(tests/tracking/insights_before.py), in a fixed number of queries; and the sweep recomputing
only the due campaigns, grouped by workspace, in a fixed number of queries."""

from __future__ import annotations

import importlib
import math
import random
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from creators.models import Creator, SocialAccount
from creators.services import audience_sample_add
from kolhub.models import Membership, Role
from tests.campaigns import url
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CategoryFactory,
    CollaborationFactory,
    DeliverableFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)
from tests.tracking import insights_before as before
from tracking import marks, tasks
from tracking.models import CampaignResult, CampaignResultLine, Conversion
from tracking.results import figures, insights, sweeps

METRICS = ["cpe", "cpc", "cpa", "roi"]


def queries_of(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def agency(workspace, *, campaigns: int, seed: int = 21) -> list:
    """Brands with campaigns in two currencies, one with a cost that cannot be converted, some
    no longer watched; creators with no, one or two categories; collaborations without a
    tier, with no deliverable, two of one format or two formats, on two platforms, with sales."""
    rng = random.Random(seed)
    brands = [BrandFactory(workspace=workspace, name=f"Brand {n}") for n in range(3)]
    beauty = CategoryFactory(workspace=workspace, name="Beauty")
    food = CategoryFactory(workspace=workspace, name="Food")
    people = [Creator.objects.create(workspace=workspace, display_name=f"P{n}") for n in range(9)]
    for n, person in enumerate(people):
        person.categories.set([[], [beauty], [beauty, food], [food]][n % 4])
    made = []
    today = timezone.localdate()
    for n in range(campaigns):
        currency = "USD" if n % 7 == 3 else "TWD"
        campaign = CampaignFactory(
            brand=brands[n % 3],
            name=f"Campaign {n:03d}",
            currency=currency,
            starts_on=today - timedelta(days=10 + 7 * n),
            ends_on=today - timedelta(days=5 + 7 * n),
            observation_ends_on=today + timedelta(days=(n % 4) * 20 - 5 - 7 * n),
        )
        for person in rng.sample(people, rng.randint(1, 5)):
            collab = CollaborationFactory(
                campaign=campaign,
                creator=person,
                stage="published",
                tier=rng.choice(["nano", "micro", "macro", ""]),
                currency="JPY" if n % 11 == 5 else currency,
                fee=Decimal(rng.randint(1, 90) * 500),
            )
            platform = rng.choice(["instagram", "youtube"])
            PostFactory(
                collaboration=collab,
                platform=platform,
                likes=rng.randint(0, 4000),
                views=rng.randint(100, 90_000),
                comments=rng.randint(0, 200),
            )
            for deliverable_format in rng.choice(
                [[], ["ig_reel"], ["ig_reel", "ig_reel"], ["ig_reel", "yt_video"]]
            ):
                DeliverableFactory(collaboration=collab, format=deliverable_format)
            if rng.random() < 0.4:
                Conversion.objects.create(
                    workspace=workspace,
                    collaboration=collab,
                    channel="shopify",
                    order_id=f"o{collab.pk}",
                    amount=Decimal(rng.randint(10, 3000)),
                    currency=currency,
                    occurred_at=timezone.now(),
                )
        made.append(campaign)
    return made


def same(new, old) -> bool:
    """Equal, floats to the last digits: the database adds in another order than Python."""
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(new, old, rel_tol=1e-12, abs_tol=1e-9)
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(new[k], old[k]) for k in old)
    return new == old


def assert_same_portfolio(membership: Membership, currency: str) -> None:
    old = before.portfolio(before.visible_results(membership), currency)
    new = insights.portfolio(membership, currency)
    assert new["left_out"] == old["left_out"]
    assert [(r["brand"], r["campaigns"], r["live"]) for r in new["rows"]] == [
        (r["brand"], r["campaigns"], r["live"]) for r in old["rows"]
    ]
    for new_row, old_row in zip(new["rows"], old["rows"], strict=True):
        assert same(new_row["figures"], old_row["figures"]), new_row["brand"]


def assert_same_learning(membership: Membership, currency: str, brand_id: int | None) -> None:
    for metric in METRICS:
        old = before.learning(before.visible_results(membership, brand_id), currency, metric)
        new = insights.learning(membership, currency, metric, brand_id)
        assert (new["left_out"], new["campaigns"]) == (old["left_out"], old["campaigns"])
        assert new["tables"].keys() == old["tables"].keys()
        for name, old_rows in old["tables"].items():
            new_rows = new["tables"][name]
            # Ranked rows in the same order with the same ranks; a group without the metric
            # (n/a) is listed after them, now by label rather than by first appearance.
            assert [(r["label"], r.get("rank")) for r in new_rows if "rank" in r] == [
                (r["label"], r.get("rank")) for r in old_rows if "rank" in r
            ], (name, metric)
            by_label = {row["label"]: row for row in new_rows}
            assert by_label.keys() == {row["label"] for row in old_rows}, (name, metric)
            for row in old_rows:
                assert same(by_label[row["label"]], row), (name, metric, row["label"])


@pytest.fixture
def busy(workspace):
    made = agency(workspace, campaigns=24)
    figures.workspace_results_compute(workspace.pk)
    return made


def test_it_shows_the_same_figures_as_adding_up_every_report(workspace, alice, busy):
    owner = Membership.objects.get(workspace=workspace, user=alice)
    lines = CampaignResultLine.objects.filter(workspace=workspace)
    assert lines.count() == sum(len(r.report["creators"]) for r in CampaignResult.objects.all())
    kept = CampaignResult.objects.filter(currency="TWD", cost__isnull=False).count()
    assert 0 < kept < CampaignResult.objects.count() - 3  # some USD, some without a rate
    assert before.portfolio(before.visible_results(owner), "TWD")["left_out"] > 3
    for language in ("en", "zh-hant"):
        with translation.override(language):
            for currency in ("TWD", "USD"):
                assert_same_portfolio(owner, currency)
                assert_same_learning(owner, currency, None)
            for brand in {campaign.brand for campaign in busy}:
                assert_same_learning(owner, "TWD", brand.pk)


def test_it_limits_a_client_viewer_to_their_brands_as_before(workspace, busy):
    viewer = MembershipFactory(workspace=workspace, user=UserFactory(), role=Role.CLIENT)
    brands = sorted({campaign.brand for campaign in busy}, key=lambda b: b.pk)
    viewer.brands.add(*brands[:2])
    assert_same_portfolio(viewer, "TWD")
    assert_same_learning(viewer, "TWD", None)
    assert_same_learning(viewer, "TWD", brands[0].pk)
    shown = {row["brand"] for row in insights.portfolio(viewer, "TWD")["rows"]}
    assert shown == set(brands[:2])
    assert insights.visible_brands_with_results(viewer) == sorted(brands[:2], key=lambda b: b.name)


def test_it_keeps_the_figures_of_a_report_whose_collaborations_and_creators_are_gone(
    workspace, alice, busy
):
    owner = Membership.objects.get(workspace=workspace, user=alice)
    collab = busy[0].collaborations.first()
    collab.creator.categories.clear()  # read as they are now, as before
    CampaignResult.objects.filter(campaign=busy[1]).update(final_at=timezone.now())
    busy[1].collaborations.all().delete()  # the stored report still has their rows
    assert_same_portfolio(owner, "TWD")
    assert_same_learning(owner, "TWD", None)


def test_the_backfill_takes_the_aggregates_from_the_stored_reports(workspace, alice, busy):
    owner = Membership.objects.get(workspace=workspace, user=alice)
    expected = (insights.portfolio(owner, "TWD"), insights.learning(owner, "TWD", "cpe"))
    CampaignResultLine.objects.all().delete()
    CampaignResult.objects.update(currency="", cost=None, revenue=0, impressions=0)
    assert insights.portfolio(owner, "TWD")["rows"][0]["figures"]["cost"] == 0  # not yet
    migration = importlib.import_module("tracking.migrations.0021_backfill_insight_aggregates")
    migration.backfill(apps, None)
    assert (insights.portfolio(owner, "TWD"), insights.learning(owner, "TWD", "cpe")) == expected


def test_the_pages_take_the_same_queries_for_3_campaigns_as_for_24(alice_client, workspace, brand):
    other = BrandFactory()
    agency(other.workspace, campaigns=3, seed=1)
    figures.workspace_results_compute(other.workspace_id)
    member = MembershipFactory(workspace=other.workspace, user=UserFactory(), role=Role.OWNER)
    agency(workspace, campaigns=24)
    figures.workspace_results_compute(workspace.pk)
    small_client = Client()
    small_client.force_login(member.user)
    for name, query in (("portfolio", ""), ("learning", "?metric=roi"), ("learning", "")):
        small = queries_of(partial(small_client.get, url(name, other.workspace) + query))
        large = queries_of(partial(alice_client.get, url(name, workspace) + query))
        assert small == large <= 14, name


def test_the_pages_show_the_stored_figures(alice_client, alice, workspace, busy):
    owner = Membership.objects.get(workspace=workspace, user=alice)
    page = alice_client.get(url("learning", workspace) + f"?brand={busy[0].brand_id}")
    assert page.status_code == 200 and "By format" in page.text
    portfolio = insights.portfolio(owner, "TWD")
    assert portfolio["rows"][0]["brand"].name in alice_client.get(url("portfolio", workspace)).text


# --- The sweep: only the due campaigns, grouped by workspace -------------------------


def sampled_campaigns(brand, count: int) -> list:
    """`count` campaigns of two creators each, both with an audience sample (the overlap)."""
    made = []
    for n in range(count):
        campaign = CampaignFactory(brand=brand, name=f"Sampled {n}")
        for k in range(2):
            collab = CollaborationFactory(campaign=campaign, stage="published", fee=1000)
            account = SocialAccount.objects.create(
                workspace=brand.workspace,
                creator=collab.creator,
                platform="instagram",
                handle=f"s{campaign.pk}_{k}",
                followers=1000 + k,
            )
            PostFactory(collaboration=collab, platform="instagram", likes=10 + k, views=100)
            audience_sample_add(
                account=account, identifiers=[f"fan{i}" for i in range(k * 5, 20 + k * 5)]
            )
        made.append(campaign)
    return made


def test_it_recomputes_2_or_20_due_campaigns_in_the_same_number_of_queries(brand, settings):
    settings.RESULTS_DEBOUNCE_SECONDS = 0
    campaigns = sampled_campaigns(brand, 22)
    figures.workspace_results_compute(brand.workspace_id)

    def sweep(due) -> int:
        marks.campaigns_changed([campaign.pk for campaign in due])
        return queries_of(tasks.recompute_marked)

    assert sweep(campaigns[:2]) == sweep(campaigns[2:22])
    result = CampaignResult.objects.get(campaign=campaigns[5])
    assert result.report["overlap"]["distinct_members"] == 25
    assert CampaignResultLine.objects.filter(campaign=campaigns[5]).count() == 2


def test_it_leaves_the_campaigns_not_due_untouched(brand, settings):
    settings.RESULTS_DEBOUNCE_SECONDS = 0
    campaigns = sampled_campaigns(brand, 5)
    closed = CampaignFactory(brand=brand, status="closed")
    CollaborationFactory(campaign=closed, stage="published", fee=100)
    figures.workspace_results_compute(brand.workspace_id)

    def stored() -> dict:
        return {
            result.campaign_id: (
                result.computed_at,
                sorted(
                    CampaignResultLine.objects.filter(campaign=result.campaign_id).values_list(
                        "pk", flat=True
                    )
                ),
            )
            for result in CampaignResult.objects.all()
        }

    earlier = stored()
    assert CampaignResult.objects.get(campaign=closed).final_at is not None
    marks.campaigns_changed([campaigns[1].pk, closed.pk])
    tasks.recompute_marked()
    now = stored()
    assert now[campaigns[1].pk][0] > earlier[campaigns[1].pk][0]
    assert now[campaigns[1].pk][1] != earlier[campaigns[1].pk][1]  # its lines rewritten
    others = [c.pk for c in campaigns if c != campaigns[1]] + [closed.pk]  # final stays final
    assert {pk: now[pk] for pk in others} == {pk: earlier[pk] for pk in others}


def test_due_campaigns_are_sent_in_chunks_per_workspace(brand):
    elsewhere = BrandFactory()
    here = [CampaignFactory(brand=brand) for _ in range(5)]
    there = [CampaignFactory(brand=elsewhere) for _ in range(2)]
    ids = [c.pk for c in there + here] + [10**9]  # a campaign deleted since it was marked
    assert sweeps.campaigns_by_workspace(ids, per_task=2) == sorted(
        [
            (brand.workspace_id, [here[0].pk, here[1].pk]),
            (brand.workspace_id, [here[2].pk, here[3].pk]),
            (brand.workspace_id, [here[4].pk]),
            (elsewhere.workspace_id, [there[0].pk, there[1].pk]),
        ]
    )
