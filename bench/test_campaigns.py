"""Campaign budgets: the daily reminder job over 20,000 deliverables, and a 300-creator roster."""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.conftest import report
from campaigns.models import (
    Campaign,
    Collaboration,
    Deliverable,
    Reminder,
    Shipment,
    Stage,
)
from campaigns.selectors.collaborations import BOARD_PAGE_SIZE, ROSTER_TABLE_PAGE_SIZE
from campaigns.sweeps import reminders_send
from creators.models import Creator
from kolhub.models import Brand, Membership, Notification, Role, User
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

REMINDER_COLLABORATIONS = 4_000
DELIVERABLES_EACH = 5  # 20,000 deliverables
ROSTER_COLLABORATIONS = 300

# How a busy agency's collaborations are spread over the pipeline.
STAGE_WEIGHTS = {
    Stage.CONTRACTED: 10,
    Stage.PRODUCT_SHIPPED: 10,
    Stage.PRODUCT_RECEIVED: 10,
    Stage.DRAFTING: 20,
    Stage.IN_REVIEW: 10,
    Stage.APPROVED: 8,
    Stage.PUBLISHED: 12,
    Stage.REPORTED: 12,
    Stage.CANCELLED: 4,
    Stage.GHOSTED: 2,
    Stage.DECLINED: 2,
}
SHIPPED_STAGES = {
    Stage.PRODUCT_SHIPPED,
    Stage.PRODUCT_RECEIVED,
    Stage.DRAFTING,
    Stage.IN_REVIEW,
    Stage.APPROVED,
    Stage.PUBLISHED,
    Stage.REPORTED,
}


def _deliverable_status(rng: random.Random, stage: str) -> str:
    if stage in (Stage.PUBLISHED, Stage.REPORTED):
        return "published"
    if stage == Stage.APPROVED:
        return rng.choice(["approved", "approved", "published"])
    if stage == Stage.IN_REVIEW:
        return rng.choice(["in_review", "in_review", "approved", "changes"])
    if stage == Stage.DRAFTING:
        return rng.choice(["drafting", "drafting", "changes", "in_review"])
    if stage in (Stage.CANCELLED, Stage.DECLINED):
        return "cancelled"
    return "planned"


