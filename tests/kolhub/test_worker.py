"""The heartbeat and an outgoing webhook travel through the real broker to a real Celery
worker."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from kolhub.celery import app
from kolhub.models import OutgoingWebhookAttempt, OutgoingWebhookEndpoint, WorkerHeartbeat
from kolhub.tasks import heartbeat
from kolhub.webhooks import services
from tests.factories import WorkspaceFactory
from tests.kolhub.webhook_receiver import Receiver, serve


@pytest.fixture
def worker(transactional_db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_it_records_a_heartbeat_through_the_broker(worker):
    WorkerHeartbeat.objects.all().delete()
    heartbeat.delay()
    assert wait_for(WorkerHeartbeat.objects.exists), "the worker never ran the heartbeat task"
    beat = WorkerHeartbeat.objects.get()
    assert beat.hostname
    assert (timezone.now() - beat.beat_at).total_seconds() < 30


def test_it_keeps_one_row_per_worker_host(worker):
    heartbeat.delay()
    heartbeat.delay()
    assert wait_for(WorkerHeartbeat.objects.exists)
    time.sleep(1)
    assert WorkerHeartbeat.objects.count() == 1


def test_it_declares_the_heartbeat_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == heartbeat.name
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0


def test_an_outgoing_webhook_goes_through_the_broker_to_the_receiver(worker, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True  # the receiver is on 127.0.0.1, over plain http
    receiver = Receiver()
    server = serve(receiver)
    try:
        workspace = WorkspaceFactory()
        endpoint = OutgoingWebhookEndpoint.objects.create(
            workspace=workspace, url=receiver.url + "/ok", event_types=["draft.approved"]
        )
        with transaction.atomic():  # sent once committed, by the worker
            services.emit(
                workspace_id=workspace.pk, event_type="draft.approved", data={"draft_id": 7}
            )
        assert wait_for(lambda: receiver.seen), "the worker never delivered the message"
        assert Webhook(endpoint.secret).verify(receiver.seen[0].body, receiver.seen[0].headers)
        assert wait_for(
            lambda: OutgoingWebhookAttempt.objects.filter(status="succeeded").exists()
        ), "the attempt was never marked as delivered"
    finally:
        server.shutdown()
        server.server_close()
