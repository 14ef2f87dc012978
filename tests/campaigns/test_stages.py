"""The collaboration state machine: allowed moves, requirements, side effects, the log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from campaigns import services, stages
from campaigns.models import (
    CollaborationEvent,
    DeliverableStatus,
    EventKind,
    InsightReport,
    Stage,
)
from tests.factories import (
    CollaborationFactory,
    DeliverableFactory,
    ShipmentFactory,
)

NOTHING = stages.StageFacts(
    fee_set=False,
    deliverables=0,
    shipped=0,
    drafts_waiting=0,
    deliverables_approved=0,
    deliverables_live=0,
    deliverables_reported=0,
)


def test_it_lists_moves_in_pipeline_order_then_outcomes():
    assert stages.allowed_moves(Stage.CONTACTED) == [
        Stage.SHORTLISTED,
        Stage.NEGOTIATING,
        Stage.CONTRACTED,
        Stage.DECLINED,
        Stage.CANCELLED,
        Stage.GHOSTED,
    ]


def test_it_knows_every_stage():
    assert set(stages.ALLOWED) == set(Stage.values)
    for targets in stages.ALLOWED.values():
        assert targets <= set(Stage.values)


def test_it_refuses_a_jump_with_the_stage_names():
    reason = stages.refusal(Stage.SHORTLISTED, Stage.PUBLISHED, NOTHING)
    assert reason == "A collaboration cannot move from “Shortlisted” to “Published”."


def test_it_refuses_staying_put():
    assert "already" in stages.refusal(Stage.DRAFTING, Stage.DRAFTING, NOTHING)


def test_it_requires_a_fee_and_a_deliverable_to_contract():
    assert "fee" in stages.refusal(Stage.NEGOTIATING, Stage.CONTRACTED, NOTHING)
    with_fee = stages.StageFacts(**{**NOTHING.__dict__, "fee_set": True})
    assert "deliverable" in stages.refusal(Stage.NEGOTIATING, Stage.CONTRACTED, with_fee)
    ready = stages.StageFacts(**{**NOTHING.__dict__, "fee_set": True, "deliverables": 1})
    assert stages.refusal(Stage.NEGOTIATING, Stage.CONTRACTED, ready) is None


@pytest.mark.parametrize(
    ("target", "facts", "word"),
    [
        (Stage.PRODUCT_SHIPPED, {}, "shipment"),
        (Stage.IN_REVIEW, {}, "draft"),
        (Stage.APPROVED, {"deliverables": 2, "deliverables_approved": 1}, "approved"),
        (Stage.PUBLISHED, {"deliverables": 2, "deliverables_live": 1}, "live post"),
        (Stage.REPORTED, {"deliverables": 1, "deliverables_reported": 0}, "insights"),
    ],
)
def test_it_explains_what_a_stage_still_needs(target, facts, word):
    assert word in stages.requirement_missing(
        target, stages.StageFacts(**{**NOTHING.__dict__, **facts})
    )


def test_it_moves_and_logs_who_and_when(db, alice):
    collaboration = CollaborationFactory()
    before = timezone.now()
    services.collaboration_move(
        collaboration=collaboration, target=Stage.CONTACTED, user=alice, note="DM sent"
    )
    collaboration.refresh_from_db()
    assert collaboration.stage == Stage.CONTACTED
    assert collaboration.stage_changed_at >= before
    event = CollaborationEvent.objects.get(collaboration=collaboration, kind=EventKind.STAGE)
    assert (event.from_stage, event.to_stage, event.actor, event.message) == (
        Stage.SHORTLISTED,
        Stage.CONTACTED,
        alice,
        "DM sent",
    )


def test_it_refuses_a_move_and_changes_nothing(db):
    collaboration = CollaborationFactory(stage=Stage.NEGOTIATING)
    with pytest.raises(services.StageRefused, match="fee"):
        services.collaboration_move(collaboration=collaboration, target=Stage.CONTRACTED)
    collaboration.refresh_from_db()
    assert collaboration.stage == Stage.NEGOTIATING
    assert not CollaborationEvent.objects.filter(kind=EventKind.STAGE).exists()


def test_it_fixes_the_brief_version_when_contracted(db):
    collaboration = CollaborationFactory(stage=Stage.NEGOTIATING, fee=0)
    DeliverableFactory(collaboration=collaboration)
    brief = services.brief_publish(
        campaign=collaboration.campaign, user=None, fields={"hashtags": "#tea"}
    )
    services.collaboration_move(collaboration=collaboration, target=Stage.CONTRACTED)
    services.brief_publish(campaign=collaboration.campaign, user=None, fields={"hashtags": "#new"})
    collaboration.refresh_from_db()
    assert collaboration.brief_sent == brief


def test_it_confirms_shipments_when_the_product_is_received(db):
    collaboration = CollaborationFactory(stage=Stage.PRODUCT_SHIPPED)
    shipment = ShipmentFactory(collaboration=collaboration, shipped_on=timezone.localdate())
    services.collaboration_move(collaboration=collaboration, target=Stage.PRODUCT_RECEIVED)
    shipment.refresh_from_db()
    assert shipment.received_on == timezone.localdate()


def test_it_cancels_unstarted_deliverables_with_the_collaboration(db):
    collaboration = CollaborationFactory(stage=Stage.CONTRACTED, fee=100)
    planned = DeliverableFactory(collaboration=collaboration)
    published = DeliverableFactory(collaboration=collaboration, status=DeliverableStatus.PUBLISHED)
    services.collaboration_move(collaboration=collaboration, target=Stage.CANCELLED)
    planned.refresh_from_db()
    published.refresh_from_db()
    assert planned.status == DeliverableStatus.CANCELLED
    assert published.status == DeliverableStatus.PUBLISHED


def test_it_moves_in_bulk_and_reports_each_refusal(db):
    ready = CollaborationFactory(stage=Stage.CONTACTED)
    campaign = ready.campaign
    not_ready = CollaborationFactory(campaign=campaign, stage=Stage.SHORTLISTED)
    moved, refused = services.collaborations_move(
        collaborations=[ready, not_ready], target=Stage.NEGOTIATING, user=None
    )
    assert [c.pk for c in moved] == [ready.pk, not_ready.pk]
    assert refused == []
    contracted, refused = services.collaborations_move(
        collaborations=[ready], target=Stage.CONTRACTED, user=None
    )
    assert contracted == []
    assert refused[0][0] == ready and "fee" in refused[0][1]


def test_it_only_advances_automatically_from_the_named_stages(db):
    collaboration = CollaborationFactory(stage=Stage.SHORTLISTED)
    assert not services.collaboration_advance(
        collaboration=collaboration, target=Stage.CONTACTED, only_from=[Stage.NEGOTIATING]
    )
    assert services.collaboration_advance(
        collaboration=collaboration, target=Stage.CONTACTED, only_from=[Stage.SHORTLISTED]
    )


def test_it_reports_only_when_every_live_deliverable_has_insights(db):
    collaboration = CollaborationFactory(stage=Stage.PUBLISHED, fee=1)
    first = DeliverableFactory(collaboration=collaboration, live_url="https://instagram.com/p/a/")
    second = DeliverableFactory(collaboration=collaboration, live_url="https://instagram.com/p/b/")
    InsightReport.objects.create(workspace=collaboration.workspace, deliverable=first, reach=10)
    with pytest.raises(services.StageRefused):
        services.collaboration_move(collaboration=collaboration, target=Stage.REPORTED)
    InsightReport.objects.create(workspace=collaboration.workspace, deliverable=second, reach=5)
    services.collaboration_move(collaboration=collaboration, target=Stage.REPORTED)


def test_it_removes_only_collaborations_nobody_worked_on(db):
    fresh = CollaborationFactory(stage=Stage.SHORTLISTED)
    worked = CollaborationFactory(campaign=fresh.campaign, stage=Stage.CONTRACTED)
    with_deliverable = CollaborationFactory(campaign=fresh.campaign, stage=Stage.CONTACTED)
    DeliverableFactory(collaboration=with_deliverable)
    removed, kept = services.collaborations_remove(collaborations=[fresh, worked, with_deliverable])
    assert (removed, kept) == (1, 2)