def _agency(rng: random.Random, *, campaigns: int, collaborations: int, deliverables_each: int):
    """One workspace, its team and campaigns, and collaborations in every state (bulk inserts)."""
    workspace = WorkspaceFactory()
    owner = UserFactory()
    MembershipFactory(workspace=workspace, user=owner, role=Role.OWNER)
    team = [owner]
    for n in range(9):
        user = User.objects.create_user(f"member{n}.{workspace.pk}@example.com", "x")
        Membership.objects.create(workspace=workspace, user=user, role=Role.MEMBER)
        team.append(user)
    today = timezone.localdate()
    now = timezone.now()
    brands = Brand.objects.bulk_create(
        [Brand(workspace=workspace, name=f"Brand {n}") for n in range(5)]
    )
    campaign_rows = Campaign.objects.bulk_create(
        [
            Campaign(
                workspace=workspace,
                brand=brands[n % len(brands)],
                name=f"Campaign {n}",
                objective="conversion",
                status="closed" if n % 10 == 9 else "running",
                starts_on=today - timedelta(days=60),
                ends_on=today + timedelta(days=30),
                observation_ends_on=today + timedelta(days=120),
                owner=rng.choice(team),
                receipt_followup_days=rng.choice([5, 7, 10]),
            )
            for n in range(campaigns)
        ]
    )
    creators = Creator.objects.bulk_create(
        [
            Creator(
                workspace=workspace,
                display_name=f"Creator {n}",
                region="台北市",
                email=f"creator{n}@example.com" if n % 3 else "",
                search_text=f"creator {n}",
            )
            for n in range(collaborations)
        ],
        batch_size=2000,
    )
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    collaboration_rows = []
    for n, creator in enumerate(creators):
        stage = rng.choices(stages, weights)[0]
        done = stage in (Stage.PUBLISHED, Stage.REPORTED)
        collaboration_rows.append(
            Collaboration(
                workspace=workspace,
                campaign=campaign_rows[n % campaigns],
                creator=creator,
                stage=stage,
                owner=rng.choice(team) if n % 4 else None,
                fee=rng.randint(3, 90) * 1000,
                rights_ends_on=today + timedelta(days=rng.randint(-30, 200)) if done else None,
                min_live_days=rng.choice([None, 30, 90]),
                last_creator_activity_at=(
                    now - timedelta(days=rng.randint(0, 40)) if n % 3 else None
                ),
            )
        )
    collaboration_rows = Collaboration.objects.bulk_create(collaboration_rows, batch_size=2000)
    deliverable_rows = []
    shipment_rows = []
    for collaboration in collaboration_rows:
        for _ in range(deliverables_each):
            status = _deliverable_status(rng, collaboration.stage)
            draft_due = today + timedelta(days=rng.randint(-20, 30))
            deliverable_rows.append(
                Deliverable(
                    workspace=workspace,
                    collaboration=collaboration,
                    format="ig_reel",
                    platform="instagram",
                    draft_due=draft_due,
                    publish_due=draft_due + timedelta(days=rng.randint(3, 14)),
                    status=status,
                    published_at=(
                        now - timedelta(days=rng.randint(1, 120)) if status == "published" else None
                    ),
                )
            )
        if collaboration.stage in SHIPPED_STAGES:
            shipment_rows.append(
                Shipment(
                    workspace=workspace,
                    collaboration=collaboration,
                    items="Gift box",
                    shipped_on=today - timedelta(days=rng.randint(1, 40)),
                    received_on=(None if collaboration.stage == Stage.PRODUCT_SHIPPED else today),
                )
            )
    Deliverable.objects.bulk_create(deliverable_rows, batch_size=2000)
    Shipment.objects.bulk_create(shipment_rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return workspace, owner, campaign_rows


@pytest.mark.django_db
def test_daily_reminders_over_20k_deliverables(benchmark):
    _agency(
        random.Random(5),
        campaigns=20,
        collaborations=REMINDER_COLLABORATIONS,
        deliverables_each=DELIVERABLES_EACH,
    )
    assert Deliverable.objects.count() == REMINDER_COLLABORATIONS * DELIVERABLES_EACH

    # Load the URLconf (and the pandas it imports) once, as any running worker has.
    reverse("healthz")
    # The emails go out later, one task each, through the worker: they are not part of the job
    # measured here (their on_commit hooks die with the test's transaction).
    started = time.perf_counter()
    summary = benchmark.pedantic(reminders_send, rounds=1, iterations=1)
    seconds = time.perf_counter() - started
    assert summary.sent > 0
    assert summary.sent == Reminder.objects.count()
    label = f"daily reminders, first run: {summary.sent:,} sent ({connection.vendor})"
    report(label, seconds, 10.0)
    print(f"  {Notification.objects.count():,} notifications")

    # The next run the same day finds everything already sent.
    started = time.perf_counter()
    again = reminders_send()
    rerun = time.perf_counter() - started
    assert again.sent == 0 and again.already_sent == summary.sent
    report(f"daily reminders, same-day rerun ({connection.vendor})", rerun, 10.0)
    assert seconds <= 10.0 and rerun <= 10.0


@pytest.fixture
def roster_of_300(db):
    workspace, owner, [campaign] = _agency(
        random.Random(3),
        campaigns=1,
        collaborations=ROSTER_COLLABORATIONS,
        deliverables_each=1,
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(owner)
    return client, reverse("campaign_roster", args=[workspace.slug, campaign.pk])


@pytest.mark.parametrize("view", ["board", "table"])
def test_roster_of_300(benchmark, roster_of_300, view, server_rendering):
    client, url = roster_of_300
    params = {"view": view}
    client.get(url, params)  # warm the caches and the template loader
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    query_count = len(queries)
    # A page of the table's rows, or each board column's first cards (issue 21).
    shown = ROSTER_TABLE_PAGE_SIZE if view == "table" else BOARD_PAGE_SIZE
    assert response.content.count(b"Creator ") >= shown
    timings = []

    def load():
        started = time.perf_counter()
        client.get(url, params)
        timings.append(time.perf_counter() - started)

    benchmark.pedantic(load, rounds=15, iterations=1)
    median = statistics.median(timings)
    report(
        f"roster {view}, {ROSTER_COLLABORATIONS} collaborations (median, {connection.vendor})",
        median,
        0.150,
    )
    print(f"  {query_count} queries")
    assert median <= 0.150
    assert query_count <= 20, "a query per row crept in"
